package org.opentwag.milenage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** CK'/IK' of RFC 5448 Appendix C, cases 1-4. */
class AkaPrimeKeysTest {

    @Test
    void rfc5448AppendixC() throws Exception {
        JsonNode vectors = Vectors.load("eap-aka-prime.json").get("vector_sets").get(0).get("vectors");
        int checked = 0;
        for (JsonNode v : vectors) {
            byte[][] keys = AkaPrimeKeys.deriveCkIkPrime(Vectors.hex(v, "CK"), Vectors.hex(v, "IK"),
                    v.get("Network_Name").asText(), Arrays.copyOfRange(Vectors.hex(v, "AUTN"), 0, 6));
            assertThat(keys[0]).as("CK' case %s", v.get("case")).isEqualTo(Vectors.hex(v, "CK_prime"));
            assertThat(keys[1]).as("IK' case %s", v.get("case")).isEqualTo(Vectors.hex(v, "IK_prime"));
            checked++;
        }
        assertThat(checked).isEqualTo(4);
    }
}
