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

    /**
     * Found by Jazzer (EapAkaFuzzTest#akaTypeData): an AT_IV of one word (two octets) decoded, and decrypting
     * AT_ENCR_DATA with it threw IllegalStateException (bad AES IV), which the authenticator does not expect.
     * Attributes with a Length that RFC 4187 section 10 fixes are now refused at decode time.
     */
    @Test
    void attributesOfAFixedSizeWithAnotherLengthAreRefused() {
        // AKA-Reauthentication, AT_IV (129) Length 1, AT_ENCR_DATA (130) Length 5
        byte[] shortIv = {13, 0, 0, (byte) 129, 1, 0, 0, (byte) 130, 5, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        assertThatThrownBy(() -> AkaMessage.decode(shortIv)).isInstanceOf(AkaMessage.AkaDecodeException.class)
                .hasMessageContaining("attribute 129 with Length 1");
        // and AkaCrypto refuses a wrong IV itself, with the decode exception
        assertThatThrownBy(() -> AkaCrypto.decrypt(new byte[16], new byte[2], new byte[16]))
                .isInstanceOf(AkaMessage.AkaDecodeException.class);
        // AT_MAC of 4 words, AT_COUNTER of 2 words, AT_CHECKCODE of 2 words
        assertThatThrownBy(() -> AkaMessage.decode(new byte[] {1, 0, 0, 11, 4, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}))
                .isInstanceOf(AkaMessage.AkaDecodeException.class);
        assertThatThrownBy(() -> AkaMessage.decode(new byte[] {13, 0, 0, 19, 2, 0, 1, 0, 0, 0, 0}))
                .isInstanceOf(AkaMessage.AkaDecodeException.class);
        assertThatThrownBy(() -> AkaMessage.decode(new byte[] {1, 0, 0, (byte) 134, 2, 0, 0, 0, 0, 0, 0}))
                .isInstanceOf(AkaMessage.AkaDecodeException.class);
        // the sizes the RFC gives still decode: empty AT_CHECKCODE, AT_COUNTER, 16-octet AT_IV
        AkaMessage ok = AkaMessage.decode(new byte[] {13, 0, 0, (byte) 134, 1, 0, 0, 19, 1, 0, 1,
                (byte) 129, 5, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        assertThat(ok.attributes()).hasSize(3);
    }
}
