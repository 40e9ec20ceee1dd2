package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
 * directions, DPR/DPA. freeDiameter will not run on loopback alone, so it runs in a network namespace
 * ({@link FreeDiameter}: veth pair 10.231.0.1 here, 10.231.0.2 there) and connects to our node.
 */
public class FreeDiameterInteropIT {

    private FreeDiameter freeDiameter;
    private DiameterNode node;

    @Before
    public void namespaceWithFreeDiameter() throws Exception {
        freeDiameter = new FreeDiameter("otwag-fd", "otwfd", "10.231.0");
        Path dir = freeDiameter.dir();
        // freeDiameter insists on TLS credentials even when the peer is configured No_TLS.
        ExternalTool.Result cert = ExternalTool.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048",
                "-nodes", "-keyout", dir.resolve("fd.key").toString(), "-out", dir.resolve("fd.crt").toString(),
                "-subj", "/CN=fd.test", "-days", "2"), null, 30);
        assertEquals(cert.output(), 0, cert.exitCode());

        node = DiameterNode.create(NodeConfig.builder("twag.localdomain", "epc.mnc001.mcc001.3gppnetwork.org")
                .listen(freeDiameter.hostAddress(), 3868)
                .watchdogInterval(Duration.ofSeconds(2))
                .build());
        node.addPeer(PeerConfig.acceptFrom("fd.test", "test"));
        freeDiameter.identity("fd.test", "test")
                .credentials(dir.resolve("fd.crt").toString(), dir.resolve("fd.key").toString(), dir.resolve("fd.crt").toString())
                .peer(new FreeDiameter.Peer("twag.localdomain", freeDiameter.hostAddress(), 3868, false))
                .maxSeconds(60)
                .start();
    }

    @After
    public void cleanUp() throws Exception {
        if (node != null) {
            node.close();
        }
        if (freeDiameter != null) {
            freeDiameter.close();
        }
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
        String log = freeDiameter.log();
        assertTrue("freeDiameter never reached OPEN with us:\n" + log, fd != null && fd.state() == PeerState.OPEN);
        // The peer turns OPEN just before our CEA is written (and counted): wait for the count, bounded.
        deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline && (count("CER", "in") < 1 || count("CEA", "out") < 1)) {
            Thread.sleep(100);
        }
        assertTrue("CER received and CEA sent: " + node.messageCounts(), count("CER", "in") >= 1 && count("CEA", "out") >= 1);
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
        log = freeDiameter.log();
        assertTrue(log, !log.contains("Malformed") && !log.contains("ERROR"));
    }
}
