package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Test;
import org.opentwag.api.check.Finding;
import org.opentwag.api.check.SafetyCheck;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The safety checks of the Diameter node and of the HSS and OCS simulators, in the distribution: silent on the shipped
 * peers (all on this host), and speaking up when peer files for other hosts appear: an SWx peer over plain TCP (and a
 * real HSS beside the simulator), a TLS peer on a node without key store and trust store. The peers added serve a
 * realm of their own at TEST-NET addresses, so they never take traffic from the other tests.
 */
public class DiameterSafetyChecksIT extends InsideDistribution {

    private static final String DIAMETER = "org.opentwag.diameter.stack.internal.osgi.DiameterSafetyCheck";
    private static final String HSS_SIM = "org.opentwag.hsssim.osgi.HssSimulatorSafetyCheck";
    private static final String OCS_SIM = "org.opentwag.ocssim.osgi.OcsSimulatorSafetyCheck";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurations;

    /** Findings of every registered check, by DS component name. */
    private Map<String, List<Finding>> findings() throws Exception {
        Map<String, List<Finding>> out = new HashMap<>();
        for (ServiceReference<SafetyCheck> ref : context.getServiceReferences(SafetyCheck.class, null)) {
            SafetyCheck check = context.getService(ref);
            try {
                out.put(String.valueOf(ref.getProperty("component.name")), check.findings());
            } finally {
                context.ungetService(ref);
            }
        }
        return out;
    }

    private org.osgi.service.cm.Configuration peer(String host, String address, int port, String transport,
                                                   String applications) throws Exception {
        org.osgi.service.cm.Configuration c = configurations.createFactoryConfiguration("org.opentwag.diameter.peer", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("host", host);
        props.put("realm", "remote.example");
        props.put("address", address);
        props.put("port", String.valueOf(port));
        props.put("transport", transport);
        props.put("initiateConnection", "true");
        props.put("applications", applications);
        c.update(props);
        return c;
    }

    private static boolean mentions(List<Finding> findings, String text) {
        return findings != null && findings.stream().anyMatch(f -> f.problem().contains(text));
    }

    @Test
    public void checksAreSilentOnTheShippedPeersAndSpeakUpForRemoteOrUnusableOnes() throws Exception {
        Map<String, List<Finding>> shipped = findings();
        for (String component : List.of(DIAMETER, HSS_SIM, OCS_SIM)) {
            assertTrue(component + " registered: " + shipped.keySet(), shipped.containsKey(component));
            assertEquals(component + " on the shipped peers", List.of(), shipped.get(component));
        }

        org.osgi.service.cm.Configuration remoteHss = peer("hss-remote.example", "192.0.2.1", 3868, "tcp", "swx");
        org.osgi.service.cm.Configuration tlsDra = peer("dra-tls.example", "192.0.2.2", 5658, "tls", "gy");
        try {
            Map<String, List<Finding>> now = findings();
            long deadline = System.currentTimeMillis() + 20_000;
            // Each check reads the peers as its own service sees them, updated as Config Admin delivers each peer:
            // wait for all three to have seen both peers, not two of them.
            while (!(mentions(now.get(DIAMETER), "dra-tls.example") && mentions(now.get(DIAMETER), "hss-remote.example")
                    && mentions(now.get(HSS_SIM), "hss-remote.example") && mentions(now.get(OCS_SIM), "dra-tls.example"))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
                now = findings();
            }
            assertTrue(now.toString(), mentions(now.get(DIAMETER), "hss-remote.example at 192.0.2.1 is reached over plain TCP"));
            assertTrue(now.toString(), mentions(now.get(DIAMETER), "dra-tls.example is configured for TLS but the node refuses TLS"));
            assertTrue(now.toString(), mentions(now.get(HSS_SIM), "SWx peer hss-remote.example is at 192.0.2.1"));
            assertEquals(now.toString(), Finding.Severity.WARNING, now.get(HSS_SIM).get(0).severity());
            // The checks judge configuration: a Gy peer on another host means a real OCS, even while its link is refused.
            assertTrue(now.toString(), mentions(now.get(OCS_SIM), "Gy peer dra-tls.example is at 192.0.2.2"));
        } finally {
            remoteHss.delete();
            tlsDra.delete();
        }
        Map<String, List<Finding>> after = findings();
        long deadline = System.currentTimeMillis() + 20_000;
        while (!after.get(DIAMETER).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            after = findings();
        }
        assertEquals("peer files removed, findings gone", List.of(), after.get(DIAMETER));
    }
}
