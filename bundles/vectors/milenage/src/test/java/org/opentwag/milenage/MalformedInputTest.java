package org.opentwag.milenage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Wrong lengths are refused with a message naming the value, never an ArrayIndexOutOfBounds. */
class MalformedInputTest {

    private static final byte[] K = new byte[16];

    @Test
    void keysAndInputsOfTheWrongLengthAreNamed() {
        assertThatThrownBy(() -> new Milenage(new byte[15], K)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("K must be 16");
        assertThatThrownBy(() -> new Milenage(K, null)).hasMessageContaining("OPc");
        Milenage m = new Milenage(K, K);
        assertThatThrownBy(() -> m.f2345(new byte[8])).hasMessageContaining("RAND");
        assertThatThrownBy(() -> m.f1(new byte[16], new byte[5], new byte[2])).hasMessageContaining("SQN");
        assertThatThrownBy(() -> m.f1star(new byte[16], new byte[6], new byte[3])).hasMessageContaining("AMF");
        assertThatThrownBy(() -> Sqn.toBytes(1L << 48)).hasMessageContaining("48-bit");
        assertThatThrownBy(() -> Sqn.toBytes(-1)).hasMessageContaining("48-bit");
    }

    @Test
    void aucAndUsimRefuseTruncatedTokens() {
        assertThatThrownBy(() -> AuthenticationCentre.verifyAuts(K, K, new byte[16], new byte[13]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUTS");
        assertThatThrownBy(() -> new UsimSimulator(K, K, 0).authenticate(new byte[16], new byte[15]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUTN");
        assertThatThrownBy(() -> AkaPrimeKeys.deriveCkIkPrime(K, K, "", new byte[6]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("network name");
        assertThatThrownBy(() -> AkaPrimeKeys.deriveCkIkPrime(K, K, "WLAN", new byte[16]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SQN xor AK");
    }

    @Test
    void sqnBytesAreBigEndian48Bit() {
        // TS 35.208 test set 1 SQN ff9bb4d0b607
        assertThat(Sqn.fromBytes(HexFormat.of().parseHex("ff9bb4d0b607")))
                .isEqualTo(0xff9bb4d0b607L);
        assertThat(Sqn.toBytes(0xff9bb4d0b607L))
                .isEqualTo(HexFormat.of().parseHex("ff9bb4d0b607"));
    }
}
