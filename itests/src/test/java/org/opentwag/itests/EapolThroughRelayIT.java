package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Test;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.codec.SwxApplication;
import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.DiameterNodeFactory;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.hsssim.HssBehaviour;
import org.opentwag.hsssim.HssSimulator;
import org.opentwag.vectors.local.subscribers.SubscriberDatabase;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A whole login, eapol_test (phone and access point) to the running distribution, with SWx through freeDiameter 1.2.1
 * (Debian) as DRA to an HSS behind it: the embedded HSS peer is stopped, the distribution gets a peer file for the
 * relay (default route), and the HSS simulator runs on a node of its own that only the relay reaches. The relay's
 * link is captured: tshark decodes every Diameter message on both hops with nothing malformed. The HSS then sends a
 * DOIC overload report through the relay, and the distribution drops its requests to that HSS (the login refused at
 * once, the metric counting) until the report expires; last the HSS's RTR comes back through the relay and is answered.
 */
public class EapolThroughRelayIT extends InsideDistribution.WithLinksOpen {

    private static final String EMBEDDED_HSS = "hss.epc.mnc001.mcc001.3gppnetwork.org";
    private static final String HSS = "hss-behind-dra.epc.mnc001.mcc001.3gppnetwork.org";
    private static final String REALM = "epc.mnc001.mcc001.3gppnetwork.org";
    private static final String DRA = "dra3.dra.test";
    private static final String IMSI = "001010000000009";

    @Inject
    private BundleContext context;

    @Inject
    private DiameterNodeFactory nodes;

    @Inject
    private ConfigurationAdmin configurations;

    @Test
    public void eapAkaLoginWithSwxThroughFreeDiameterAsDra() throws Exception {
        Bundle embeddedHss = Arrays.stream(context.getBundles())
                .filter(b -> "org.opentwag.hss-sim".equals(b.getSymbolicName())).findFirst().orElseThrow();
        org.osgi.service.cm.Configuration peer = null;
        DiameterNode hssNode = null;
        HssSimulator hss = null;
        try (FreeDiameter relay = new FreeDiameter("otwag-dra3", "dra3", "10.231.25")) {
            Path dir = relay.dir();
            TestCa ca = new TestCa(dir); // freeDiameter wants TLS credentials even for TCP peers
            ca.certificate("dra", DRA, true);
            relay.identity(DRA, "dra.test").credentials(ca.file("dra.crt"), ca.file("dra.key"), ca.ca())
                    .threeGppDictionary()
                    .route("dr=\"" + REALM + "\" : rlm=\"" + REALM + "\" += REALM")
                    .peer(FreeDiameter.Peer.connectingToIt("twag.localdomain", relay.hostAddress(), false))
                    .peer(FreeDiameter.Peer.connectingToIt(HSS, relay.hostAddress(), false))
                    .maxSeconds(120)
                    .start();

            Path state = Files.createTempFile("hss-behind-dra-sqn", ".properties");
            Files.delete(state);
            hssNode = nodes.create(NodeConfig.builder(HSS, REALM).productName("HSS behind a DRA")
                    .applications(ApplicationId.SWX).build());
            hssNode.addPeer(PeerConfig.connectTo(DRA, "dra.test", relay.address(), FreeDiameter.PORT).withDefaultRoute(true));
            List<DiameterMessage> atHss = new CopyOnWriteArrayList<>();
            List<String> relays = new CopyOnWriteArrayList<>();
            hssNode.addMessageListener((direction, m, from) -> {
                if ("in".equals(direction) && m.isRequest() && m.applicationId() == SwxApplication.APPLICATION_ID) {
                    atHss.add(m);
                    relays.add(from);
                }
            });
            hss = new HssSimulator(hssNode, new SubscriberDatabase(Path.of("etc/hss-subscribers.csv").toAbsolutePath(),
                    state), HssBehaviour.defaults("twag.localdomain"));

            try (ExternalTool.Capture capture = new ExternalTool.Capture(relay.hostInterface(), "tcp port 3868",
                    List.of(), 90)) {
                peer = configurations.createFactoryConfiguration("org.opentwag.diameter.peer", "?");
                Dictionary<String, Object> props = new Hashtable<>();
                props.put("host", DRA);
                props.put("realm", "dra.test");
                props.put("address", relay.address());
                props.put("port", String.valueOf(FreeDiameter.PORT));
                props.put("transport", "tcp");
                props.put("initiateConnection", "true");
                props.put("applications", "swx");
                props.put("default", "true");
                peer.update(props);
                embeddedHss.stop();
                Metrics.awaitPeer(EMBEDDED_HSS, false);
                Metrics.awaitPeer(DRA, true);
                long deadline = System.currentTimeMillis() + 30_000;
                while (!hssNode.peer(DRA).map(p -> p.isOpen()).orElse(false) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                }
                assertTrue("the HSS never OPEN with the relay:\n" + relay.log(), hssNode.peer(DRA).orElseThrow().isOpen());

                for (int i = 0; i < 2; i++) {
                    ExternalTool.Result r = Eapol.aka(IMSI);
                    assertEquals("login " + (i + 1) + " through the DRA:\n" + r.output() + "\nfreeDiameter:\n" + relay.log(),
                            0, r.exitCode());
                }
                List<DiameterMessage> mars = atHss.stream()
                        .filter(m -> m.commandCode() == SwxApplication.MULTIMEDIA_AUTH).toList();
                assertTrue("the MARs reached the HSS behind the relay: " + atHss.size(), mars.size() >= 2);
                assertTrue("first MAR by realm", mars.get(0).destinationHost().isEmpty());
                assertEquals("a later MAR names the HSS that answered", HSS,
                        mars.get(mars.size() - 1).destinationHost().orElse(""));
                assertTrue(relays.toString(), relays.stream().allMatch(DRA::equals));
                assertTrue("Route-Record of the relay: ours", mars.stream().allMatch(m -> m.findAll(BaseProtocol.ROUTE_RECORD)
                        .stream().map(Avp::utf8).toList().equals(List.of("twag.localdomain"))));

                // DOIC: the HSS behind the relay asks for 100% less for 4 s. The answer that brings the report
                // gets through; the next requests to that HSS are dropped here (the login fails at once, an
                // Access-Reject, not a time-out) and counted; after the validity logins pass again.
                String abated = "diameter_overload_abated_count{peer=\"" + HSS + "\",application=\"swx\"}";
                hss.reportOverload(100, java.time.Duration.ofSeconds(4));
                assertEquals("the login whose MAA brings the report", 0, Eapol.aka(IMSI).exitCode());
                long start = System.nanoTime();
                ExternalTool.Result refused = Eapol.aka(IMSI);
                long refusedMillis = (System.nanoTime() - start) / 1_000_000;
                assertTrue("refused while the HSS is overloaded:\n" + refused.output(), refused.exitCode() != 0
                        && refused.output().contains("Access-Reject"));
                assertTrue("refused at once, not after a time-out: " + refusedMillis + " ms", refusedMillis < 2_000);
                assertTrue(abated + " " + Metrics.scrape().get(abated), Metrics.scrape().getOrDefault(abated, 0.0) >= 2);
                Thread.sleep(4_500);
                assertEquals("the report expired", 0, Eapol.aka(IMSI).exitCode());

                long rta = hss.sendRegistrationTermination(IMSI).toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertEquals("RTA from the distribution through the relay", ResultCodes.DIAMETER_SUCCESS, rta);

                List<String> decoded = capture.stopAndCheck();
                String malformed = decoded.get(1).lines().filter(l -> !l.contains("Running as user"))
                        .collect(java.util.stream.Collectors.joining("\n"));
                assertEquals("malformed packets:\n" + malformed, "", malformed.trim());
                List<String> commands = capture.fields("diameter", "diameter.cmd.code", "diameter.flags.request");
                for (String expected : List.of("303\t1", "303\t0", "301\t1", "301\t0", "304\t1", "304\t0")) {
                    // MAR/MAA, SAR/SAA, RTR/RTA, each on both hops
                    assertTrue(expected + " twice in " + commands, commands.stream()
                            .filter(l -> l.replace("True", "1").replace("False", "0").startsWith(expected)).count() >= 2);
                }
            }
        } finally {
            embeddedHss.start();
            if (peer != null) {
                peer.delete();
            }
            if (hss != null) {
                hss.close();
            }
            if (hssNode != null) {
                hssNode.close();
            }
        }
        Metrics.awaitPeer(EMBEDDED_HSS, true);
    }
}
