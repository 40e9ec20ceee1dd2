package org.opentwag.gtp.gateway.osgi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.api.s2a.HomeRouting;
import org.opentwag.api.s2a.UserPlaneBearers;
import org.opentwag.api.session.AccessPath;
import org.opentwag.api.session.AccessSessions;
import org.opentwag.api.state.StateStore;
import org.opentwag.api.vectors.Non3gppUserData;
import org.opentwag.gtp.gateway.ApnSelection;
import org.opentwag.gtp.gateway.S2aGateway;
import org.opentwag.gtp.gateway.S2aSettings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
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
 * The S2a gateway as OSGi services: {@link AccessPath} (asked by the access-session bundle for every admitted login),
 * {@link HomeRouting} (shell) and {@link MetricsSource}. Off unless {@code enabled = true} in
 * {@code etc/org.opentwag.s2a.cfg}: then no socket is opened and every login is local breakout.
 */
@Component(service = {AccessPath.class, HomeRouting.class, UserPlaneBearers.class, MetricsSource.class},
        configurationPid = "org.opentwag.s2a",
        immediate = true, // Echo to the PGW runs from the start, not from the first login
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = S2aGatewayComponent.Config.class)
public class S2aGatewayComponent implements AccessPath, HomeRouting, UserPlaneBearers, MetricsSource {

    @ObjectClassDefinition(name = "OpenTWAG S2a home routing",
            description = "GTPv2-C to the operator's PGW (TS 29.274): which subscribers are home-routed and where")
    public @interface Config {
        @AttributeDefinition(description = "Home routing on; false = every subscriber is local breakout")
        boolean enabled() default false;

        @AttributeDefinition(description = "PGW GTP-C address")
        String pgwAddress() default "127.0.0.4";

        @AttributeDefinition(description = "PGW GTP-C port")
        int pgwPort() default 2123;

        @AttributeDefinition(description = "Local address of the TWAG's GTP-C endpoint (also in our F-TEIDs)")
        String localAddress() default "127.0.0.1";

        @AttributeDefinition(description = "Local GTP-C port (2123; 0 = any)")
        int localPort() default 2123;

        @AttributeDefinition(description = "APN asked for when the HSS gives none")
        String defaultApn() default "internet";

        @AttributeDefinition(description = "Serving Network MCC (the TWAN's PLMN)")
        String servingMcc() default "001";

        @AttributeDefinition(description = "Serving Network MNC")
        String servingMnc() default "01";

        @AttributeDefinition(description = "Home-routed subscribers: comma-separated IMSI prefixes (empty = all)")
        String imsiPrefixes() default "";

        @AttributeDefinition(description = "TAP interface the phones' Ethernet frames arrive on (user plane, bundle "
                + "s2a-userplane); empty = no user plane")
        String accessInterface() default "";

        @AttributeDefinition(description = "When the PGW does not answer: reject (refuse the login) or "
                + "local-breakout (admit it without home routing)")
        String whenPgwDown() default "reject";

        @AttributeDefinition(description = "T3-RESPONSE retransmission timer (ms)")
        int t3Millis() default 1000;

        @AttributeDefinition(description = "N3-REQUESTS: retransmissions before a request counts as unanswered")
        int n3() default 2;

        @AttributeDefinition(description = "Echo Request period in seconds (0 = none)")
        int echoIntervalSeconds() default 60;

        @AttributeDefinition(description = "Home-routed APNs, comma-separated (empty = every APN): a login whose APN "
                + "(the HSS's default APN, else defaultApn) is not listed stays local breakout")
        String homeRoutedApns() default "";

        @AttributeDefinition(description = "How long the state store keeps a PDN connection without an end (seconds; "
                + "at least the access sessions' clientStateLifetimeSeconds)")
        int connectionLifetimeSeconds() default 86400;
    }

    private static final Logger LOG = LoggerFactory.getLogger(S2aGatewayComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AccessSessions sessions;

    /** Where the PDN connections outlive a restart or update of this bundle (greedy: a clustered store wins). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private StateStore store;

    private volatile S2aGateway gateway;
    private ScheduledExecutorService echoes;

    @Activate
    void activate(Config config) throws Exception {
        if (!config.enabled()) {
            LOG.info("S2a home routing disabled (etc/org.opentwag.s2a.cfg enabled = false): local breakout for all");
            return;
        }
        S2aSettings.WhenPgwDown policy = switch (config.whenPgwDown().trim().toLowerCase()) {
            case "reject" -> S2aSettings.WhenPgwDown.REJECT;
            case "local-breakout", "local_breakout" -> S2aSettings.WhenPgwDown.LOCAL_BREAKOUT;
            default -> throw new IllegalArgumentException("whenPgwDown must be reject or local-breakout, not '"
                    + config.whenPgwDown() + "'");
        };
        List<String> prefixes = Arrays.stream(config.imsiPrefixes().split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        S2aSettings settings = new S2aSettings(new InetSocketAddress(config.pgwAddress(), config.pgwPort()),
                new InetSocketAddress(config.localAddress(), config.localPort()), config.defaultApn(),
                config.servingMcc(), config.servingMnc(), prefixes, policy,
                Duration.ofMillis(Math.max(100, config.t3Millis())), Math.max(0, config.n3()),
                Duration.ofSeconds(Math.max(0, config.echoIntervalSeconds())));
        List<String> apns = Arrays.stream(config.homeRoutedApns().split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        gateway = new S2aGateway(settings, recovery(settings.local()), System::currentTimeMillis, this::disconnect,
                new ApnSelection(config.defaultApn(), apns), store,
                Duration.ofSeconds(Math.max(60, config.connectionLifetimeSeconds())));
        if (config.echoIntervalSeconds() > 0) {
            echoes = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "s2a-echo");
                t.setDaemon(true);
                return t;
            });
            echoes.scheduleWithFixedDelay(() -> gateway.echo(), 0, config.echoIntervalSeconds(), TimeUnit.SECONDS);
        }
    }

    /**
     * Our Recovery: unchanged when the state store still holds it (a restart or update of this bundle: the PDN
     * connections survived there, and a new value would tell the PGW to drop them, TS 23.007 18), else the next one.
     */
    private int recovery(InetSocketAddress local) {
        String key = local.getAddress().getHostAddress() + ":" + local.getPort();
        StateStore s = store;
        if (s != null) {
            try {
                Integer kept = s.get(RECOVERY_MAP, key, Integer.class);
                if (kept != null) {
                    return kept;
                }
            } catch (RuntimeException e) {
                LOG.warn("S2a: restart counter not read from the state store: {}", e.toString());
            }
        }
        int next = nextRecovery();
        if (s != null) {
            try {
                s.put(RECOVERY_MAP, key, next, Duration.ofDays(3650));
            } catch (RuntimeException e) {
                LOG.warn("S2a: restart counter not kept in the state store: {}", e.toString());
            }
        }
        return next;
    }

    /** Our GTP-C address:port → the Recovery value sent while the PDN connections in the state store are ours. */
    private static final String RECOVERY_MAP = "s2a.recovery";

    /**
     * Our Recovery (TS 23.007 18): one more than at the last start, kept in the Karaf data directory, so that the PGW
     * sees each restart of the TWAG.
     */
    private static int nextRecovery() {
        Path file = Path.of(System.getProperty("karaf.data", "data"), "s2a", "recovery");
        int next = 0;
        try {
            if (Files.exists(file)) {
                next = (Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim()) + 1) & 0xff;
            }
            Files.createDirectories(file.getParent());
            Files.writeString(file, Integer.toString(next), StandardCharsets.US_ASCII);
        } catch (IOException | NumberFormatException e) {
            LOG.warn("S2a: restart counter {} not kept: {}", file, e.toString());
        }
        return next;
    }

    private void disconnect(String imsi, String reason) {
        AccessSessions s = sessions;
        if (s == null) {
            LOG.warn("S2a: IMSI {} not disconnected ({}): no access-session service", imsi, reason);
            return;
        }
        s.disconnect(imsi, reason);
    }

    @Deactivate
    void deactivate() {
        if (echoes != null) {
            echoes.shutdownNow();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Override
    public CompletionStage<PathDecision> open(EapAuthentication authentication, NasContext nas) {
        S2aGateway g = gateway;
        return g == null ? CompletableFuture.completedFuture(new PathDecision.LocalBreakout("S2a disabled"))
                : g.open(authentication, nas);
    }

    @Override
    public CompletionStage<PathDecision> open(EapAuthentication authentication, NasContext nas,
                                              Non3gppUserData userData) {
        S2aGateway g = gateway;
        return g == null ? CompletableFuture.completedFuture(new PathDecision.LocalBreakout("S2a disabled"))
                : g.open(authentication, nas, userData);
    }

    @Override
    public Optional<PdnConnectionView> connection(String imsi) {
        S2aGateway g = gateway;
        return g == null ? Optional.empty() : g.connection(imsi);
    }

    @Override
    public void close(String imsi, String reason) {
        S2aGateway g = gateway;
        if (g != null) {
            g.close(imsi, reason);
        }
    }

    @Override
    public List<PgwPeerView> peers() {
        S2aGateway g = gateway;
        return g == null ? List.of() : g.peers();
    }

    @Override
    public List<PdnConnectionView> connections() {
        S2aGateway g = gateway;
        return g == null ? List.of() : g.connections();
    }

    @Override
    public Optional<Bearer> byMac(long mac) {
        S2aGateway g = gateway;
        return g == null ? Optional.empty() : g.bearers().byMac(mac);
    }

    @Override
    public Optional<Bearer> byLocalTeid(long localTeid) {
        S2aGateway g = gateway;
        return g == null ? Optional.empty() : g.bearers().byLocalTeid(localTeid);
    }

    @Override
    public Map<String, String> help() {
        return Map.ofEntries(Map.entry("s2a_create_session_count", "Create Session Responses by cause (no_response: unanswered)"),
                Map.entry("s2a_delete_session_count", "Delete Session Responses by cause (no_response: unanswered)"),
                Map.entry("s2a_pgw_initiated_delete_count", "Delete Bearer/Session Requests from the PGW ending a connection"),
                Map.entry("s2a_pgw_down_policy_count", "Logins whose Create Session went unanswered, by the policy applied"),
                Map.entry("s2a_pgw_restarts_count", "PGW restarts detected by a changed Recovery"),
                Map.entry("s2a_pgw_path_failures_count", "GTP-C path failures (Echo unanswered after N3 retransmissions)"),
                Map.entry("s2a_pdn_connections_cleaned_count", "PDN connections ended here after a PGW restart or path failure"),
                Map.entry("s2a_pdn_connections", "PDN connections open"),
                Map.entry("s2a_gtpc_retransmissions_count", "GTPv2-C requests retransmitted (T3 expired)"),
                Map.entry("s2a_gtpc_duplicate_requests_count", "Retransmitted requests from the PGW answered again"),
                Map.entry("s2a_gtpc_malformed_count", "GTPv2-C datagrams dropped as malformed"),
                Map.entry("s2a_gtpc_unmatched_responses_count", "GTPv2-C responses matching no pending request"),
                Map.entry("s2a_create_session_duration_seconds",
                        "Create Session Request to the PGW's answer (the wait for the PGW inside a home-routed login)"));
    }

    @Override
    public Map<String, Number> values() {
        S2aGateway g = gateway;
        return g == null ? Map.of() : g.metricValues();
    }

    @Override
    public Kind kind(String metricName) {
        return switch (metricName) {
            case "s2a_pdn_connections" -> Kind.GAUGE;
            case "s2a_create_session_duration_seconds" -> Kind.HISTOGRAM;
            default -> Kind.COUNTER;
        };
    }
}
