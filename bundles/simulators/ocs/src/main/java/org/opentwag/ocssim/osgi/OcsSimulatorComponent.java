package org.opentwag.ocssim.osgi;

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
import org.opentwag.ocssim.BalanceBook;
import org.opentwag.ocssim.OcsBehaviour;
import org.opentwag.ocssim.OcsSimulator;
import org.opentwag.ocssim.api.OcsSimulatorService;
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
 * Runs the OCS simulator on its own Diameter node (made by the {@link DiameterNodeFactory}), as hss-sim does for
 * the HSS. Registers {@link OcsSimulatorService} by hand so that {@code enabled=false} leaves no service and no
 * listener behind.
 */
@Component(service = {}, immediate = true, configurationPid = OcsSimulatorComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = OcsSimConfig.class)
public class OcsSimulatorComponent {

    public static final String PID = "org.opentwag.ocssim";

    private static final Logger LOG = LoggerFactory.getLogger(OcsSimulatorComponent.class);

    @Reference
    private DiameterNodeFactory factory;

    private DiameterNode node;
    private OcsSimulator simulator;
    private ScheduledExecutorService reloader;
    private ServiceRegistration<OcsSimulatorService> registration;

    @Activate
    void activate(BundleContext context, OcsSimConfig config) {
        if (!config.enabled()) {
            LOG.info("OCS simulator disabled ({} enabled=false)", PID);
            return;
        }
        BalanceBook balances = new BalanceBook(balancesFile(config));
        node = factory.create(NodeConfig.builder(config.originHost(), config.originRealm())
                .productName("OpenTWAG ocs-sim")
                .applications(ApplicationId.GY)
                .listen(config.listenAddress(), config.listenPort())
                .acceptUnknownPeers(config.acceptUnknownPeers())
                .workerThreads(2)
                .build());
        try {
            // Realm null: learnt from the TWAG's CER.
            node.addPeer(new PeerConfig(config.peerHost(), null, null, PeerConfig.DEFAULT_PORT, null, false, null,
                    false));
            simulator = new OcsSimulator(node, balances, new OcsBehaviour(config.defaultGrantOctets(),
                    config.maxGrantOctets(), config.defaultBalanceOctets(), config.validityTimeSeconds(),
                    config.answerDelayMillis()));
            if (config.overloadReductionPercentage() > 0) {
                simulator.reportOverload(Math.min(100, config.overloadReductionPercentage()),
                        Duration.ofSeconds(Math.max(1, config.overloadValiditySeconds())));
            }
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opentwag-ocssim-balances-reload");
            t.setDaemon(true);
            return t;
        });
        balances.reloadEvery(reloader, Duration.ofSeconds(Math.max(1, config.reloadIntervalSeconds())));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("diameter.origin.host", config.originHost());
        registration = context.registerService(OcsSimulatorService.class, simulator, props);
        LOG.info("OCS simulator {} on {}:{} for peer {}: {} balances from {}, unknown IMSIs {}, validity {} s{}",
                config.originHost(), config.listenAddress(), config.listenPort(), config.peerHost(), balances.size(),
                balances.file(), config.defaultBalanceOctets() < 0 ? "refused (5030)"
                        : "get " + config.defaultBalanceOctets() + " octets",
                config.validityTimeSeconds(),
                config.answerDelayMillis() > 0 ? ", answers held " + config.answerDelayMillis() + " ms" : "");
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

    static Path balancesFile(OcsSimConfig config) {
        return config.balancesFile().isBlank()
                ? Path.of(System.getProperty("karaf.etc", "etc"), "ocs-balances.csv")
                : Path.of(config.balancesFile());
    }
}
