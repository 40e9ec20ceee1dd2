package org.opentwag.eap.simaka.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** XKEY = (1 + XKEY + w) mod 2^160 on byte arrays, checked against BigInteger arithmetic. */
class Fips186PrfTest {

    @Test
    void theKeyUpdateIsAdditionModulo2To160() {
        byte[] top = new byte[20];
        Arrays.fill(top, (byte) 0xff);
        Fips186Prf.addOnePlus(top, new byte[20]);
        assertThat(top).isEqualTo(new byte[20]); // 2^160 - 1 + 1 wraps to zero

        Random random = new Random(4187);
        BigInteger modulus = BigInteger.ONE.shiftLeft(160);
        for (int i = 0; i < 1000; i++) {
            byte[] key = new byte[20];
            byte[] w = new byte[20];
            random.nextBytes(key);
            random.nextBytes(w);
            BigInteger expected = new BigInteger(1, key).add(BigInteger.ONE).add(new BigInteger(1, w)).mod(modulus);
            Fips186Prf.addOnePlus(key, w);
            assertThat(new BigInteger(1, key)).isEqualTo(expected);
        }
    }
}
