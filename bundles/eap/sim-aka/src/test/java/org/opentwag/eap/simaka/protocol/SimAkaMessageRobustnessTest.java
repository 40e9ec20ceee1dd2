package org.opentwag.eap.simaka.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;

class SimAkaMessageRobustnessTest {

    @Test
    void randomInputOnlyEverRaisesTheDecodeException() {
        Random random = new Random(4187);
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[random.nextInt(64)];
            random.nextBytes(data);
            try {
                SimAkaMessage m = SimAkaMessage.decode(data);
                assertThat(m.encode().length).isLessThanOrEqualTo(Math.max(3, data.length));
            } catch (SimAkaMessage.SimAkaDecodeException expected) {
                // the only acceptable failure
            }
        }
    }

    @Test
    void unknownNonSkippableAttributesAreRefusedAndSkippableOnesKept() {
        assertThatThrownBy(() -> SimAkaMessage.decode(new byte[]{1, 0, 0, 99, 1, 0, 0}))
                .isInstanceOf(SimAkaMessage.SimAkaDecodeException.class).hasMessageContaining("99");
        SimAkaMessage m = SimAkaMessage.decode(new byte[]{1, 0, 0, (byte) 200, 1, 0, 0});
        assertThat(m.has(200)).isTrue();
    }

    @Test
    void resLengthIsInBits() {
        byte[] res = {1, 2, 3, 4, 5, 6, 7, 8};
        SimAkaMessage.Attribute a = SimAkaMessage.res(res);
        assertThat(SimAkaMessage.shortOf(a)).isEqualTo(64);
        assertThat(SimAkaMessage.resOf(a)).isEqualTo(res);
        assertThatThrownBy(() -> SimAkaMessage.resOf(new SimAkaMessage.Attribute(SimAkaMessage.AT_RES,
                new byte[]{0, 12, 1, 2, 3, 4}))).isInstanceOf(SimAkaMessage.SimAkaDecodeException.class);
    }

    /**
     * Found by Jazzer (EapAkaFuzzTest#akaTypeData, now SimAkaFuzzTest): an AT_IV of one word (two octets) decoded, and decrypting
     * AT_ENCR_DATA with it threw IllegalStateException (bad AES IV), which the authenticator does not expect.
     * Attributes with a Length that RFC 4187 section 10 fixes are now refused at decode time.
     */
    @Test
    void attributesOfAFixedSizeWithAnotherLengthAreRefused() {
        // AKA-Reauthentication, AT_IV (129) Length 1, AT_ENCR_DATA (130) Length 5
        byte[] shortIv = {13, 0, 0, (byte) 129, 1, 0, 0, (byte) 130, 5, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        assertThatThrownBy(() -> SimAkaMessage.decode(shortIv)).isInstanceOf(SimAkaMessage.SimAkaDecodeException.class)
                .hasMessageContaining("attribute 129 with Length 1");
        // and AkaCrypto refuses a wrong IV itself, with the decode exception
        assertThatThrownBy(() -> SimAkaCrypto.decrypt(new byte[16], new byte[2], new byte[16]))
                .isInstanceOf(SimAkaMessage.SimAkaDecodeException.class);
        // AT_MAC of 4 words, AT_COUNTER of 2 words, AT_CHECKCODE of 2 words
        assertThatThrownBy(() -> SimAkaMessage.decode(new byte[] {1, 0, 0, 11, 4, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}))
                .isInstanceOf(SimAkaMessage.SimAkaDecodeException.class);
        assertThatThrownBy(() -> SimAkaMessage.decode(new byte[] {13, 0, 0, 19, 2, 0, 1, 0, 0, 0, 0}))
                .isInstanceOf(SimAkaMessage.SimAkaDecodeException.class);
        assertThatThrownBy(() -> SimAkaMessage.decode(new byte[] {1, 0, 0, (byte) 134, 2, 0, 0, 0, 0, 0, 0}))
                .isInstanceOf(SimAkaMessage.SimAkaDecodeException.class);
        // the sizes the RFC gives still decode: empty AT_CHECKCODE, AT_COUNTER, 16-octet AT_IV
        SimAkaMessage ok = SimAkaMessage.decode(new byte[] {13, 0, 0, (byte) 134, 1, 0, 0, 19, 1, 0, 1,
                (byte) 129, 5, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        assertThat(ok.attributes()).hasSize(3);
    }
}
