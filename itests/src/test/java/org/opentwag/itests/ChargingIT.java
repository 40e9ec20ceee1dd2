package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;

/**
 * Every charging mode end to end through a standalone distribution (its own ports, its own OCS simulator), with
 * eapol_test for the logins and radclient for the AP's accounting: authorization-only refuses a subscriber with no
 * balance; online cuts a subscriber off with a Disconnect-Request to the AP (this test's DAS listener) once the
 * balance is used; the OCS dying triggers the configured Credit-Control-Failure-Handling; the CDI example plugin is
 * installed with feature:install into the running server, switched to, and charges, with no restart. Gy on loopback
 * decodes in tshark with no malformed AVP.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ChargingIT {

    private static final int AUTH_PORT = 22812;
    private static final int ACCT_PORT = 22813;
    private static final int DAS_PORT = 22799;
    private static final String SECRET = "charging-it-secret";
    private static final String NAS = "10.9.0.1";
    /** Lab subscriber 011 of etc/hss-subscribers.csv: TS 35.208 test set 4 keys, balance 0 in this test. */
    private static final String EMPTY_IMSI = "001010000000011";
    private static final String EMPTY_KEYS = "9e5944aea94b81165c82fbf9f32db751:a64a507ae1a2a98bb88eb4210135dc87";
    private static final String LAB_KEYS = Eapol.KI + ":" + Eapol.OPC;
    private static final long MIB = 1L << 20;
    private static final Pattern CLASS = Pattern.compile("Attribute 25 \\(Class\\) length=\\d+\\s+Value: ([0-9a-f]+)");

    private static StandaloneDistribution karaf;
    private static int ocsPort;
    private static int sqn = 0x40;

    @BeforeClass
    public static void startNode() throws Exception {
        Path balances = Files.createTempFile("ocs-balances", ".csv");
        // 002: 15 MiB, so the second 10 MiB chunk is the final one; 011: nothing left.
        Files.writeString(balances, "imsi,balance_octets\n001010000000001,1099511627776\n001010000000002,"
                + 15 * MIB + "\n001010000000003,1099511627776\n" + EMPTY_IMSI + ",0\n");
        karaf = StandaloneDistribution.start("charging", AUTH_PORT, ACCT_PORT, SECRET, Map.of(
                "org.opentwag.ocssim.cfg:balancesFile", balances.toString(),
                "org.opentwag.ocssim.cfg:defaultGrantOctets", String.valueOf(10 * MIB),
                "org.opentwag.charging.gy.cfg:chunkOctets", String.valueOf(10 * MIB),
                "org.opentwag.radius.client-default.cfg:dasPort", String.valueOf(DAS_PORT)));
        ocsPort = Integer.parseInt(Files.readAllLines(karaf.home().resolve("etc/org.opentwag.ocssim.cfg")).stream()
                .filter(l -> l.matches("^listenPort\\s*=.*")).findFirst().orElseThrow().split("=")[1].trim());
    }

    @AfterClass
    public static void stopNode() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }

    /** An eapol_test login on this node; the USIM's SQN moves on each time so the HSS never sees a replay. */
    private static ExternalTool.Result login(String imsi, String keys) throws Exception {
        Path conf = Files.createTempFile("eapol", ".conf");
        try {
            Files.writeString(conf, "network={\n  ssid=\"test\"\n  key_mgmt=WPA-EAP\n  eap=AKA\n  identity=\"0" + imsi
                    + Eapol.REALM + "\"\n  password=\"" + keys + ":" + String.format("%012x", sqn++) + "\"\n}\n");
            return ExternalTool.run(List.of(ExternalTool.eapolTest(), "-c", conf.toString(), "-a", "127.0.0.1",
                    "-p", String.valueOf(AUTH_PORT), "-s", SECRET, "-t", "10", "-M", "86:81:69:a7:b4:b2",
                    "-N", "30:s:64-D9-89-1D-A4-20:OpenTWAG"), null, 60);
        } finally {
            Files.deleteIfExists(conf);
        }
    }

    /** The Class the Access-Accept carried (eapol_test dumps the RADIUS messages it receives). */
    private static String classOf(ExternalTool.Result accepted) {
        Matcher m = CLASS.matcher(accepted.output());
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) {
            throw new AssertionError("no Class in the Access-Accept:\n" + accepted.output());
        }
        return last;
    }

    private static ExternalTool.Result accounting(String status, String imsi, String session, String classHex,
                                                  long inOctets, long outOctets) throws Exception {
        String attributes = "Acct-Status-Type = " + status + "\nAcct-Session-Id = \"" + session + "\"\n"
                + "User-Name = \"0" + imsi + Eapol.REALM + "\"\nNAS-IP-Address = " + NAS + "\n"
                + "Called-Station-Id = \"64-D9-89-1D-A4-20:OpenTWAG\"\nCalling-Station-Id = \"86-81-69-A7-B4-B2\"\n"
                + "Class = 0x" + classHex + "\nAcct-Input-Octets = " + inOctets + "\nAcct-Output-Octets = "
                + outOctets + "\nAcct-Session-Time = 60\n";
        ExternalTool.Result r = ExternalTool.run(List.of("radclient", "-x", "-r", "1", "-t", "5",
                "127.0.0.1:" + ACCT_PORT, "acct", SECRET), attributes.getBytes(StandardCharsets.US_ASCII), 30);
        assertTrue(r.output(), r.output().contains("Received Accounting-Response"));
        return r;
    }

    private static void console(String command) throws Exception {
        ExternalTool.Result r = karaf.console(command, 60);
        assertEquals(r.output(), 0, r.exitCode());
    }

    private static double metric(String series) throws Exception {
        return Metrics.scrape(karaf.metricsPort()).getOrDefault(series, 0.0);
    }

    /** The sum of every series of a metric (all label values). */
    private static double total(String name) throws Exception {
        return Metrics.scrape(karaf.metricsPort()).entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Waits, bounded, until a metric's total reaches at least min; returns the last total seen. */
    private static double awaitTotal(String name, double min, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        double v = total(name);
        while (v < min && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            v = total(name);
        }
        return v;
    }

    /** The token of the Class attribute (OTWAG1:token), as charging plugins see it as the session id. */
    private static String token(String classHex) {
        String value = new String(java.util.HexFormat.of().parseHex(classHex), StandardCharsets.US_ASCII);
        assertTrue(value, value.startsWith("OTWAG1:"));
        return value.substring("OTWAG1:".length());
    }

    @Test
    public void a_onlineChargingCutsTheSubscriberOffAtTheApOnceTheBalanceIsUsed() throws Exception {
        try (DatagramSocket das = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                DAS_PORT));
             ExternalTool.Capture gy = new ExternalTool.Capture("tcp port " + ocsPort,
                     List.of("tcp.port==" + ocsPort + ",diameter"), 120)) {
            das.setSoTimeout(10_000);
            ExternalTool.Result accepted = login("001010000000002", LAB_KEYS);
            assertEquals(accepted.output(), 0, accepted.exitCode());
            // Online: the Access-Accept asks for interim updates so usage reaches the OCS while the session runs.
            assertTrue(accepted.output(), accepted.output().contains("Attribute 85 (Acct-Interim-Interval)"));
            String classHex = classOf(accepted);
            String session = "CHG-ONLINE-" + System.nanoTime();
            accounting("Start", "001010000000002", session, classHex, 0, 0);
            // 9 MiB of the first 10 MiB chunk: past the 80% threshold, so a CCR-U; the OCS has 6 MiB left and
            // grants them as the final units.
            accounting("Interim-Update", "001010000000002", session, classHex, MIB, 8 * MIB);
            assertNoDisconnect(das);
            // The operator's view: the mode, and this session with the quota it has left.
            ExternalTool.Result shown = karaf.console("twag:charging", 60);
            assertTrue(shown.output(), shown.output().contains("online") && shown.output().contains("001010000000002"));
            // 15.5 MiB: beyond everything the subscriber had. The AP must be told to drop the phone.
            accounting("Interim-Update", "001010000000002", session, classHex, 2 * MIB, 13 * MIB + MIB / 2);
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            das.receive(p);
            RadiusPacket disconnect = RadiusPacket.decode(Arrays.copyOf(p.getData(), p.getLength()));
            assertEquals(RadiusCode.DISCONNECT_REQUEST, disconnect.code());
            assertEquals("0001010000000002" + Eapol.REALM, disconnect.string(RadiusDictionary.USER_NAME).orElse(null));
            assertEquals(session, disconnect.string(RadiusDictionary.ACCT_SESSION_ID).orElse(null));
            accounting("Stop", "001010000000002", session, classHex, 2 * MIB, 13 * MIB + MIB / 2);

            // Counted once the AP's answer (or its absence: this DAS does not answer) is known.
            double forced = awaitTotal("charging_forced_disconnect_count", 1, 20_000);
            assertTrue(forced + " forced disconnects", forced >= 1);
            List<String> decoded = awaitCcrTerminate(gy);
            String malformed = decoded.get(1).lines().filter(l -> !l.contains("Running as user"))
                    .collect(java.util.stream.Collectors.joining("\n"));
            assertEquals("malformed Gy packets:\n" + malformed, "", malformed.trim());
            assertTrue(decoded.get(0), decoded.get(0).contains("Credit-Control"));
        }
        // With nothing left, the next login of that subscriber is refused by the OCS.
        ExternalTool.Result refused = login("001010000000002", LAB_KEYS);
        assertNotEquals(refused.output(), 0, refused.exitCode());
        assertTrue(refused.output(), refused.output().contains("Access-Reject"));
    }

    /** The CCR-T goes out after the Stop; give it a moment to be on the wire before the capture stops. */
    private static List<String> awaitCcrTerminate(ExternalTool.Capture gy) throws Exception {
        long deadline = System.currentTimeMillis() + 5_000;
        while (metric("charging_ccr_count{mode=\"online\",type=\"termination\"}") < 1
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(500);
        return gy.stopAndCheck();
    }

    private static void assertNoDisconnect(DatagramSocket das) throws Exception {
        das.setSoTimeout(1_000);
        try {
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            das.receive(p);
            throw new AssertionError("a Disconnect-Request while the subscriber still had credit");
        } catch (SocketTimeoutException expected) {
            // nothing: the subscriber still has credit
        } finally {
            das.setSoTimeout(10_000);
        }
    }

    @Test
    public void b_authorizationOnlyRefusesASubscriberWithNoBalanceAndLetsOthersIn() throws Exception {
        console("config:property-set -p org.opentwag.charging mode authorization-only");
        try {
            ExternalTool.Result refused = login(EMPTY_IMSI, EMPTY_KEYS);
            assertNotEquals(refused.output(), 0, refused.exitCode());
            assertTrue(refused.output(), refused.output().contains("Access-Reject"));
            ExternalTool.Result accepted = login("001010000000001", LAB_KEYS);
            assertEquals(accepted.output(), 0, accepted.exitCode());
            // Authorization-only: no interim updates are asked for, the CCR-T at Stop reports the usage.
            String classHex = classOf(accepted);
            String session = "CHG-AUTHZ-" + System.nanoTime();
            accounting("Start", "001010000000001", session, classHex, 0, 0);
            accounting("Stop", "001010000000001", session, classHex, 1000, 2000);
            long deadline = System.currentTimeMillis() + 5_000;
            while (metric("charging_ccr_count{mode=\"authorization-only\",type=\"termination\"}") < 1
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(0.0, metric("charging_ccr_count{mode=\"authorization-only\",type=\"update\"}"), 0.0);
            assertTrue(metric("charging_ccr_count{mode=\"authorization-only\",type=\"termination\"}") >= 1);
        } finally {
            console("config:property-set -p org.opentwag.charging mode online");
        }
    }

    @Test
    public void c_anOcsThatDiesGetsTheConfiguredFailureHandling() throws Exception {
        assertEquals(0, login("001010000000003", LAB_KEYS).exitCode());
        console("config:property-set -p org.opentwag.ocssim enabled false");
        try {
            Metrics.awaitPeer(karaf.metricsPort(), Metrics.OCS, false);
            // TERMINATE (the default): no credit control possible, no access.
            ExternalTool.Result refused = login("001010000000003", LAB_KEYS);
            assertNotEquals(refused.output(), 0, refused.exitCode());
            assertTrue(refused.output(), refused.output().contains("Access-Reject"));
            // CONTINUE: the operator prefers service to charging while the OCS is away.
            console("config:property-set -p org.opentwag.charging.gy failureHandling CONTINUE");
            ExternalTool.Result let = login("001010000000003", LAB_KEYS);
            assertEquals(let.output(), 0, let.exitCode());
            double failures = total("charging_ocs_failure_count");
            assertTrue(failures + " OCS failures handled", failures >= 2);
        } finally {
            console("config:property-set -p org.opentwag.charging.gy failureHandling TERMINATE");
            console("config:property-set -p org.opentwag.ocssim enabled true");
        }
        Metrics.awaitPeer(karaf.metricsPort(), Metrics.OCS, true);
        assertEquals(0, login("001010000000003", LAB_KEYS).exitCode());
    }

    @Test
    public void d_aVendorPluginInstalledIntoTheRunningServerChargesWithoutRestart() throws Exception {
        long pid = karaf.pid();
        console("feature:install opentwag-charging-cdr");
        console("config:property-set -p org.opentwag.charging mode cdr-file");
        try {
            ExternalTool.Result accepted = login("001010000000001", LAB_KEYS);
            assertEquals(accepted.output(), 0, accepted.exitCode());
            String classHex = classOf(accepted);
            String session = "CHG-CDR-" + System.nanoTime();
            String sessionId = token(classHex);
            accounting("Start", "001010000000001", session, classHex, 0, 0);
            accounting("Stop", "001010000000001", session, classHex, 4_120_000, 193_300_000);
            Path cdrs = karaf.home().resolve("data/cdr");
            String written = "";
            long deadline = System.currentTimeMillis() + 10_000;
            while (!written.contains(sessionId) && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
                if (Files.isDirectory(cdrs)) {
                    try (Stream<Path> files = Files.list(cdrs)) {
                        written = files.map(f -> {
                            try {
                                return Files.readString(f);
                            } catch (java.io.IOException e) {
                                return "";
                            }
                        }).reduce("", String::concat);
                    }
                }
            }
            String line = written.lines().filter(l -> l.contains(sessionId)).findFirst()
                    .orElseThrow(() -> new AssertionError("no CDR for " + sessionId + " in " + cdrs));
            assertTrue(line, line.contains("001010000000001"));
            assertTrue(line, line.contains("4120000") && line.contains("193300000"));
            assertEquals("the server was not restarted", pid, karaf.pid());
        } finally {
            console("config:property-set -p org.opentwag.charging mode online");
            console("feature:uninstall opentwag-charging-cdr");
        }
    }
}
