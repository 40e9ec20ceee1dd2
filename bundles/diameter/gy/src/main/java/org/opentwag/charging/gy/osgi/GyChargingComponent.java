package org.opentwag.charging.gy.osgi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.opentwag.api.charging.ChargingActions;
import org.opentwag.api.charging.ChargingBackend;
import org.opentwag.api.metrics.CounterStore;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.api.state.StateStore;
import org.opentwag.charging.gy.FailureHandling;
import org.opentwag.charging.gy.GyChargingBackend;
import org.opentwag.charging.gy.GyServerRequests;
import org.opentwag.charging.gy.GySessions;
import org.opentwag.charging.gy.GySettings;
import org.opentwag.charging.gy.GyStatistics;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.CreditControlApplication;
import org.opentwag.diameter.stack.DiameterService;
import org.opentwag.diameter.stack.Registration;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the two Gy charging backends, {@code online} and {@code authorization-only}, on the default Diameter
 * node, plus their metrics, and answers the OCS's Re-Auth and Abort-Session requests there. A configuration change re-registers them; sessions lose nothing since their Gy state
 * lives in the charging core's records.
 */
@Component(service = {}, immediate = true, configurationPid = "org.opentwag.charging.gy",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = GyConfig.class)
public class GyChargingComponent {

    private static final Logger LOG = LoggerFactory.getLogger(GyChargingComponent.class);

    /**
     * The counters when no {@link CounterStore} is registered: one set for the bundle's lifetime, since a
     * configuration change re-creates this component and the CCR/failure counters must go on counting across it.
     */
    private static final GyStatistics LOCAL_STATISTICS = new GyStatistics();

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final List<Registration> handlers = new ArrayList<>();
    /** The charging core, for the OCS's RAR and ASR; dynamic, so the core can be updated without re-registering. */
    private volatile ChargingActions actions;

    // counterStore: where the counters live, the state store bundle's, so that they also continue across a
    // bundle:update of charging-gy. Static and greedy: if it appears after us (boot order), the component restarts.
    @Activate
    public GyChargingComponent(@Reference(target = "(diameter.node=default)") DiameterService diameter,
                               @Reference(cardinality = ReferenceCardinality.OPTIONAL,
                                       policyOption = ReferencePolicyOption.GREEDY) CounterStore counterStore,
                               @Reference(policyOption = ReferencePolicyOption.GREEDY) StateStore store,
                               BundleContext context, GyConfig config) {
        org.osgi.framework.Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(getClass());
        LOG.info("{} active, code {}", bundle == null ? "outside OSGi:" : bundle.getSymbolicName() + " " + bundle.getVersion(),
                Release.code());
        GySettings settings = settings(config);
        GyStatistics statistics = counterStore != null ? new GyStatistics(counterStore) : LOCAL_STATISTICS;
        GySessions sessions = new GySessions(store);
        GyServerRequests fromOcs = new GyServerRequests(sessions, () -> actions, statistics);
        handlers.add(diameter.registerRequestHandler(CreditControlApplication.APPLICATION_ID, BaseProtocol.RE_AUTH,
                fromOcs::reAuth));
        handlers.add(diameter.registerRequestHandler(CreditControlApplication.APPLICATION_ID,
                BaseProtocol.ABORT_SESSION, fromOcs::abortSession));
        for (boolean online : new boolean[] {true, false}) {
            GyChargingBackend backend = new GyChargingBackend(diameter, settings, online, statistics,
                    System::currentTimeMillis, sessions);
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(ChargingBackend.MODE_PROPERTY, backend.mode());
            registrations.add(context.registerService(ChargingBackend.class, backend, props));
        }
        registrations.add(context.registerService(MetricsSource.class, new MetricsSource() {
            @Override
            public Map<String, String> help() {
                return GyStatistics.help();
            }

            @Override
            public Map<String, Number> values() {
                return statistics.values();
            }
        }, null));
        LOG.info("Gy charging (online, authorization-only) on {}: realm {}{}, chunk {} octets, rating group {}, "
                        + "CCR-U at {} %, Tx {} ms, failure handling {}", diameter.originHost(),
                settings.destinationRealm(), settings.destinationHost() == null ? "" : " host " + settings.destinationHost(),
                settings.chunkOctets(), settings.ratingGroup(), settings.updateThresholdPercent(),
                settings.txTimeout().toMillis(), settings.failureHandling());
        LOG.info("Gy counters {}", counterStore != null
                ? "kept by the state store bundle (continue across a bundle:update of charging-gy)"
                : "local to charging-gy");
    }

    static GySettings settings(GyConfig c) {
        return new GySettings(c.destinationRealm(), c.destinationHost(), c.serviceContextId(), c.chunkOctets(),
                c.ratingGroup(), c.serviceIdentifier(), c.updateThresholdPercent(),
                Duration.ofMillis(c.txTimerMillis()), FailureHandling.parse(c.failureHandling()));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setActions(ChargingActions a) {
        actions = a;
    }

    void unsetActions(ChargingActions a) {
        if (actions == a) {
            actions = null;
        }
    }

    @Deactivate
    void deactivate() {
        for (Registration h : handlers) {
            h.close();
        }
        handlers.clear();
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        }
        registrations.clear();
    }
}
