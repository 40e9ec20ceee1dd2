package org.opentwag.eap.simaka.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ReauthContextTest {

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void eapAkaPrimeKeysOfTheirOwnLengthsSurviveTheByteForm() {
        // EAP-AKA' K_aut is 32 bytes (RFC 5448 3.3), EAP-AKA's 16 (RFC 4187 7).
        ReauthContext prime = new ReauthContext("001010123456789", 50, 70_000, filled(32, 1), filled(16, 2),
                filled(32, 3));
        ReauthContext back = ReauthContext.decode(prime.encode());
        assertThat(back.imsi()).isEqualTo("001010123456789");
        assertThat(back.methodType()).isEqualTo(50);
        assertThat(back.counter()).isEqualTo(70_000);
        assertThat(back.kAut()).isEqualTo(filled(32, 1));
        assertThat(back.kEncr()).isEqualTo(filled(16, 2));
        assertThat(back.kRe()).isEqualTo(filled(32, 3));
    }

    @Test
    void theNamedFieldMapOfEarlierVersionsIsRead() {
        Map<String, byte[]> m = new HashMap<>();
        m.put("imsi", "001010000000001".getBytes());
        m.put("type", new byte[]{23});
        m.put("k_aut", filled(16, 4));
        m.put("k_encr", filled(16, 5));
        m.put("k_re", filled(32, 6));
        m.put("counter", new byte[]{0, 0, 1, 2});
        ReauthContext c = ReauthContext.decode(new HashMap<>(m));
        assertThat(c.imsi()).isEqualTo("001010000000001");
        assertThat(c.methodType()).isEqualTo(23);
        assertThat(c.counter()).isEqualTo(258);
        assertThat(c.kRe()).isEqualTo(filled(32, 6));
        m.remove("k_re");
        assertThat(ReauthContext.decode(new HashMap<>(m))).as("a map missing a key").isNull();
    }

    @Test
    void bytesThatAreNotAContextAreRefusedNotMisread() {
        byte[] good = new ReauthContext("001010000000001", 23, 1, filled(16, 1), filled(16, 2), filled(32, 3))
                .encode();
        assertThat(ReauthContext.decode(Arrays.copyOf(good, good.length - 1))).as("truncated").isNull();
        assertThat(ReauthContext.decode(Arrays.copyOf(good, good.length + 1))).as("trailing byte").isNull();
        byte[] otherFormat = good.clone();
        otherFormat[0] = 9;
        assertThat(ReauthContext.decode(otherFormat)).as("unknown format").isNull();
        assertThat(ReauthContext.decode(new byte[3])).isNull();
        assertThat(ReauthContext.decode("a string")).isNull();
        assertThat(ReauthContext.decode(null)).isNull();
    }

    @Test
    void keysStayOutOfItsTextForm() {
        ReauthContext c = new ReauthContext("001010000000001", 23, 1, filled(16, 0x41), filled(16, 0x42),
                filled(32, 0x43));
        assertThat(c.toString()).contains("001010000000001").doesNotContain("65, 65").doesNotContain("[B");
    }
}
