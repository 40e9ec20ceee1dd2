package org.opentwag.eap.aka.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;

class AkaMessageRobustnessTest {

    @Test
    void randomInputOnlyEverRaisesTheDecodeException() {
        Random random = new Random(4187);
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[random.nextInt(64)];
            random.nextBytes(data);
            try {
                AkaMessage m = AkaMessage.decode(data);
                assertThat(m.encode().length).isLessThanOrEqualTo(Math.max(3, data.length));
            } catch (AkaMessage.AkaDecodeException expected) {
                // the only acceptable failure
            }
        }
    }

    @Test
    void unknownNonSkippableAttributesAreRefusedAndSkippableOnesKept() {
        assertThatThrownBy(() -> AkaMessage.decode(new byte[]{1, 0, 0, 99, 1, 0, 0}))
                .isInstanceOf(AkaMessage.AkaDecodeException.class).hasMessageContaining("99");
        AkaMessage m = AkaMessage.decode(new byte[]{1, 0, 0, (byte) 200, 1, 0, 0});
        assertThat(m.has(200)).isTrue();
    }

    @Test
    void resLengthIsInBits() {
        byte[] res = {1, 2, 3, 4, 5, 6, 7, 8};
        AkaMessage.Attribute a = AkaMessage.res(res);
        assertThat(AkaMessage.shortOf(a)).isEqualTo(64);
        assertThat(AkaMessage.resOf(a)).isEqualTo(res);
        assertThatThrownBy(() -> AkaMessage.resOf(new AkaMessage.Attribute(AkaMessage.AT_RES,
                new byte[]{0, 12, 1, 2, 3, 4}))).isInstanceOf(AkaMessage.AkaDecodeException.class);
    }
}
