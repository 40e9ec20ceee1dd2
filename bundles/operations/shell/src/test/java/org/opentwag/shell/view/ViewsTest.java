package org.opentwag.shell.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.api.accounting.AccountingStatus;
import org.opentwag.api.charging.Usage;
import org.opentwag.api.state.ClientState;
import org.opentwag.diameter.stack.ConnectionRole;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.diameter.stack.PeerState;
import org.opentwag.diameter.stack.Transport;

class ViewsTest {

    private static final Formats UTC = new Formats(ZoneOffset.UTC);
    /** 2025-10-12 10:31:49 UTC, the guide's "First Seen". */
    private static final long T0 = Instant.parse("2025-10-12T10:31:49Z").toEpochMilli();
    private static final String NAI = "0313380900001867@wlan.mnc338.mcc313.3gppnetwork.org";

    private static String print(Consumer<PrintStream> body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            body.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The cells of the table row that contains {@code key}, split on the table's column separator. */
    private static List<String> rowWith(String text, String key) {
        String line = text.lines().filter(l -> l.contains(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no row with " + key + " in\n" + text));
        return List.of(line.split("\\s*[|│]\\s*")).stream().map(String::trim).toList();
    }

    private static AccessPoint guideAp() {
        return new AccessPoint("10.7.15.72", "ap-lobby", "64-D9-89-1D-A4-20", "ONS", 19, 1400, T0, T0 + 1000, 1);
    }

    private static AccountingSession session(String id, boolean open, long in, long out, long seconds, long start) {
        return new AccountingSession(id, "10.7.15.72", NAI, "313380900001867", "64-D9-89-1D-A4-20:ONS",
                "86-81-69-A7-B4-B2", "10.45.0.9", start, start + seconds * 1000, new Usage(in, out, 0, 0, seconds),
                open, open ? 0 : 1);
    }

    @Test
    void octetsAreWrittenInTheGuidesDecimalUnits() {
        assertThat(Formats.octets(0)).isEqualTo("0 B");
        assertThat(Formats.octets(999)).isEqualTo("999 B");
        assertThat(Formats.octets(4_120_000)).isEqualTo("4.12 MB");
        assertThat(Formats.octets(146_500_000)).isEqualTo("146.5 MB");
        assertThat(Formats.octets(623_070_000)).isEqualTo("623.07 MB");
        assertThat(Formats.octets(193_300_000)).isEqualTo("193.3 MB");
        assertThat(Formats.octets(5_000_000)).isEqualTo("5 MB");
        assertThat(Formats.octets(204_400_000)).isEqualTo("204.4 MB");
        assertThat(Formats.octets(2L * (1L << 32) + 1000)).isEqualTo("8.59 GB");
    }

    @Test
    void durationsUseTwoUnitsAsTheGuide() {
        assertThat(Formats.duration(250_000)).isEqualTo("4m 10s");
        assertThat(Formats.duration((8 * 3600 + 27 * 60 + 5) * 1000L)).isEqualTo("8h 27m");
        assertThat(Formats.duration(42_999)).isEqualTo("42s");
        assertThat(Formats.duration(-5)).isEqualTo("0s");
        assertThat(Formats.duration((2 * 86400 + 3 * 3600) * 1000L)).isEqualTo("2d 3h");
    }

    @Test
    void nasPortTypeHasItsDictionaryName() {
        assertThat(Formats.nasPortType(19)).isEqualTo("Wireless-802.11");
        assertThat(Formats.nasPortType(15)).isEqualTo("Ethernet");
        assertThat(Formats.nasPortType(0)).isEqualTo("-");
        assertThat(Formats.nasPortType(77)).isEqualTo("77");
    }

    @Test
    void theAccessPointListShowsEveryFieldOfTheGuide() {
        AccessPoint quiet = new AccessPoint("10.7.15.80", null, null, null, 0, 0, T0, T0, 0);
        String text = print(out -> new AccessPointView(UTC).list(List.of(guideAp(), quiet), out));
        assertThat(text.lines().findFirst()).contains("2 APs, 1 Total Clients");
        assertThat(rowWith(text, "10.7.15.72")).containsExactly("10.7.15.72", "64-D9-89-1D-A4-20", "ONS",
                "2025-10-12 10:31:49", "2025-10-12 10:31:50", "1", "Wireless-802.11", "1400", "ap-lobby", "-", "-",
                "-");
        assertThat(rowWith(text, "10.7.15.80")).containsExactly("10.7.15.80", "-", "-", "2025-10-12 10:31:49",
                "2025-10-12 10:31:49", "0", "-", "-", "-", "-", "-", "-");
        // With the subscriber trace's counts: accepts, rejects and the last reject's time and reason.
        String counted = print(out -> new AccessPointView(UTC).list(List.of(guideAp()), java.util.Map.of("10.7.15.72",
                new org.opentwag.api.trace.AccessPointOutcomes("10.7.15.72", 5, 2, org.opentwag.api.trace.Rejection.of(
                        org.opentwag.api.trace.RejectReason.AUTH_MISMATCH, "RES"), T0)), out));
        assertThat(counted).contains("LAST REJECT");
        assertThat(rowWith(counted, "10.7.15.72")).endsWith("5", "2", "2025-10-12 10:31:49 mac_res_mismatch");
    }

    @Test
    void accessPointDetailsAreTheGuidesPageFollowedByItsSessions() {
        AccountingSession s = session("00000010", true, 427_720_000, 193_300_000, 250, T0);
        String text = print(out -> new AccessPointView(UTC).details(guideAp(), List.of(s), T0 + 333_000, out));
        assertThat(text).contains("Called Station ID (AP MAC:SSID)  64-D9-89-1D-A4-20:ONS")
                .contains("Client Count                     1")
                .contains("First Seen                       2025-10-12 10:31:49")
                .contains("Last Seen                        2025-10-12 10:31:50")
                .contains("Framed MTU                       1400")
                .contains("NAS IP Address                   10.7.15.72")
                .contains("NAS Port Type                    Wireless-802.11")
                .contains("Uptime (since first seen)        5m 33s")
                .contains("Sessions at 10.7.15.72:");
        assertThat(rowWith(text, "00000010")).contains("313380900001867", "Active", "193.3 MB", "427.72 MB");
    }

    @Test
    void usageShowsDownAsOutputOctetsAndTheTotals() {
        List<AccountingSession> sessions = List.of(
                session("00000010", true, 427_720_000, 193_300_000, 250, T0),
                session("0000000F", false, 146_500_000, 4_120_000, 8 * 3600 + 27 * 60, T0 - 40_000_000),
                session("0000000E", false, 48_850_000, 6_980_000, 16 * 60 + 9, T0 - 50_000_000));
        UsageView view = new UsageView(UTC);
        assertThat(view.summary(sessions)).isEqualTo("3 Sessions, 1 Active, Down 204.4 MB / Up 623.07 MB");
        String text = print(out -> view.table(sessions, T0 + 300_000, out));
        assertThat(rowWith(text, "00000010")).containsExactly("00000010", NAI, "313380900001867",
                "86-81-69-A7-B4-B2", "10.7.15.72", "ONS", "2025-10-12 10:31:49", "Active", "5m 0s", "193.3 MB",
                "427.72 MB");
        assertThat(rowWith(text, "0000000F")).contains("Stopped", "8h 27m", "4.12 MB", "146.5 MB");
        assertThat(rowWith(text, "0000000E")).contains("Stopped", "16m 9s", "6.98 MB", "48.85 MB");
    }

    @Test
    void anOpenSessionLastsAtLeastSinceItsStartAndAStoppedOneAsTheApReported() {
        AccountingSession open = session("A", true, 0, 0, 60, T0);
        assertThat(UsageView.durationMillis(open, T0 + 600_000)).isEqualTo(600_000);
        AccountingSession stopped = session("B", false, 0, 0, 60, T0);
        assertThat(UsageView.durationMillis(stopped, T0 + 600_000)).isEqualTo(60_000);
        AccountingSession noTime = new AccountingSession("C", "10.0.0.1", null, null, null, null, null, T0,
                T0 + 7_000, Usage.NONE, false, 0);
        assertThat(UsageView.durationMillis(noTime, T0 + 600_000)).isEqualTo(7_000);
    }

    @Test
    void ssidComesFromACalledStationIdWithAMac() {
        assertThat(UsageView.ssid("64-D9-89-1D-A4-20:ONS")).isEqualTo("ONS");
        assertThat(UsageView.ssid("64:d9:89:1d:a4:20:eduroam")).isEqualTo("eduroam");
        assertThat(UsageView.ssid("64-D9-89-1D-A4-20")).isNull();
        assertThat(UsageView.ssid("not a mac:SSID")).isNull();
        assertThat(UsageView.ssid(null)).isNull();
    }

    @Test
    void aSessionBelongsToItsUserNameOrItsImsi() {
        AccountingSession s = session("A", true, 0, 0, 0, T0);
        assertThat(UsageView.belongsTo(s, NAI)).isTrue();
        assertThat(UsageView.belongsTo(s, "313380900001867")).isTrue();
        assertThat(UsageView.belongsTo(s, "313380900001868")).isFalse();
    }

    @Test
    void clientsAreCountedByStatusAndListedNewestFirst() {
        ClientState accepted = new ClientState(NAI, "313380900001867", ClientState.Status.ACCEPTED, "EAP-AKA",
                "10.7.15.72", "64-D9-89-1D-A4-20:ONS", "86-81-69-A7-B4-B2", T0, T0 + 2000, T0 + 2000, null);
        ClientState rejected = new ClientState("0001019999999999@x", null, ClientState.Status.REJECTED, "EAP-AKA",
                "10.7.15.72", null, null, T0, T0 + 5000, 0, "unknown subscriber");
        String text = print(out -> new ClientView(UTC).list(List.of(accepted, rejected), null, T0 + 62_000, out));
        assertThat(text.lines().findFirst()).contains("1 Accepted, 0 Authenticating, 1 Rejected, 0 Ended");
        assertThat(text.indexOf("0001019999999999@x")).isLessThan(text.indexOf(NAI));
        assertThat(rowWith(text, NAI)).containsExactly(NAI, "313380900001867", "Accepted", "EAP-AKA",
                "2025-10-12 10:31:51", "1m 0s", "10.7.15.72", "86-81-69-A7-B4-B2");
        String onlyAccepted = print(out -> new ClientView(UTC).list(List.of(accepted, rejected), "accepted",
                T0, out));
        assertThat(onlyAccepted).contains(NAI).doesNotContain("0001019999999999@x");
        String details = print(out -> new ClientView(UTC).details(rejected, out));
        assertThat(details).contains("Last Rejection                   unknown subscriber")
                .contains("IMSI                             -");
    }

    @Test
    void theHssUserDataIsShownBelowTheClient() {
        var d = new org.opentwag.api.vectors.Non3gppUserData(
                org.opentwag.api.vectors.Non3gppUserData.IpAccess.NON_3GPP_SUBSCRIPTION_BARRED, null, "33612345678",
                new org.opentwag.api.vectors.Non3gppUserData.Ambr(1000, 2000), 1L,
                List.of(new org.opentwag.api.vectors.Non3gppUserData.ApnConfiguration(1, "internet", null)));
        String text = print(out -> new ClientView(UTC).userData(d, out));
        assertThat(text).contains("Non-3GPP Access (HSS)            Barred")
                .contains("Non-3GPP APNs (HSS)              Enabled")
                .contains("MSISDN                           33612345678")
                .contains("AMBR                             UL 1000 bit/s, DL 2000 bit/s")
                .contains("APN 1 (default)                  internet");
    }

    @Test
    void aHomeRoutedClientShowsItsApnPhoneIpPgwAndTeids() {
        var p = new org.opentwag.api.s2a.HomeRouting.PdnConnectionView("001010000000002", "wlan.operator",
                "10.45.0.2", "127.0.0.4:2123", 0x1234, 0xabcd, 0x5678, "0xef01@127.0.0.7", T0);
        String text = print(out -> new ClientView(UTC).pdnConnection(p, out));
        assertThat(text).contains("Path                             Home-routed (S2a)")
                .contains("APN                              wlan.operator")
                .contains("Phone IP (PAA)                   10.45.0.2")
                .contains("PGW                              127.0.0.4:2123")
                .contains("TEID control (ours / PGW)        0x00001234 / 0x0000abcd")
                .contains("TEID user (ours / PGW)           0x00005678 / 0xef01@127.0.0.7");
    }

    @Test
    void peersShowStateAndNamedApplications() {
        PeerInfo hss = new PeerInfo("hss.epc.mnc001.mcc001.3gppnetwork.org", "epc.mnc001.mcc001.3gppnetwork.org",
                "127.0.0.1", 3869, Transport.TCP, ConnectionRole.INITIATOR, PeerState.OPEN, Instant.ofEpochMilli(T0),
                "OpenTWAG HSS simulator", Set.of(16777265L), Set.of(16777265L), false, true, 0);
        PeerInfo ocs = new PeerInfo("ocs.example", "example", "10.0.0.9", 3868, Transport.TCP, null,
                PeerState.CLOSED, null, null, null, null, false, true, 2);
        String text = print(out -> new PeerView(UTC).list(List.of(hss, ocs), out));
        assertThat(text.lines().findFirst()).contains("1 Connected, 1 Disconnected");
        assertThat(rowWith(text, "hss.epc")).containsExactly("hss.epc.mnc001.mcc001.3gppnetwork.org",
                "epc.mnc001.mcc001.3gppnetwork.org", "tcp://127.0.0.1:3869", "Connected", "INITIATOR",
                "OpenTWAG HSS simulator", "16777265 (SWx)", "0", "0", "-", "-");
        assertThat(rowWith(text, "ocs.example")).contains("CLOSED", "-");
        String measured = print(out -> new PeerView(UTC).list(List.of(hss), List.of(
                new org.opentwag.diameter.stack.PeerTraffic("hss.epc.mnc001.mcc001.3gppnetwork.org", 40, 3, 4.25,
                        180.0)), out));
        assertThat(rowWith(measured, "hss.epc")).endsWith("40", "3", "4.3", "180.0");
        String details = print(out -> new PeerView(UTC).details(ocs, out));
        assertThat(details).contains("Pending Requests                 2").contains("Since                            -");
    }

    @Test
    void aSessionsHistoryListsEachRecordWithItsRfcNamesAndCounters() {
        AccountingRecord start = new AccountingRecord(AccountingStatus.START, T0, "10.7.15.72", "ap-lobby", "S1",
                NAI, "313380900001867", "tok", "64-D9-89-1D-A4-20:ONS", "86-81-69-A7-B4-B2", null, Usage.NONE, 0);
        AccountingRecord stop = new AccountingRecord(AccountingStatus.STOP, T0 + 600_000, "10.7.15.72", "ap-lobby",
                "S1", NAI, "313380900001867", "tok", null, null, null,
                new Usage(623_070_000L, 204_400_000L, 10, 20, 600), 4);
        AccountingRecord unknown = new AccountingRecord(null, T0 + 700_000, "10.7.15.72", null, "S1", null, null,
                null, null, null, null, Usage.NONE, 99);
        String text = print(out -> new AccountingHistoryView(UTC).table(List.of(start, stop, unknown), out));
        assertThat(rowWith(text, "10:31:49")).contains("Start", NAI, "313380900001867", "0s", "-");
        // Down is what the AP sent to the phone (Acct-Output-Octets), as in the usage view.
        assertThat(rowWith(text, "10:41:49")).contains("Stop", "10m 0s", "204.4 MB", "623.07 MB", "Idle-Timeout");
        assertThat(rowWith(text, "10:43:29")).contains("other", "99");
        assertThat(text.indexOf("10:31:49")).isLessThan(text.indexOf("10:41:49"));
    }

    @Test
    void findingsListUnsafeFirstWithWhatToDo() {
        String text = print(out -> new FindingsView().print(List.of(
                org.opentwag.api.check.Finding.warning("simulators", "The embedded HSS simulator is enabled", "Disable it"),
                org.opentwag.api.check.Finding.unsafe("metrics", "Metrics listen on 0.0.0.0 without a login", "Bind 127.0.0.1")),
                out));
        assertThat(text).startsWith("1 unsafe, 1 warning");
        assertThat(text.indexOf("[UNSAFE] metrics: Metrics listen")).isLessThan(text.indexOf("[WARNING] simulators"));
        assertThat(text).contains("    what to do: Bind 127.0.0.1");
        assertThat(print(out -> new FindingsView().print(List.of(), out))).contains("No unsafe or inconsistent setting");
    }
}
