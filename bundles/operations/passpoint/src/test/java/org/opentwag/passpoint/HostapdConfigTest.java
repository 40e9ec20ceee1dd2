package org.opentwag.passpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HostapdConfigTest {

    /** hostapd.conf as hostapd reads it: name=value per line, '#' comments, repeated names add entries. */
    static Map<String, List<String>> parse(String conf) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String line : conf.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            assertThat(eq).as("line without '=': %s", line).isPositive();
            m.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
        }
        return m;
    }

    @Test
    void fragmentCarriesTheOperatorsValuesInHostapdSyntax() {
        Map<String, List<String>> c = parse(HostapdConfig.render(Profiles.operator().build()));
        assertThat(c.get("ssid")).containsExactly("Operator WiFi & Co");
        assertThat(c.get("wpa_key_mgmt")).containsExactly("WPA-EAP WPA-EAP-SHA256");
        assertThat(c.get("ieee80211w")).containsExactly("1");
        assertThat(c.get("ieee8021x")).containsExactly("1");
        assertThat(c.get("auth_server_addr")).containsExactly("10.5.198.200");
        assertThat(c.get("auth_server_port")).containsExactly("1812");
        assertThat(c.get("acct_server_port")).containsExactly("1813");
        assertThat(c.get("auth_server_shared_secret")).containsExactly("${AP_SECRET}");
        assertThat(c.get("radius_das_port")).containsExactly("3799");
        assertThat(c.get("radius_das_client")).containsExactly("10.5.198.200 ${AP_SECRET}");
        assertThat(c.get("interworking")).containsExactly("1");
        assertThat(c.get("access_network_type")).containsExactly("2");
        assertThat(c.get("venue_group")).containsExactly("1");
        assertThat(c.get("venue_type")).containsExactly("8");
        assertThat(c.get("venue_name")).containsExactly("eng:Operator <Public> WiFi");
        assertThat(c.get("hessid")).containsExactly("02:00:00:00:00:01");
        // 2-digit MNC stays 2 digits in ANQP, 3-digit stays 3.
        assertThat(c.get("anqp_3gpp_cell_net")).containsExactly("505,57;310,026");
        assertThat(c.get("nai_realm")).containsExactly(
                "0,wlan.mnc057.mcc505.3gppnetwork.org,50[5:2],23[5:2]",
                "0,wlan.mnc026.mcc310.3gppnetwork.org,50[5:2],23[5:2]");
        assertThat(c.get("domain_name")).containsExactly("operator.example,wlan.mnc057.mcc505.3gppnetwork.org");
        assertThat(c.get("roaming_consortium")).containsExactly("505057", "001BC50460");
        assertThat(c.get("hs20")).containsExactly("1");
        assertThat(c.get("hs20_oper_friendly_name")).containsExactly("eng:Operator WiFi Network");
    }

    @Test
    void securityModes() {
        Map<String, List<String>> wpa3 = parse(HostapdConfig.render(Profiles.operator().security(Security.WPA3).build()));
        assertThat(wpa3.get("wpa_key_mgmt")).containsExactly("WPA-EAP-SHA256");
        assertThat(wpa3.get("ieee80211w")).containsExactly("2");
        Map<String, List<String>> wpa2 = parse(HostapdConfig.render(Profiles.operator().security(Security.WPA2)
                .dasPort(0).eapAka(false).build()));
        assertThat(wpa2.get("wpa_key_mgmt")).containsExactly("WPA-EAP");
        assertThat(wpa2).doesNotContainKeys("radius_das_port", "radius_das_client");
        assertThat(wpa2.get("nai_realm")).first().isEqualTo("0,wlan.mnc057.mcc505.3gppnetwork.org,50[5:2]");
    }

    @Test
    void controlCharactersCannotInjectLines() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Profiles.operator()
                .operatorFriendlyName("eng", "Op\nauth_server_addr=6.6.6.6").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters");
    }
}
