package org.opentwag.passpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlmnTest {

    @Test
    void realmPadsTheMncToThreeDigitsButTheImsiPrefixKeepsItsLength() {
        Plmn two = Plmn.parse("505-57");
        assertThat(two.wlanRealm()).isEqualTo("wlan.mnc057.mcc505.3gppnetwork.org");
        assertThat(two.imsiPrefix()).isEqualTo("50557");
        assertThat(two.sixDigits()).isEqualTo("505057");
        Plmn three = Plmn.parse("310,026");
        assertThat(three.wlanRealm()).isEqualTo("wlan.mnc026.mcc310.3gppnetwork.org");
        assertThat(three.imsiPrefix()).isEqualTo("310026");
    }

    @Test
    void aRunOfDigitsIsRefusedBecauseTheMncLengthIsUnknown() {
        assertThatThrownBy(() -> Plmn.parse("50557")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MCC-MNC");
        assertThatThrownBy(() -> Plmn.parse("5055-7")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Plmn.parse("505-0577")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void realmsNameTheirPlmn() {
        assertThat(Plmn.ofRealm("epc.mnc001.mcc001.3gppnetwork.org")).isEqualTo(new Plmn("001", "001"));
        assertThat(Plmn.ofRealm("wlan.mnc57.mcc505.3gppnetwork.org")).isEqualTo(new Plmn("505", "57"));
        assertThat(Plmn.ofRealm("operator.example")).isNull();
        assertThat(new Plmn("001", "01").sameNumbersAs(new Plmn("001", "001"))).isTrue();
    }
}
