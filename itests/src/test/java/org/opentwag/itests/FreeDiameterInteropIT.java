package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.MessageCountKey;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.diameter.stack.PeerState;

/**
 * Our Diameter stack against freeDiameter 1.2.1 (Debian), a peer we did not write: CER/CEA, DWR/DWA in both
 * directions, DPR/DPA. freeDiameter will not run on loopback alone, so it runs in a network namespace this test
 * creates (veth pair 10.231.0.1 here, 10.231.0.2 there) and connects to our node. Needs root (CI runs as root) and
 * the Debian packages freediameterd/freediameter-extensions that .ci/install-tools.sh installs.
 */
public class FreeDiameterInteropIT {

    private static final String NS = "otwag-fd";
    private Path dir;
    private Process freeDiameter;
    private DiameterNode node;

    private static void sh(String... cmd) throws Exception {
        ExternalTool.run(List.of(cmd), null, 20);
    }

    @Before
    public void namespaceWithFreeDiameter() throws Exception {
        assumeTrue("network namespaces need root", "root".equals(System.getProperty("user.name")));
        assumeTrue("freeDiameterd not installed (.ci/install-tools.sh installs it)",
                new File("/usr/bin/freeDiameterd").canExecute());
        sh("ip", "netns", "del", NS);
        sh("ip", "link", "del", "otwfd-h");
        sh("ip", "netns", "add", NS);
        sh("ip", "link", "add", "otwfd-h", "type", "veth", "peer", "name", "otwfd-n");
        sh("ip", "link", "set", "otwfd-n", "netns", NS);
        sh("ip", "addr", "add", "10.231.0.1/30", "dev", "otwfd-h");
        sh("ip", "link", "set", "otwfd-h", "up");
        sh("ip", "netns", "exec", NS, "ip", "addr", "add", "10.231.0.2/30", "dev", "otwfd-n");
        sh("ip", "netns", "exec", NS, "ip", "link", "set", "otwfd-n", "up");
        sh("ip", "netns", "exec", NS, "ip", "link", "set", "lo", "up");

        dir = Files.createTempDirectory("freediameter");
        // freeDiameter insists on TLS credentials even when the peer is configured No_TLS.
        ExternalTool.Result cert = ExternalTool.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048",
                "-nodes", "-keyout", dir.resolve("fd.key").toString(), "-out", dir.resolve("fd.crt").toString(),
                "-subj", "/CN=fd.test", "-days", "2"), null, 30);
        assertEquals(cert.output(), 0, cert.exitCode());
        Files.writeString(dir.resolve("fd.conf"), "Identity = \"fd.test\";\nRealm = \"test\";\nPort = 3868;\n"
                + "SecPort = 5868;\nNo_SCTP;\nNo_IPv6;\nListenOn = \"10.231.0.2\";\nTwTimer = 6;\n"
                + "TLS_Cred = \"" + dir.resolve("fd.crt") + "\", \"" + dir.resolve("fd.key") + "\";\n"
                + "TLS_CA = \"" + dir.resolve("fd.crt") + "\";\n"
                + "ConnectPeer = \"twag.localdomain\" { ConnectTo = \"10.231.0.1\"; No_TLS; Port = 3868; };\n");

        node = DiameterNode.create(NodeConfig.builder("twag.localdomain", "epc.mnc001.mcc001.3gppnetwork.org")
                .listen("10.231.0.1", 3868)
                .watchdogInterval(Duration.ofSeconds(2))
                .build());
        node.addPeer(PeerConfig.acceptFrom("fd.test", "test"));
        freeDiameter = new ProcessBuilder("timeout", "60", "ip", "netns", "exec", NS, "freeDiameterd", "-c",
                dir.resolve("fd.conf").toString(), "-d").redirectErrorStream(true)
                .redirectOutput(dir.resolve("fd.log").toFile()).start();
    }

    @After
    public void cleanUp() throws Exception {
        if (node != null) {
            node.close();
        }
        if (freeDiameter != null) {
            freeDiameter.destroy();
            freeDiameter.waitFor(10, TimeUnit.SECONDS);
        }
        sh("ip", "netns", "del", NS);
        sh("ip", "link", "del", "otwfd-h");
    }

    private long count(String command, String direction) {
        return node.messageCounts().entrySet().stream()
                .filter(e -> e.getKey().command().equals(command) && e.getKey().direction().equals(direction))
                .mapToLong(Map.Entry::getValue).sum();
    }

    @Test
    public void capabilitiesWatchdogAndDisconnectWithFreeDiameter() throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        PeerInfo fd = null;
        while (System.currentTimeMillis() < deadline) {
            fd = node.peer("fd.test").orElse(null);
            if (fd != null && fd.state() == PeerState.OPEN) {
                break;
            }
            Thread.sleep(200);
        }
        String log = Files.readString(dir.resolve("fd.log"));
        assertTrue("freeDiameter never reached OPEN with us:\n" + log, fd != null && fd.state() == PeerState.OPEN);
        assertTrue("CER received and CEA sent", count("CER", "in") >= 1 && count("CEA", "out") >= 1);
        assertTrue(String.valueOf(fd.productName()), String.valueOf(fd.productName()).contains("freeDiameter"));

        // Watchdog: ours every 2 s, answered by freeDiameter. (Its own DWR, TwTimer 6 s, never comes: RFC 3539 sends
        // one only after Tw without traffic, and our watchdog keeps the link busy.)
        deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline && count("DWA", "in") < 3) {
            Thread.sleep(200);
        }
        assertTrue("our DWR answered: " + node.messageCounts(), count("DWR", "out") >= 3 && count("DWA", "in") >= 3);
        assertEquals(PeerState.OPEN, node.peer("fd.test").orElseThrow().state());

        // Orderly shutdown: DPR from us, DPA from freeDiameter.
        node.close();
        assertTrue("DPR sent", count("DPR", "out") >= 1);
        deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline && count("DPA", "in") < 1) {
            Thread.sleep(100);
        }
        assertTrue("DPA from freeDiameter: " + node.messageCounts(), count("DPA", "in") >= 1);
        node = null;
        log = Files.readString(dir.resolve("fd.log"));
        assertTrue(log, !log.contains("Malformed") && !log.contains("ERROR"));
    }
}
