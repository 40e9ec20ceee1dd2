package org.opentwag.gtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Called-Station-Id (RFC 3580 3.20: "AP-MAC:SSID") into the TWAN Identifier's BSSID and SSID. */
class TwanIdentifierTest {

    @Test
    void macWithDashesOrColonsAndTheSsid() {
        for (String csi : new String[] {"02-00-00-00-00-01:OpenTWAG", "02:00:00:00:00:01:OpenTWAG",
                "020000000001:OpenTWAG"}) {
            Ies.TwanIdentifier t = Ies.TwanIdentifier.fromCalledStationId(csi);
            assertThat(t.ssid()).as(csi).isEqualTo("OpenTWAG");
            assertThat(t.bssid()).as(csi).isEqualTo(HexFormat.of().parseHex("020000000001"));
        }
    }

    @Test
    void withoutSsidOrWithoutMac() {
        assertThat(Ies.TwanIdentifier.fromCalledStationId("02-00-00-00-00-01").ssid()).isEmpty();
        Ies.TwanIdentifier t = Ies.TwanIdentifier.fromCalledStationId("not a mac");
        assertThat(t.ssid()).isEqualTo("not a mac");
        assertThat(t.bssid()).isNull();
        assertThat(Ies.TwanIdentifier.fromCalledStationId(null)).isNull();
    }
}
