package org.opentwag.session.access.osgi;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.opentwag.api.charging.ChargingControl;
import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.metrics.CounterStore;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.api.session.AccessAuthorizer;
import org.opentwag.api.session.AccessGrant;
import org.opentwag.api.session.AccessPath;
import org.opentwag.api.session.AccessSessions;
import org.opentwag.api.state.AuthorizedSession;
import org.opentwag.api.state.ClientState;
import org.opentwag.api.state.StateStore;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.Non3gppUserData;
import org.opentwag.api.vectors.SubscriberProfileListener;
import org.opentwag.api.vectors.SubscriberTerminationListener;
import org.opentwag.radius.server.DynamicAuthorizationClient;
import org.opentwag.session.access.AccessSessionBook;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access-session book as OSGi services. Its settings are read from the configurations operators already have:
 * Session-Timeout, Acct-Interim-Interval and the client lifetime from {@code org.opentwag.eap} (where they were when
 * eap-core authorised), the vector source to register at from {@code org.opentwag.eap.aka} (the one the EAP methods
 * fetch vectors from), so nothing changes for operators.
 */
@Component(service = {AccessAuthorizer.class, AccessSessions.class, SubscriberTerminationListener.class,
        SubscriberProfileListener.class, MetricsSource.class},
        configurationPid = {"org.opentwag.eap", "org.opentwag.eap.aka", "org.opentwag.session.cui"},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class AccessSessionComponent implements AccessAuthorizer, AccessSessions, SubscriberTerminationListener,
        SubscriberProfileListener, MetricsSource {

    /** The properties read; described (metatype) by the components owning these PIDs. */
    public @interface Config {
        int acctInterimIntervalSeconds() default 180;

        int sessionTimeoutSeconds() default 0;

        int clientStateLifetimeSeconds() default 86400;

        String vectorSource() default "swx";

        /** org.opentwag.session.cui: the name of the Chargeable-User-Identity key, shown in every identity. */
        String cuiKeyId() default "1";

        /**
         * org.opentwag.session.cui: the key (base64 of at least 16 bytes, or a secret reference). Unset or unresolved,
         * the key in etc/opentwag-cui.key is used, made on first start.
         */
        String cuiKey() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(AccessSessionComponent.class);
    private static final long CLIENT_COUNT_REFRESH_MILLIS = 5_000;
    private static final String ACTIVE_CLIENTS = "radius_active_clients_count";

    // Greedy: a clustered store (higher service.ranking) installed later replaces the in-memory one.
    @Reference(policyOption = ReferencePolicyOption.GREEDY)
    private StateStore store;

    /** Where the counters live: the state store bundle's, so that a bundle:update does not restart them. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private CounterStore counterStore;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChargingControl charging;

    /** Looked up at use, not bound (see {@link LazyService}: reference cycles). */
    private LazyService<DynamicAuthorizationClient> das;
    private LazyService<AuthVectorSource> hss;
    private LazyService<AccessPath> paths;

    /** How often (and with what grace) sessions that ended without a Stop are looked for. */
    private static final Duration SILENT_SESSION_SWEEP = Duration.ofMinutes(5);

    private volatile AccessSessionBook.Settings settings;
    private ScheduledExecutorService sweeper;
    private volatile AccessSessionBook book;
    private volatile long activeClients;
    private volatile long activeClientsAt;

    @Activate
    void activate(BundleContext context, Config config) {
        das = new LazyService<>(context, DynamicAuthorizationClient.class, null);
        hss = new LazyService<>(context, AuthVectorSource.class, sourceFilter(config.vectorSource()));
        // Home routing (s2a-gateway) reaches back here to disconnect subscribers: looked up, not bound.
        paths = new LazyService<>(context, AccessPath.class, null);
        configure(config);
        book = new AccessSessionBook(store, () -> settings, System::currentTimeMillis, () -> charging,
                hss::get, das::get, new AccessSessionBook.RegistrationCounters(
                        counterStore != null ? counterStore::counter : name -> new LongAdder()));
        book.paths(paths::get);
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opentwag-access-session-sweep");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::endSilentSessions, SILENT_SESSION_SWEEP.toMinutes(),
                SILENT_SESSION_SWEEP.toMinutes(), TimeUnit.MINUTES);
    }

    private void endSilentSessions() {
        try {
            int n = book.endSilentSessions(SILENT_SESSION_SWEEP);
            if (n > 0) {
                LOG.info("{} session(s) ended without an accounting Stop: deregistered at the HSS", n);
            }
        } catch (RuntimeException e) {
            LOG.warn("Sweep for sessions ended without a Stop failed: {}", e.toString());
        }
    }

    @Modified
    void configure(Config config) {
        settings = new AccessSessionBook.Settings(Duration.ofSeconds(config.clientStateLifetimeSeconds()),
                Math.max(0, config.sessionTimeoutSeconds()), Math.max(0, config.acctInterimIntervalSeconds()),
                ChargeableUserIdentityKey.load(config.cuiKeyId(), config.cuiKey()));
        hss.filter(sourceFilter(config.vectorSource()));
        LOG.info("Access sessions: Session-Timeout {} s, Acct-Interim-Interval {} s, HSS registration via '{}'",
                config.sessionTimeoutSeconds(), config.acctInterimIntervalSeconds(), config.vectorSource());
    }

    /** An LDAP filter for the source's name, its special characters escaped (RFC 4515). */
    private static String sourceFilter(String name) {
        return "(" + AuthVectorSource.SOURCE_PROPERTY + "=" + name.replaceAll("[\\\\()*]", "\\\\$0") + ")";
    }

    @Deactivate
    void deactivate() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        das.release();
        hss.release();
        paths.release();
    }

    @Override
    public void authenticating(String identity, NasContext nas, String method) {
        book.authenticating(identity, nas, method);
    }

    @Override
    public void rejected(String identity, NasContext nas, String reason) {
        book.rejected(identity, nas, reason);
    }

    @Override
    public CompletionStage<AccessGrant> authorize(EapAuthentication authentication, NasContext nas) {
        return book.authorize(authentication, nas);
    }

    @Override
    public Collection<ClientState> clients() {
        return book.clients();
    }

    @Override
    public Optional<ClientState> client(String identityOrImsi) {
        return book.client(identityOrImsi);
    }

    @Override
    public long activeClientCount() {
        return book.activeClientCount();
    }

    @Override
    public Optional<AuthorizedSession> authorization(String token) {
        return book.authorization(token);
    }

    @Override
    public void ended(String imsi, String nasIp, String reason) {
        book.ended(imsi, nasIp, reason);
    }

    @Override
    public CompletionStage<DisconnectOutcome> disconnect(String identityOrImsi, String reason) {
        return book.disconnect(identityOrImsi, reason);
    }

    @Override
    public boolean terminated(String imsi, String reason) {
        return book.terminated(imsi, reason);
    }

    @Override
    public boolean profileUpdated(String imsi, Non3gppUserData data) {
        return book.profileUpdated(imsi, data);
    }

    @Override
    public Optional<Non3gppUserData> userData(String imsi) {
        return book.userData(imsi);
    }

    @Override
    public Map<String, String> help() {
        return Map.of(ACTIVE_CLIENTS, "Currently authenticated clients (refreshed every 5 seconds)",
                "hss_registration_count", "SWx Server-Assignment-Requests sent for accepted logins (register) and "
                        + "ended sessions (deregister), by result (refused: the HSS refused or barred the subscriber)",
                AccessSessionBook.RegistrationCounters.DISCONNECTS,
                "Disconnect-Requests sent because the HSS ended (RTR) or barred (PPR) a subscriber's access");
    }

    @Override
    public Map<String, Number> values() {
        long now = System.currentTimeMillis();
        if (now - activeClientsAt >= CLIENT_COUNT_REFRESH_MILLIS) {
            activeClients = book.activeClientCount();
            activeClientsAt = now;
        }
        Map<String, Number> v = new LinkedHashMap<>();
        v.put(ACTIVE_CLIENTS, activeClients);
        v.putAll(book.registrations().values());
        return v;
    }

    @Override
    public Kind kind(String metricName) {
        return metricName.equals(ACTIVE_CLIENTS) ? Kind.GAUGE : Kind.COUNTER;
    }
}
