package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
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
 * Two HSSs serving one realm (as behind a DRA or with a geo-redundant pair): when one dies, authentications go on
 * through the other without any configuration change, because SWx requests are routed by realm to any open peer.
 */
public class HssFailoverIT extends InsideDistribution.WithLinksOpen {

    private static final String SECOND_HSS = "hss2.epc.mnc001.mcc001.3gppnetwork.org";
    private static final String REALM = "epc.mnc001.mcc001.3gppnetwork.org";
    private static final int SECOND_HSS_PORT = 23870;

    @Inject
    private BundleContext context;

    @Inject
    private DiameterNodeFactory nodes;

    @Inject
    private ConfigurationAdmin configurations;

    @Test
    public void whenOneOfTwoHssDiesAuthenticationsGoOnThroughTheOther() throws Exception {
        Path state = Files.createTempFile("hss2-sqn", ".csv");
        Files.delete(state);
        SubscriberDatabase subscribers = new SubscriberDatabase(Path.of("etc/hss-subscribers.csv").toAbsolutePath(),
                state);
        DiameterNode second = nodes.create(NodeConfig.builder(SECOND_HSS, REALM).productName("second HSS")
                .applications(ApplicationId.SWX).listen("127.0.0.1", SECOND_HSS_PORT).build());
        second.addPeer(new PeerConfig("twag.localdomain", null, null, PeerConfig.DEFAULT_PORT, null, false, null,
                false));
        HssSimulator hss2 = new HssSimulator(second, subscribers, HssBehaviour.defaults("twag.localdomain"));
        org.osgi.service.cm.Configuration peer = configurations.createFactoryConfiguration(
                "org.opentwag.diameter.peer", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("host", SECOND_HSS);
        props.put("realm", REALM);
        props.put("address", "127.0.0.1");
        props.put("port", String.valueOf(SECOND_HSS_PORT));
        props.put("transport", "tcp");
        props.put("initiateConnection", "true");
        props.put("applications", "swx");
        peer.update(props);
        Bundle primary = Arrays.stream(context.getBundles())
                .filter(b -> "org.opentwag.hss-sim".equals(b.getSymbolicName())).findFirst().orElseThrow();
        try {
            Metrics.awaitPeer(SECOND_HSS, true);
            Metrics.awaitPeer("hss.epc.mnc001.mcc001.3gppnetwork.org", true);
            primary.stop();
            Metrics.awaitPeer("hss.epc.mnc001.mcc001.3gppnetwork.org", false);
            // Different subscribers so that each starts from the file's SQN on the second HSS.
            for (String imsi : List.of("001010000000006", "001010000000007")) {
                long start = System.nanoTime();
                ExternalTool.Result r = Eapol.aka(imsi);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(r.output(), 0, r.exitCode());
                assertTrue("took " + millis + " ms", millis < 3_000);
            }
            long marsAtSecond = second.messageCounts().entrySet().stream()
                    .filter(e -> e.getKey().command().equals("MAR") && e.getKey().direction().equals("in"))
                    .mapToLong(java.util.Map.Entry::getValue).sum();
            assertTrue("the second HSS served the MARs: " + second.messageCounts(), marsAtSecond >= 2);
        } finally {
            primary.start();
            peer.delete();
            hss2.close();
            second.close();
        }
        Metrics.awaitPeer("hss.epc.mnc001.mcc001.3gppnetwork.org", true);
    }
}
