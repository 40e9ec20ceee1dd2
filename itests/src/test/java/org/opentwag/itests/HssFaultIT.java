package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;


import javax.inject.Inject;

import org.junit.Test;

/**
 * The HSS goes away while the TWAG runs (its bundle stops: the Diameter connection closes): an
 * authentication is rejected quickly and cleanly, never left hanging; when the HSS comes back, authentications
 * succeed again without touching the TWAG.
 */
public class HssFaultIT extends InsideDistribution.WithLinksOpen {

    @Inject
    private org.osgi.framework.BundleContext context;

    private static ExternalTool.Result authenticate() throws Exception {
        return Eapol.aka("001010000000001");
    }

    @Test
    public void anHssThatGoesAwayGivesAQuickRejectAndItsReturnHeals() throws Exception {
        org.osgi.framework.Bundle hss = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "org.opentwag.hss-sim".equals(b.getSymbolicName())).findFirst().orElseThrow();
        hss.stop();
        try {
            long start = System.nanoTime();
            ExternalTool.Result r = authenticate();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertNotEquals(r.output(), 0, r.exitCode());
            assertTrue(r.output(), r.output().contains("Access-Reject"));
            // Rejected inside the AP's first retransmission window (3 s), not after eapol_test's own time-out.
            assertTrue("took " + millis + " ms", millis < 3_000);
        } finally {
            hss.start();
        }
        authenticatesAgainWithin(40_000);
    }

    private void hssAnswerDelay(long millis) throws Exception {
        org.osgi.framework.ServiceReference<org.osgi.service.cm.ConfigurationAdmin> ref =
                context.getServiceReference(org.osgi.service.cm.ConfigurationAdmin.class);
        org.osgi.service.cm.Configuration c = context.getService(ref).getConfiguration("org.opentwag.hsssim", null);
        java.util.Dictionary<String, Object> props = c.getProperties();
        props.put("answerDelayMillis", String.valueOf(millis));
        c.update(props);
    }

    private static void authenticatesAgainWithin(long millis) throws Exception {
        ExternalTool.Result r = Eapol.akaWithin(millis, "001010000000001");
        assertEquals(r.output(), 0, r.exitCode());
    }

    @Test
    public void aSlowHssGivesARejectInsideTheRetransmitWindowAndItsLateAnswerIsHarmless() throws Exception {
        authenticatesAgainWithin(40_000);
        // The HSS answers after 4 s: later than the SWx request time-out (2 s) and the AP's first retransmit (3 s).
        hssAnswerDelay(4_000);
        try {
            Metrics.awaitPeer("hss.epc.mnc001.mcc001.3gppnetwork.org", true);
            long start = System.nanoTime();
            ExternalTool.Result r = authenticate();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertNotEquals(r.output(), 0, r.exitCode());
            assertTrue(r.output(), r.output().contains("Access-Reject"));
            assertTrue("took " + millis + " ms", millis < 3_500);
            // The MAA arrives after its request timed out: it must be dropped quietly, not break the peer.
            Thread.sleep(2_500);
            assertEquals(1.0, Metrics.scrape().get("diameter_peer_open{peer=\"hss.epc.mnc001.mcc001.3gppnetwork.org\"}"),
                    0.0);
        } finally {
            hssAnswerDelay(0);
        }
        authenticatesAgainWithin(40_000);
    }
}
