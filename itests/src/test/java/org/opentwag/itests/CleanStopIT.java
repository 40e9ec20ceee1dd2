package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.After;
import org.junit.Test;
import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.PeerConfig;

/**
 * What the systemd unit's ExecStop (Karaf's bin/stop) does to a node under accounting load: the node says goodbye
 * to its Diameter peer with a DPR (seen on the wire by tshark, answered by a DPA), every Accounting-Request it
 * acknowledged is in the database afterwards, and the process ends within the unit's stop time-out.
 *
 * <p>The peer is a Diameter node outside the distribution (in this test's JVM, like a DRA in another box): the
 * embedded HSS simulator stops before the node's own Diameter stack (bundles stop in reverse order), so it is the
 * simulator that sends the DPR on its own link, which says nothing about our node's goodbye to a real HSS.
 */
public class CleanStopIT {

    private static final int AUTH_PORT = 25812;
    private static final int ACCT_PORT = 25813;
    private static final String SECRET = "stop-test-secret";
    private static final long FLOOD_MILLIS = 4_000;
    private static final String TWAG = "twag.localdomain";
    private static final String DRA = "dra.stop.test";
    private static final String DRA_REALM = "stop.test";
    private static final int DRA_PORT = 25868;

    private StandaloneDistribution karaf;
    private DiameterNode dra;

    @After
    public void killLeftovers() {
        if (karaf != null) {
            karaf.close();
        }
        if (dra != null) {
            dra.close();
        }
    }

    @Test
    public void binStopSendsDprAndLosesNoAcknowledgedRecord() throws Exception {
        dra = DiameterNode.create(NodeConfig.builder(DRA, DRA_REALM).listen("127.0.0.1", DRA_PORT)
                .applications(ApplicationId.SWX).build());
        dra.addPeer(PeerConfig.acceptFrom(TWAG, "epc.mnc001.mcc001.3gppnetwork.org"));
        // Its own realm: SWx requests for the HSS's realm never go there.
        String peer = "org.opentwag.diameter.peer-dra.cfg:";
        karaf = StandaloneDistribution.start("cleanstop", AUTH_PORT, ACCT_PORT, SECRET, Map.of(
                peer + "host", DRA, peer + "realm", DRA_REALM, peer + "address", "127.0.0.1",
                peer + "port", String.valueOf(DRA_PORT), peer + "transport", "tcp",
                peer + "initiateConnection", "true", peer + "applications", "swx"));
        karaf.awaitLog("Diameter peer " + DRA + " state OPEN", 60);
        int hss = DRA_PORT;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        try (ExternalTool.Capture capture = new ExternalTool.Capture("tcp port " + hss,
                List.of("tcp.port==" + hss + ",diameter"), 120)) {
            List<Thread> aps = AccountingFlood.start(ACCT_PORT, SECRET, AccountingCrashIT.SOCKETS,
                    AccountingCrashIT.WINDOW, System.currentTimeMillis() + FLOOD_MILLIS, sent, acknowledged);
            Thread.sleep(FLOOD_MILLIS / 2);
            long ackedAtStop = acknowledged.size();
            long stopAt = System.nanoTime();
            karaf.stop();
            long stopMillis = (System.nanoTime() - stopAt) / 1_000_000;
            for (Thread t : aps) {
                t.join(FLOOD_MILLIS + 10_000);
            }
            assertTrue("the flood had been acknowledged before the stop: " + ackedAtStop, ackedAtStop > 100);
            assertFalse("Karaf still running after bin/stop", karaf.isRunning());

            String log = karaf.logText();
            assertTrue(log, log.contains("Accounting store closed: every acknowledged record written"));
            assertTrue(log, log.contains("Diameter node " + TWAG + " stopped"));

            // DPR from our node to its peer (our Origin-Host, towards the peer's port), and the peer's DPA back.
            List<String> dpr = capture.fields("diameter.cmd.code == 282", "tcp.dstport", "diameter.flags.request",
                    "diameter.Origin-Host");
            System.out.println("Diameter DPR/DPA on bin/stop (dst port, request flag, Origin-Host): " + dpr);
            assertTrue("no DPR from " + TWAG + " to its peer in " + dpr, dpr.stream().anyMatch(l ->
                    l.startsWith(hss + "\t") && l.contains(TWAG) && isRequest(l)));
            assertTrue("no DPA from the peer in " + dpr, dpr.stream().anyMatch(l -> !l.startsWith(hss + "\t")
                    && l.contains(DRA) && !isRequest(l)));

            Set<String> stored = AccountingFlood.storedSessionIds(karaf.home().resolve("data/opentwag/accounting"));
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(stored);
            System.out.printf("bin/stop during accounting flood: sent %d, acknowledged %d, stored %d, acknowledged "
                    + "but lost %d; bin/stop to process exit %d ms%n", sent.size(), acknowledged.size(),
                    stored.size(), lost.size(), stopMillis);
            assertEquals("acknowledged records lost: " + lost.stream().limit(10).toList(), 0, lost.size());
            assertTrue("stopped within the unit's TimeoutStopSec (60 s): " + stopMillis + " ms", stopMillis < 60_000);
        }
    }

    /** tshark prints the R flag as "1"/"0" or "True"/"False" depending on its version. */
    private static boolean isRequest(String line) {
        String[] f = line.split("\t");
        return f.length > 1 && (f[1].equals("1") || f[1].equalsIgnoreCase("true"));
    }
}
