package org.opentwag.webconsole.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.api.charging.Usage;
import org.opentwag.api.state.ClientState;

class ConsolePageTest {

    private static final long NOW = 1_760_000_000_000L;

    @Test
    void showsEachViewWithItsRows() {
        String html = ConsolePage.render(new ConsoleSnapshot(
                List.of(new ClientState("0001010000000001@wlan", "001010000000001", ClientState.Status.ACCEPTED,
                        "EAP-AKA", "10.7.15.72", "64-D9-89-1D-A4-20:ONS", "86-81-69-A7-B4-B2", NOW, NOW, NOW, null)),
                List.of(new AccessPoint("10.7.15.72", "ap-lobby", "64-D9-89-1D-A4-20", "ONS", 19, 1400, NOW - 60_000,
                        NOW, 1)),
                List.of(new AccountingSession("0000000F", "10.7.15.72", "0001010000000001@wlan", "001010000000001",
                        null, "86-81-69-A7-B4-B2", null, NOW - 250_000, NOW, new Usage(4_120_000, 193_300_000, 0, 0,
                        250), true, 0)),
                List.of(new ConsoleSnapshot.PeerRow("hss.example", "epc.example", "OPEN", "TCP", "pyHSS")), NOW));
        assertThat(html).contains("<h2>RADIUS clients</h2>", "001010000000001", "ACCEPTED", "EAP-AKA")
                .contains("<h2>Access points</h2>", "ap-lobby", "64-D9-89-1D-A4-20", "ONS")
                .contains("<h2>Client usage</h2>", "0000000F", "4m 10s", "193.30 MB / 4.12 MB")
                .contains("<h2>Diameter peers</h2>", "hss.example", "OPEN", "pyHSS");
    }

    @Test
    void aMissingServiceIsSaidNotShownAsEmpty() {
        String html = ConsolePage.render(new ConsoleSnapshot(List.of(), null, null, null, NOW));
        assertThat(html).contains("0 entries").contains("accounting not installed")
                .contains("Diameter stack not installed");
    }

    @Test
    void whatCameFromTheAirIsEscaped() {
        String html = ConsolePage.render(new ConsoleSnapshot(List.of(new ClientState("<script>alert(1)</script>",
                null, ClientState.Status.REJECTED, null, "10.0.0.1", null, null, NOW, NOW, 0, "x")), null, null, null,
                NOW));
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void bytesAreShownInDecimalUnits() {
        assertThat(ConsolePage.bytes(999)).isEqualTo("999 B");
        assertThat(ConsolePage.bytes(204_400_000)).isEqualTo("204.40 MB");
        assertThat(ConsolePage.bytes(10_000_000_000L)).isEqualTo("10.00 GB");
    }
}
