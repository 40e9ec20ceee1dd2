package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;

/**
 * Home routing over S2a against open5gs (its SMF as PGW-C, UPF as PGW-U, built by .ci/tools.d/open5gs.sh, run in a
 * network namespace by the shared open5gs-pgw.sh; a PGW we did not write). OpenTWAG runs in the same namespace.
 * eapol_test authenticates a home-routed subscriber: the HSS (simulator) gives its APN configurations, and the Create
 * Session Request asks for the default one (read back from the capture), which open5gs accepts (cause 16), assigning an
 * address from 10.45.0.0/16 that {@code twag:client} shows with the PGW and the TEIDs; a subscriber outside the
 * configured IMSI prefixes stays local breakout (no GTP-C); the s2a-gateway bundle restarted between the login and the
 * AP's Accounting-Stop restores the connection from the state store, and the Stop deletes it at the PGW with the TEID
 * open5gs gave (open5gs answers cause 16, read from the capture); the PGW stopped and started again is
 * detected (Echo unanswered: path failure) and its connections are cleaned here, after which a login is home-routed
 * again. tshark decodes every GTPv2-C and GTP-U packet of the run with 0 malformed.
 *
 * <p>The user plane: a TAP device in the PGW's namespace is OpenTWAG's access interface, bridged by a veth to a
 * "phone" namespace whose interface has the MAC eapol_test reports as Calling-Station-Id (the AP's SoftGRE tunnel in
 * the field). After the login, busybox udhcpc in the phone's namespace gets the PGW-assigned address (the one
 * {@code twag:s2a} shows), the gateway and open5gs' DNS servers from OpenTWAG's DHCP; {@code ping 10.45.0.1} (the
 * UPF's ogstun address) is answered through the GTP-U tunnel (OpenTWAG 127.0.0.1:2152, the UPF 127.0.0.7:2152),
 * every G-PDU counted both ways. After the Accounting-Stop the phone gets neither a ping answer nor a DHCP lease.
 */
public class S2aHomeRoutingIT {

    private static final String NS = "s2a-o5gs";
    private static final int AUTH_PORT = 22912;
    private static final int ACCT_PORT = 22913;
    private static final String SECRET = "s2a-it-secret";
    private static final String HOME_ROUTED = "001010000000002";
    private static final String LOCAL = "001010000000003";
    /** The default APN the HSS simulator gives every subscriber (the first of its apns), home-routed here. */
    private static final String HSS_APN = "wlan.opentwag";
    private static final String TOOLS = System.getProperty("opentwag.tools",
            System.getProperty("user.home") + "/.cache/opentwag/bin");
    /** The open5gs tree (as the wrapper script uses it: O5GS_DIR when set, so that two runs keep apart PIDs). */
    private static final Path O5GS = System.getenv("O5GS_DIR") != null ? Path.of(System.getenv("O5GS_DIR"))
            : Path.of(TOOLS).getParent().resolve("open5gs");
    /** The phone's namespace and interface, the TAP and bridge in the PGW's namespace (the TWAG's access side). */
    private static final String PHONE_NS = "s2a-phone";
    private static final String PHONE_IF = "s2a-phone0";
    private static final String PHONE_MAC = "02:00:00:00:00:02";
    private static final String TAP = "s2a-tap0";
    private static final String BRIDGE = "s2a-br0";
    private static final String AP_PORT = "s2a-ap0";

    private StandaloneDistribution karaf;
    private Process capture;

    @After
    public void cleanUp() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
        if (capture != null) {
            // SIGKILL on `timeout` would leave its tshark capturing: end the children first, then ask politely.
            capture.descendants().forEach(ProcessHandle::destroy);
            capture.destroy();
            capture.waitFor(10, TimeUnit.SECONDS);
            capture.destroyForcibly();
        }
        removeAccessNetwork();
        pgw("down");
    }

    /** The phone's namespace on a veth, bridged in the PGW's namespace with the TAP OpenTWAG reads. */
    private static void createAccessNetwork() throws Exception {
        removeAccessNetwork();
        for (List<String> c : List.of(
                List.of("ip", "netns", "exec", NS, "ip", "tuntap", "add", "dev", TAP, "mode", "tap"),
                List.of("ip", "netns", "exec", NS, "ip", "link", "add", BRIDGE, "type", "bridge"),
                List.of("ip", "netns", "add", PHONE_NS),
                List.of("ip", "link", "add", AP_PORT, "netns", NS, "type", "veth", "peer", "name", PHONE_IF,
                        "netns", PHONE_NS),
                List.of("ip", "netns", "exec", NS, "ip", "link", "set", TAP, "master", BRIDGE, "up"),
                List.of("ip", "netns", "exec", NS, "ip", "link", "set", AP_PORT, "master", BRIDGE, "up"),
                // The bridge shares the namespace with the UPF's ogstun (10.45.0.1): without this the kernel would
                // answer the phone's ARP for 10.45.0.1 itself and take the pings past OpenTWAG.
                List.of("ip", "netns", "exec", NS, "sysctl", "-q", "-w",
                        "net.ipv4.conf." + BRIDGE + ".arp_ignore=8"),
                List.of("ip", "netns", "exec", NS, "ip", "link", "set", BRIDGE, "up"),
                List.of("ip", "netns", "exec", PHONE_NS, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1"),
                List.of("ip", "netns", "exec", PHONE_NS, "ip", "link", "set", PHONE_IF, "address", PHONE_MAC, "up"),
                List.of("ip", "netns", "exec", PHONE_NS, "ip", "link", "set", "lo", "up"))) {
            ExternalTool.Result r = ExternalTool.run(c, null, 30);
            assertEquals(c + ": " + r.output(), 0, r.exitCode());
        }
    }

    private static void removeAccessNetwork() throws Exception {
        ExternalTool.run(List.of("ip", "netns", "del", PHONE_NS), null, 30); // takes the veth pair with it
        ExternalTool.run(List.of("ip", "netns", "exec", NS, "ip", "link", "del", BRIDGE), null, 30);
        ExternalTool.run(List.of("ip", "netns", "exec", NS, "ip", "link", "del", TAP), null, 30);
    }

    private static ExternalTool.Result pgw(String command) throws Exception {
        ProcessBuilder b = new ProcessBuilder("bash", TOOLS + "/open5gs-pgw.sh", command).redirectErrorStream(true);
        b.environment().put("NS", NS);
        Path out = Files.createTempFile("open5gs", ".out");
        try {
            Process p = b.redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new ExternalTool.Result(-1, Files.readString(out));
            }
            return new ExternalTool.Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    public void aHomeRoutedLoginGetsAPdnConnectionAtOpen5gsThatTheStopDeletesAndAPgwRestartCleans() throws Exception {
        if (!new File(TOOLS, "open5gs-pgw.sh").canExecute()) {
            throw new AssertionError(TOOLS + "/open5gs-pgw.sh is missing: run .ci/install-tools.sh (tools.d/open5gs.sh)");
        }
        if (!new File("/usr/bin/busybox").canExecute()) {
            throw new AssertionError("/usr/bin/busybox (udhcpc) is missing: run .ci/install-tools.sh");
        }
        pgw("down");
        ExternalTool.Result up = pgw("up");
        assertTrue(up.output(), up.output().contains("smfd: pid") && up.output().contains("127.0.0.4:2123"));
        createAccessNetwork();

        Path pcap = Files.createTempFile("s2a", ".pcap");
        pcap.toFile().setWritable(true, false);
        capture = new ProcessBuilder("ip", "netns", "exec", NS, "timeout", "600", "tshark", "-q", "-i", "lo", "-f",
                "udp port 2123 or udp port 2152", "-w", pcap.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        awaitTrue("tshark started", 15, () -> size(pcap) > 0);

        karaf = StandaloneDistribution.startInNamespace(NS, "s2a", AUTH_PORT, ACCT_PORT, SECRET, Map.of(
                "org.opentwag.s2a.cfg:enabled", "true",
                "org.opentwag.s2a.cfg:pgwAddress", "127.0.0.4",
                "org.opentwag.s2a.cfg:localAddress", "127.0.0.1",
                "org.opentwag.s2a.cfg:imsiPrefixes", HOME_ROUTED,
                "org.opentwag.s2a.cfg:homeRoutedApns", HSS_APN + ",internet",
                "org.opentwag.hsssim.cfg:apns", HSS_APN + ",ims",
                "org.opentwag.s2a.cfg:t3Millis", "500",
                "org.opentwag.s2a.cfg:n3", "1",
                "org.opentwag.s2a.cfg:echoIntervalSeconds", "1",
                "org.opentwag.s2a.cfg:accessInterface", TAP));
        karaf.awaitLog("S2a: GTP-C on /127.0.0.1:2123", 30);
        karaf.awaitLog("S2a user plane: access interface " + TAP, 30);

        // 1. A home-routed login: Create Session accepted, an address from the UE pool.
        ExternalTool.Result login = eapol(HOME_ROUTED, PHONE_MAC);
        assertEquals(login.output(), 0, login.exitCode());
        assertEquals(1, metric("s2a_create_session_count{cause=\"request_accepted\"}"), 0);
        String s2a = karaf.console("twag:s2a", 60).output();
        Matcher address = Pattern.compile(HOME_ROUTED + "\\s+" + Pattern.quote(HSS_APN)
                + "\\s+(10\\.45\\.\\d+\\.\\d+)\\s+\\S+\\s+(0x\\p{XDigit}{8})\\s+(0x\\p{XDigit}{8})").matcher(s2a);
        assertTrue(s2a, address.find());
        assertTrue(s2a, s2a.contains("127.0.0.4:2123") && s2a.contains("UP"));
        String pgwTeid = address.group(3);
        // twag:client shows the same connection with the subscriber.
        String client = karaf.console("twag:client " + HOME_ROUTED, 60).output();
        assertTrue(client, client.contains("Home-routed (S2a)") && client.contains(HSS_APN)
                && client.contains(address.group(1)) && client.contains("127.0.0.4:2123")
                && client.contains(address.group(2) + " / " + pgwTeid));
        assertTrue(client, client.lines().anyMatch(l -> l.startsWith("APN 1 (default)") && l.contains(HSS_APN)));
        // open5gs' own log names the APN it was asked for.
        String smfLog = Files.readString(O5GS.resolve("run/log/smf.log"));
        assertTrue("smf.log: UE IMSI[" + HOME_ROUTED + "] APN[" + HSS_APN + "]",
                smfLog.contains("UE IMSI[" + HOME_ROUTED + "] APN[" + HSS_APN + "]"));

        // 1b. The user plane: the phone gets the PGW's address by DHCP and pings the UPF through GTP-U.
        Path lease = Files.createTempFile("s2a-lease", ".txt");
        ExternalTool.Result dhcp = udhcpc(lease, 5);
        assertEquals(dhcp.output(), 0, dhcp.exitCode());
        String leased = Files.readString(lease);
        assertTrue(leased, leased.contains("ip=" + address.group(1) + " "));
        assertTrue(leased, leased.contains("router=10.45.0.1 ") && leased.contains("mask=24 "));
        assertTrue("open5gs' DNS from the PCO: " + leased, leased.contains("dns=8.8.8.8 8.8.4.4"));
        ExternalTool.Result ping = ExternalTool.run(List.of("ip", "netns", "exec", PHONE_NS, "busybox", "ping",
                "-c", "3", "-W", "2", "10.45.0.1"), null, 30);
        assertEquals(ping.output(), 0, ping.exitCode());
        String userPlane = karaf.metricsText().lines().filter(l -> l.matches("s2a_(gtpu|dhcp|arp|userplane).*"))
                .toList().toString();
        assertTrue(userPlane, metric("s2a_gtpu_packets_count{direction=\"uplink\"}") >= 3);
        assertTrue(userPlane, metric("s2a_gtpu_packets_count{direction=\"downlink\"}") >= 3);
        assertEquals(userPlane, 1, metric("s2a_dhcp_replies_count{message=\"ack\"}"), 0);

        // 2. A subscriber outside imsiPrefixes: local breakout, no GTP-C.
        ExternalTool.Result local = eapol(LOCAL, "02:00:00:00:00:03");
        assertEquals(local.output(), 0, local.exitCode());
        assertEquals(1, metric("s2a_create_session_count{cause=\"request_accepted\"}"), 0);
        assertTrue(karaf.console("twag:s2a", 60).output().lines().noneMatch(l -> l.startsWith(LOCAL)));

        // 3. The AP's Accounting-Stop deletes the PDN connection at the PGW ...
        ExternalTool.Result stop = accountingStop(HOME_ROUTED, "02-00-00-00-00-02");
        assertEquals(stop.output(), 0, stop.exitCode());
        awaitTrue("Delete Session accepted by the PGW", 10,
                () -> metric("s2a_delete_session_count{cause=\"request_accepted\"}") == 1);
        assertEquals(0, metric("s2a_pdn_connections"), 0);
        // ... and ends the phone's binding: its packets are dropped, its DHCP unanswered.
        double uplink = metric("s2a_gtpu_packets_count{direction=\"uplink\"}");
        double unknown = metric("s2a_userplane_drops_count{reason=\"unknown_mac\"}");
        ping = ExternalTool.run(List.of("ip", "netns", "exec", PHONE_NS, "busybox", "ping", "-c", "2",
                "-W", "1", "10.45.0.1"), null, 30);
        assertTrue(ping.output(), ping.exitCode() != 0);
        assertEquals(uplink, metric("s2a_gtpu_packets_count{direction=\"uplink\"}"), 0);
        assertTrue(metric("s2a_userplane_drops_count{reason=\"unknown_mac\"}") >= unknown + 2);
        dhcp = udhcpc(lease, 2);
        assertTrue(dhcp.output(), dhcp.exitCode() != 0);
        assertEquals(1, metric("s2a_dhcp_replies_count{message=\"ack\"}"), 0);
        Files.deleteIfExists(lease);

        // 3b. Home-routed again; then the gateway bundle restarts (its memory is gone), restores the connection from
        //     the state store, and the AP's Accounting-Stop still deletes it at the PGW.
        login = eapol(HOME_ROUTED, PHONE_MAC);
        assertEquals(login.output(), 0, login.exitCode());
        assertEquals(2, metric("s2a_create_session_count{cause=\"request_accepted\"}"), 0);
        Matcher second = Pattern.compile(HOME_ROUTED + "\\s+" + Pattern.quote(HSS_APN)
                + "\\s+(10\\.45\\.\\d+\\.\\d+)\\s+\\S+\\s+(0x\\p{XDigit}{8})\\s+(0x\\p{XDigit}{8})")
                .matcher(karaf.console("twag:s2a", 60).output());
        assertTrue(second.find());
        String restoredPgwTeid = second.group(3);
        ExternalTool.Result restart = karaf.console("bundle:restart org.opentwag.s2a-gateway", 60);
        assertEquals(restart.output(), 0, restart.exitCode());
        karaf.awaitLog("S2a: 1 PDN connections restored from the state store", 30);
        awaitTrue("the restored connection listed", 30, () -> {
            try {
                return karaf.console("twag:s2a " + HOME_ROUTED, 60).output().contains(restoredPgwTeid);
            } catch (Exception e) {
                return false;
            }
        });
        stop = accountingStop(HOME_ROUTED, "02-00-00-00-00-02");
        assertEquals(stop.output(), 0, stop.exitCode());
        // (the restarted bundle's counters start again at 0)
        awaitTrue("Delete Session of the restored connection accepted by the PGW", 10,
                () -> metric("s2a_delete_session_count{cause=\"request_accepted\"}") == 1);
        assertEquals(0, metric("s2a_pdn_connections"), 0);

        // 4. The PGW (SMF) stops and starts again: detected, its connection cleaned here; then home-routed again.
        login = eapol(HOME_ROUTED, "02:00:00:00:00:02");
        assertEquals(login.output(), 0, login.exitCode());
        assertEquals(1, metric("s2a_create_session_count{cause=\"request_accepted\"}"), 0); // since the restart
        restartSmf(() -> awaitTrue("path failure detected and the connection cleaned", 20,
                () -> metric("s2a_pgw_path_failures_count") >= 1 && metric("s2a_pdn_connections_cleaned_count") == 1
                        && metric("s2a_pdn_connections") == 0));
        awaitTrue("PGW UP again", 20, () -> {
            try {
                return karaf.console("twag:s2a", 60).output().contains(" UP ");
            } catch (Exception e) {
                return false;
            }
        });
        // A PGW that has just restarted may refuse the first Create Session while it settles (open5gs: cause 64,
        // context not found); the phone's login is refused then and its AP tries again: bounded, 20 s.
        long deadline = System.currentTimeMillis() + 20_000;
        login = eapol(HOME_ROUTED, "02:00:00:00:00:02");
        while (login.exitCode() != 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(1_000);
            login = eapol(HOME_ROUTED, "02:00:00:00:00:02");
        }
        assertEquals(login.output(), 0, login.exitCode());
        assertEquals(2, metric("s2a_create_session_count{cause=\"request_accepted\"}"), 0); // since the restart

        // 5. Wireshark decodes every GTPv2-C packet of the run.
        Thread.sleep(500);
        capture.destroy();
        capture.waitFor(10, TimeUnit.SECONDS);
        List<String> types = tshark(pcap, "gtpv2", "gtpv2.message_type");
        assertTrue("GTPv2-C packets captured: " + types, types.containsAll(List.of("1", "2", "32", "33", "36", "37")));
        assertEquals(List.of(), tshark(pcap, "_ws.malformed || _ws.expert.severity >= \"error\"", "frame.number"));
        // Three ICMP echo requests up and three replies down as G-PDUs between OpenTWAG and the UPF.
        assertEquals(3, tshark(pcap, "gtp.message == 0xff && ip.src == 127.0.0.1 && icmp.type == 8",
                "frame.number").size());
        assertEquals(3, tshark(pcap, "gtp.message == 0xff && ip.dst == 127.0.0.1 && icmp.type == 0",
                "frame.number").size());
        List<String> causes = tshark(pcap, "gtpv2.message_type == 33", "gtpv2.cause");
        // Four accepted (the four home-routed logins); any other answer is the restarted PGW's refusal (cause 64).
        assertEquals(causes.toString(), 4, causes.stream().filter(c -> c.startsWith("16")).count());
        assertTrue(causes.toString(), causes.stream().allMatch(c -> c.startsWith("16") || c.startsWith("64")));
        // Every Create Session Request asked for the HSS's default APN.
        List<String> apns = tshark(pcap, "gtpv2.message_type == 32", "gtpv2.apn");
        assertTrue(apns.toString(), !apns.isEmpty() && apns.stream().allMatch(HSS_APN::equals));
        // Each of the two Delete Sessions (the second after the bundle restart) carried the control TEID open5gs gave
        // in the matching Create Session Response (its F-TEID of interface type 36, S2a PGW GTP-C), and open5gs
        // accepted both (cause 16).
        List<String> types36 = tshark(pcap, "gtpv2.message_type == 33 && gtpv2.cause == 16",
                "gtpv2.f_teid_interface_type");
        List<String> keys = tshark(pcap, "gtpv2.message_type == 33 && gtpv2.cause == 16", "gtpv2.f_teid_gre_key");
        List<String> deleteTeids = tshark(pcap, "gtpv2.message_type == 36", "gtpv2.teid");
        List<String> deleteCauses = tshark(pcap, "gtpv2.message_type == 37", "gtpv2.cause");
        String[] expected = {pgwTeid, restoredPgwTeid};
        for (int i = 0; i < 2; i++) {
            List<String> typesOfAnswer = List.of(types36.get(i).split(","));
            String givenTeid = keys.get(i).split(",")[typesOfAnswer.indexOf("36")];
            assertEquals(Long.decode(expected[i]), Long.decode(givenTeid));
            assertEquals(Long.decode(givenTeid), Long.decode(deleteTeids.get(i)));
            assertTrue(deleteCauses.toString(), deleteCauses.get(i).startsWith("16"));
        }
        Files.deleteIfExists(pcap);
    }

    private ExternalTool.Result eapol(String imsi, String mac) throws Exception {
        Path conf = Files.createTempFile("eapol", ".conf");
        try {
            Files.writeString(conf, "network={\n  ssid=\"test\"\n  key_mgmt=WPA-EAP\n  eap=AKA\n  identity=\"0" + imsi
                    + Eapol.REALM + "\"\n  password=\"" + Eapol.KI + ":" + Eapol.OPC + ":000000000020\"\n}\n",
                    StandardCharsets.US_ASCII);
            return ExternalTool.run(karaf.inNamespace(List.of(ExternalTool.eapolTest(), "-c", conf.toString(),
                    "-a", "127.0.0.1", "-p", String.valueOf(AUTH_PORT), "-s", SECRET, "-t", "10", "-M", mac,
                    "-N", "30:s:02-00-00-00-00-01:OpenTWAG")), null, 60);
        } finally {
            Files.deleteIfExists(conf);
        }
    }

    /**
     * busybox udhcpc in the phone's namespace: {@code tries} DISCOVERs 2 s apart, quits with the lease (exit 0)
     * or without one (exit 1); the lease's values are written to {@code lease} by the script udhcpc runs.
     */
    private static ExternalTool.Result udhcpc(Path lease, int tries) throws Exception {
        Files.writeString(lease, "");
        Path script = Files.createTempFile("s2a-udhcpc", ".sh");
        try {
            Files.writeString(script, "#!/bin/sh\ncase \"$1\" in bound|renew)\n"
                    + "  ip addr flush dev \"$interface\"\n"
                    + "  ip addr add \"$ip/$mask\" dev \"$interface\"\n"
                    + "  ip route replace default via \"$router\" dev \"$interface\"\n"
                    + "  echo \"ip=$ip mask=$mask router=$router dns=$dns lease=$lease\" > " + lease + " ;;\n"
                    + "esac\nexit 0\n", StandardCharsets.US_ASCII);
            script.toFile().setExecutable(true);
            return ExternalTool.run(List.of("ip", "netns", "exec", PHONE_NS, "busybox", "udhcpc", "-i", PHONE_IF,
                    "-f", "-q", "-n", "-t", String.valueOf(tries), "-T", "2", "-s", script.toString()), null, 60);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private ExternalTool.Result accountingStop(String imsi, String mac) throws Exception {
        String stop = "Acct-Status-Type = Stop\nAcct-Session-Id = \"S2A-IT-" + System.nanoTime() + "\"\n"
                + "User-Name = \"0" + imsi + Eapol.REALM + "\"\nNAS-IP-Address = 127.0.0.1\n"
                + "Calling-Station-Id = \"" + mac + "\"\nAcct-Session-Time = 60\nAcct-Terminate-Cause = 1\n";
        return ExternalTool.run(karaf.inNamespace(List.of("radclient", "-x", "-r", "1", "-t", "3",
                "127.0.0.1:" + ACCT_PORT, "acct", SECRET)), stop.getBytes(StandardCharsets.US_ASCII), 30);
    }

    /** Kills open5gs' SMF (the PGW-C), runs {@code whileDown}, starts it again with the same configuration. */
    private void restartSmf(ThrowingRunnable whileDown) throws Exception {
        Path run = O5GS.resolve("run");
        long pid = Long.parseLong(Files.readString(run.resolve("smfd.pid")).trim());
        ProcessHandle smf = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("smfd " + pid + " not running"));
        Path log = run.resolve("log/smf.log");
        long connectedBefore = count(log, "CONNECTED TO 'pcrf.localdomain'");
        long associatedBefore = count(log, "PFCP associated");
        smf.destroyForcibly(); // a crash: no goodbye to anyone
        smf.onExit().get(10, TimeUnit.SECONDS);
        whileDown.run();
        Process again = new ProcessBuilder("ip", "netns", "exec", NS,
                O5GS.resolve("src/build/src/smf/open5gs-smfd").toString(), "-c", run.resolve("smf.yaml").toString())
                .redirectErrorStream(true).redirectOutput(run.resolve("log/smfd.out").toFile()).start();
        Files.writeString(run.resolve("smfd.pid"), again.pid() + "\n"); // so that "down" stops it
        awaitTrue("SMF up again", 30, () -> count(log, "CONNECTED TO 'pcrf.localdomain'") > connectedBefore
                && count(log, "PFCP associated") > associatedBefore);
    }

    private static long count(Path log, String text) {
        try {
            return Files.readAllLines(log).stream().filter(l -> l.contains(text)).count();
        } catch (Exception e) {
            return 0;
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private double metric(String series) {
        try {
            for (String line : karaf.metricsText().lines().toList()) {
                if (line.startsWith(series + " ")) {
                    return Double.parseDouble(line.substring(series.length() + 1).trim());
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return 0;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (Exception e) {
            return 0;
        }
    }

    private static void awaitTrue(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + ": not within " + seconds + " s");
            }
            Thread.sleep(250);
        }
    }

    private static List<String> tshark(Path pcap, String filter, String field) throws Exception {
        ExternalTool.Result r = ExternalTool.run(List.of("tshark", "-r", pcap.toString(), "-Y", filter, "-T", "fields",
                "-e", field), null, 60);
        List<String> out = new ArrayList<>();
        r.output().lines().filter(l -> !l.isBlank() && !l.contains("Running as user")).forEach(out::add);
        return out;
    }
}
