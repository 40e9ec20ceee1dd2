package org.opentwag.hsssim.osgi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.DiameterNodeFactory;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.hsssim.HssBehaviour;
import org.opentwag.hsssim.HssSimulator;
import org.opentwag.hsssim.api.HssSimulatorService;
import org.opentwag.vectors.local.subscribers.SubscriberDatabase;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the HSS simulator on its own Diameter node (made by the {@link DiameterNodeFactory}) with its own
 * {@link SubscriberDatabase} on the shared subscriber file but a separate SQN state file. Registers
 * {@link HssSimulatorService} by hand so that {@code enabled=false} leaves no service and no listener behind.
 */
@Component(service = {}, immediate = true, configurationPid = HssSimulatorComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HssSimConfig.class)
public class HssSimulatorComponent {

    public static final String PID = "org.opentwag.hsssim";

    private static final Logger LOG = LoggerFactory.getLogger(HssSimulatorComponent.class);

    @Reference
    private DiameterNodeFactory factory;

    private DiameterNode node;
    private HssSimulator simulator;
    private ScheduledExecutorService reloader;
    private ServiceRegistration<HssSimulatorService> registration;

    @Activate
    void activate(BundleContext context, HssSimConfig config) {
        if (!config.enabled()) {
            LOG.info("HSS simulator disabled ({} enabled=false)", PID);
            return;
        }
        SubscriberDatabase subscribers = new SubscriberDatabase(subscribersFile(config), sqnStateFile(config));
        node = factory.create(NodeConfig.builder(config.originHost(), config.originRealm())
                .productName("OpenTWAG hss-sim")
                .applications(ApplicationId.SWX)
                .listen(config.listenAddress(), config.listenPort())
                .acceptUnknownPeers(config.acceptUnknownPeers())
                .build());
        try {
            // Realm null: learnt from the TWAG's CER, whatever realm it is configured with.
            node.addPeer(new PeerConfig(config.peerHost(), null, null, PeerConfig.DEFAULT_PORT, null, false, null,
                    false));
            HssBehaviour behaviour = new HssBehaviour(config.refuseAkaPrime(), config.resyncSqnStep(),
                    config.maxVectorsPerMar(), config.peerHost(), config.answerDelayMillis(), config.duplicateRands());
            simulator = new HssSimulator(node, subscribers, behaviour);
            if (config.overloadReductionPercentage() > 0) {
                simulator.reportOverload(Math.min(100, config.overloadReductionPercentage()),
                        Duration.ofSeconds(Math.max(1, config.overloadValiditySeconds())));
            }
            simulator.apnConfigurations(java.util.Arrays.stream(config.apns().split(",")).map(String::trim)
                    .filter(a -> !a.isEmpty()).toList());
            for (String imsi : config.barredImsis().split(",")) {
                if (!imsi.isBlank()) {
                    simulator.setBarred(imsi.trim(), true);
                }
            }
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opentwag-hsssim-subscribers-reload");
            t.setDaemon(true);
            return t;
        });
        subscribers.reloadEvery(reloader, Duration.ofSeconds(Math.max(1, config.reloadIntervalSeconds())));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("diameter.origin.host", config.originHost());
        registration = context.registerService(HssSimulatorService.class, simulator, props);
        LOG.info("HSS simulator {} on {}:{} for peer {}: {} subscribers from {}, EAP-AKA' {}, resync step {}, "
                        + "up to {} vectors per MAR", config.originHost(), config.listenAddress(), config.listenPort(),
                config.peerHost(), subscribers.size(), subscribers.subscribersFile(),
                config.refuseAkaPrime() ? "REFUSED (5006)" : "served", config.resyncSqnStep(),
                config.maxVectorsPerMar());
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (reloader != null) {
            reloader.shutdownNow();
            reloader = null;
        }
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
        if (node != null) {
            node.close();
            node = null;
        }
    }

    static Path subscribersFile(HssSimConfig config) {
        return config.subscribersFile().isBlank()
                ? Path.of(System.getProperty("karaf.etc", "etc"), "hss-subscribers.csv")
                : Path.of(config.subscribersFile());
    }

    static Path sqnStateFile(HssSimConfig config) {
        return config.sqnStateFile().isBlank()
                ? Path.of(System.getProperty("karaf.data", "data"), "opentwag", "sqn-hss.properties")
                : Path.of(config.sqnStateFile());
    }
}
