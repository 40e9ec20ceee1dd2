package org.opentwag.api.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VectorRequestTest {

    @Test
    void anImsiIsSixToFifteenAsciiDigits() {
        assertThat(new VectorRequest("001010", AuthScheme.EAP_AKA, null).imsi()).isEqualTo("001010");
        assertThat(new VectorRequest("001010000000001", AuthScheme.EAP_AKA, null).imsi()).hasSize(15);
        for (String bad : new String[] {null, "", "00101", "0010100000000012", "00101000000000a", "001010 00000001",
                "+01010000000001", "00101000000000\u0663"}) {
            assertThatThrownBy(() -> new VectorRequest(bad, AuthScheme.EAP_AKA, null)).as(String.valueOf(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6 to 15 digits");
        }
    }

    @Test
    void theSchemeIsRequired() {
        assertThatThrownBy(() -> new VectorRequest("001010000000001", null, null))
                .hasMessageContaining("scheme");
    }
}
