package org.opentwag.charging.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.opentwag.api.accounting.AccountingListener;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.charging.ChargedSession;
import org.opentwag.api.charging.ChargingActions;
import org.opentwag.api.charging.ChargingBackend;
import org.opentwag.api.charging.ChargingControl;
import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.charging.ChargingQueries;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.metrics.CounterStore;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.api.state.StateStore;
import org.opentwag.radius.server.DynamicAuthorizationClient;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The charging core as OSGi sees it: {@link ChargingControl} for eap-core, {@link AccountingListener} for accounting,
 * {@link ChargingQueries} for the shell and dashboard, {@link MetricsSource} for Prometheus. Backends are tracked
 * dynamically by their {@value ChargingBackend#MODE_PROPERTY} property; the configuration is applied without
 * reactivation ({@code @Modified}), so a mode change never drops a session.
 */
@Component(service = {ChargingControl.class, ChargingActions.class, AccountingListener.class, ChargingQueries.class,
        MetricsSource.class},
        configurationPid = ChargingCoreComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ChargingCoreComponent.Config.class)
public class ChargingCoreComponent implements ChargingControl, ChargingActions, AccountingListener, ChargingQueries,
        MetricsSource {

    public static final String PID = "org.opentwag.charging";

    @ObjectClassDefinition(name = "OpenTWAG charging", description = "Which charging backend serves new sessions")
    public @interface Config {
        @AttributeDefinition(description = "Charging mode of new sessions: disabled, authorization-only, online, or a plugin's mode")
        String mode() default "disabled";

        @AttributeDefinition(description = "When the mode's backend is not installed or fails: true lets the phone in uncharged, false refuses it")
        boolean allowWithoutBackend() default false;

        @AttributeDefinition(description = "Seconds after which an authorization that never got an accounting Start is stopped", min = "10")
        long startTimeoutSeconds() default 300;

        @AttributeDefinition(description = "Seconds without accounting after which a session is stopped with its last usage (lost Stop)", min = "60")
        long staleSessionSeconds() default 86400;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChargingCoreComponent.class);

    /** Backends by mode; for one mode the highest ranked (then first registered) wins, as OSGi orders them. */
    private final Map<String, Map<Long, ChargingBackend>> backends = new ConcurrentHashMap<>();
    private volatile DynamicAuthorizationClient das;
    private final ChargingCore core;
    private final ScheduledExecutorService sweeper;

    // counterStore: where the counters live, the state store bundle's, so that they continue across a bundle:update
    // of charging-core. Static and greedy like the store: if it appears after us (boot order), the component restarts.
    @Activate
    public ChargingCoreComponent(@Reference(policyOption = ReferencePolicyOption.GREEDY) StateStore store,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            CounterStore counterStore,
            Config config) { // greedy: a clustered store installed later replaces the in-memory one
        core = new ChargingCore(store, this::backend, this::modes, () -> das, System::currentTimeMillis,
                settings(config), counterStore);
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "opentwag-charging-sweeper");
            t.setDaemon(true);
            return t;
        });
        // A renewed grant cancels its Validity-Time timer: drop it from the queue at once, not when it was due.
        timers.setRemoveOnCancelPolicy(true);
        sweeper = timers;
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                int n = core.sweep();
                if (n > 0) {
                    LOG.info("Charging: {} session(s) without accounting stopped", n);
                }
            } catch (RuntimeException e) {
                LOG.warn("Charging sweep failed: {}", e.toString());
            }
        }, ChargingCore.SWEEP_INTERVAL_SECONDS, ChargingCore.SWEEP_INTERVAL_SECONDS, TimeUnit.SECONDS);
        core.validityTimers(sweeper);
        LOG.info("Charging core: mode {}, without its backend {}; counters {}", config.mode(),
                config.allowWithoutBackend() ? "allow" : "reject", counterStore != null
                        ? "kept by the state store bundle (continue across a bundle:update of charging-core)"
                        : "local to charging-core");
    }

    @Modified
    void modified(Config config) {
        core.settings(settings(config));
    }

    @Deactivate
    void deactivate() {
        sweeper.shutdownNow();
    }

    static ChargingSettings settings(Config c) {
        return new ChargingSettings(c.mode(), c.allowWithoutBackend(), Duration.ofSeconds(c.startTimeoutSeconds()),
                Duration.ofSeconds(c.staleSessionSeconds()));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addBackend(ChargingBackend backend, Map<String, Object> properties) {
        String mode = String.valueOf(properties.getOrDefault(ChargingBackend.MODE_PROPERTY, backend.mode()));
        backends.computeIfAbsent(mode, m -> new ConcurrentSkipListMap<>()).put(order(properties), backend);
        LOG.info("Charging backend '{}' available ({})", mode, backend.getClass().getName());
    }

    void removeBackend(ChargingBackend backend, Map<String, Object> properties) {
        String mode = String.valueOf(properties.getOrDefault(ChargingBackend.MODE_PROPERTY, backend.mode()));
        Map<Long, ChargingBackend> ofMode = backends.get(mode);
        if (ofMode != null) {
            ofMode.values().removeIf(b -> b == backend);
        }
        LOG.info("Charging backend '{}' gone", mode);
    }

    /** Highest ranking first, then lowest service id. */
    private static long order(Map<String, Object> p) {
        Object r = p.get("service.ranking");
        long ranking = r instanceof Integer i ? i : 0;
        long id = p.get("service.id") instanceof Long l ? l : 0;
        return -ranking * (1L << 40) + id;
    }

    private ChargingBackend backend(String mode) {
        Map<Long, ChargingBackend> ofMode = backends.get(mode);
        if (ofMode == null) {
            return null;
        }
        Map.Entry<Long, ChargingBackend> first = ((ConcurrentSkipListMap<Long, ChargingBackend>) ofMode).firstEntry();
        return first == null ? null : first.getValue();
    }

    private Set<String> modes() {
        Set<String> m = new TreeSet<>();
        backends.forEach((mode, ofMode) -> {
            if (!ofMode.isEmpty()) {
                m.add(mode);
            }
        });
        return m;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setDas(DynamicAuthorizationClient client) {
        das = client;
    }

    void unsetDas(DynamicAuthorizationClient client) {
        if (das == client) {
            das = null;
        }
    }

    @Override
    public CompletionStage<ChargingDecision> authorize(ChargingSession session) {
        return core.authorize(session);
    }

    @Override
    public boolean reauthorize(String sessionId, String why) {
        return core.reauthorize(sessionId, why);
    }

    @Override
    public boolean abort(String sessionId, String why) {
        return core.abort(sessionId, why);
    }

    @Override
    public void recorded(AccountingRecord record) {
        core.recorded(record);
    }

    @Override
    public String mode() {
        return core.settings().mode();
    }

    @Override
    public Set<String> availableModes() {
        return core.availableModes();
    }

    @Override
    public List<ChargedSession> sessions(int limit) {
        return core.sessions(limit);
    }

    @Override
    public Map<String, String> help() {
        return ChargingCore.metricsHelp();
    }

    @Override
    public Map<String, Number> values() {
        return core.metrics();
    }

    @Override
    public Kind kind(String metricName) {
        return metricName.equals("charging_sessions_count") || metricName.equals("charging_mode")
                ? Kind.GAUGE : Kind.COUNTER;
    }
}
