package org.opentwag.passpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControllerCliTest {

    @Test
    void snippetListsEveryPlmnRealmAndMethodWithThePlaceholderSecret() {
        String cli = ControllerCli.render(Profiles.operator().controllerWlanId(7).build());
        assertThat(cli).contains("config radius auth add 1 10.5.198.200 1812 ascii ${AP_SECRET}")
                .contains("config radius acct add 1 10.5.198.200 1813 ascii ${AP_SECRET}")
                .contains("config wlan create 7 \"Operator WiFi & Co\"")
                .contains("config wlan hotspot dot11u 3gpp-info add 1 505 57 7")
                .contains("config wlan hotspot dot11u 3gpp-info add 2 310 026 7")
                .contains("config wlan hotspot dot11u nai-realm add realm-name 7 1 wlan.mnc057.mcc505.3gppnetwork.org")
                .contains("config wlan hotspot dot11u nai-realm add eap 7 1 1 aka-prime")
                .contains("config wlan hotspot dot11u nai-realm add eap 7 1 2 aka")
                .contains("config wlan hotspot dot11u roam-oi add 7 2 001BC50460 enable")
                .contains("config wlan hotspot hs2 enable 7");
        for (String line : cli.split("\n")) {
            assertThat(line).matches("(!.*|config .*)");
        }
    }
}
