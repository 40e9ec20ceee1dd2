package org.opentwag.radius.server.internal.osgi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.opentwag.api.check.Finding;
import org.opentwag.api.check.SafetyCheck;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.api.radius.RadiusServerState;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.server.AccessRequestHandler;
import org.opentwag.radius.server.AccountingHandler;
import org.opentwag.radius.server.DynamicAuthorizationClient;
import org.opentwag.radius.server.DynamicAuthorizationResult;
import org.opentwag.radius.server.RadiusServerStatistics;
import org.opentwag.radius.server.internal.AccessPointGroup;
import org.opentwag.radius.server.internal.AccessPointGroups;
import org.opentwag.radius.server.internal.DasClient;
import org.opentwag.radius.server.internal.RadSecSettings;
import org.opentwag.radius.server.internal.RadiusCounters;
import org.opentwag.radius.server.internal.RadiusServer;
import org.opentwag.radius.server.internal.ServerSettings;
import org.opentwag.support.radius.LocalRadiusServerState;
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
 * The RADIUS server as an OSGi component (PID {@code org.opentwag.radius}): listeners, the access point groups of the
 * factory PID {@code org.opentwag.radius.client}, the handlers found in the service registry (optional and dynamic:
 * eap-core and accounting may come and go under load), the DAS client and the statistics.
 *
 * <p>The duplicate cache and the counters come from the {@link RadiusServerState} service of the state store bundle
 * when there is one, so that a bundle:update of this bundle keeps them; otherwise from a local instance that lives as
 * long as this bundle. The reference is static and greedy: when the service appears later (boot order), the component
 * restarts on it and hands the counts of the local instance over.
 */
@Component(configurationPid = RadiusServerComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = {RadiusServerStatistics.class, MetricsSource.class, DynamicAuthorizationClient.class, SafetyCheck.class})
@Designate(ocd = RadiusServerComponent.Config.class)
public class RadiusServerComponent implements RadiusServerStatistics, MetricsSource, DynamicAuthorizationClient,
        SafetyCheck {
    public static final String PID = "org.opentwag.radius";
    private static final Logger LOG = LoggerFactory.getLogger(RadiusServerComponent.class);

    @ObjectClassDefinition(name = "OpenTWAG RADIUS server", description = "RADIUS authentication and accounting listeners")
    public @interface Config {
        @AttributeDefinition(description = "Address to listen on (0.0.0.0 = all IPv4 addresses)")
        String bindAddress() default "0.0.0.0";

        @AttributeDefinition(description = "Also listen on IPv6 (with 0.0.0.0: one dual-stack socket on ::)")
        boolean ipv6() default false;

        @AttributeDefinition(description = "RADIUS authentication port")
        int authPort() default 1812;

        @AttributeDefinition(description = "RADIUS accounting port")
        int acctPort() default 1813;

        @AttributeDefinition(description = "Seconds an answer is kept to answer retransmissions (RFC 5080)")
        int dedupWindowSeconds() default 30;

        @AttributeDefinition(description = "Maximum entries of the duplicate cache")
        int dedupMaxEntries() default 100000;

        @AttributeDefinition(description = "Requests in flight beyond which new ones are dropped and counted (overload)")
        int maxPendingRequests() default 10000;

        @AttributeDefinition(description = "Heap use after a garbage collection (percent of the maximum heap) from which "
                + "Access-Requests starting a login are dropped and counted as radius_dropped_count{reason=\"memory\"}, "
                + "before the JVM runs out of memory; logins under way and accounting go on (0 = never)")
        int memoryGuardPercent() default 90;

        @AttributeDefinition(description = "Worker threads calling the EAP and accounting handlers")
        int workerThreads() default 8;

        @AttributeDefinition(description = "Seconds a handler may take before the request is abandoned without answer")
        int requestTimeoutSeconds() default 20;

        @AttributeDefinition(description = "Seconds between Disconnect/CoA retransmissions")
        int dasTimeoutSeconds() default 3;

        @AttributeDefinition(description = "Disconnect/CoA attempts before giving up")
        int dasAttempts() default 3;

        @AttributeDefinition(description = "Serve RADIUS over TLS (RadSec, RFC 6614)")
        boolean radsecEnabled() default false;

        @AttributeDefinition(description = "RadSec TCP port (RFC 6614: 2083)")
        int radsecPort() default 2083;

        @AttributeDefinition(description = "PEM file with this server's certificate chain (relative paths: from etc/)")
        String radsecCertificate() default "";

        @AttributeDefinition(description = "PEM file with the server's PKCS#8 private key, unencrypted (relative paths: from etc/)")
        String radsecPrivateKey() default "";

        @AttributeDefinition(description = "PEM file with the CA certificates client certificates must chain to")
        String radsecCaCertificates() default "";

        @AttributeDefinition(description = "TLS versions offered")
        String[] radsecProtocols() default {"TLSv1.3", "TLSv1.2"};

        @AttributeDefinition(description = "Seconds of silence after which a RadSec connection is closed")
        int radsecIdleTimeoutSeconds() default 600;

        @AttributeDefinition(description = "Concurrent RadSec connections beyond which new ones are closed")
        int radsecMaxConnections() default 1000;
    }

    /** Used when no {@link RadiusServerState} service is registered: lives as long as this bundle. */
    private static final LocalRadiusServerState LOCAL_STATE = new LocalRadiusServerState();
    private static volatile Boolean loggedShared;

    private final AccessPointGroups accessPointGroups = new AccessPointGroups();
    private volatile RadiusCounters counters = new RadiusCounters(LOCAL_STATE);
    private RadiusServerState state = LOCAL_STATE;
    private RadiusServer server;
    private DasClient dasClient;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private RadiusServerState sharedState;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccessRequestHandler accessRequestHandler;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccountingHandler accountingHandler;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAccessPointGroup(AccessPointGroupComponent group) {
        accessPointGroups.put(group.pid(), group.group());
    }

    void unbindAccessPointGroup(AccessPointGroupComponent group) {
        accessPointGroups.remove(group.pid());
    }

    /** The handlers from the registry while DS has not bound them (see {@link RegistryFallback}). */
    private final RegistryFallback<AccessRequestHandler> accessFallback = new RegistryFallback<>(AccessRequestHandler.class);
    private final RegistryFallback<AccountingHandler> accountingFallback = new RegistryFallback<>(AccountingHandler.class);

    @Activate
    void activate(org.osgi.framework.BundleContext context, Config config) throws Exception {
        accessFallback.open(context);
        accountingFallback.open(context);
        org.osgi.framework.Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(getClass());
        LOG.info("{} active, code {}", bundle == null ? "outside OSGi:" : bundle.getSymbolicName() + " " + bundle.getVersion(),
                Release.code());
        if (sharedState != null) {
            LOCAL_STATE.moveCountersTo(sharedState);
            state = sharedState;
        }
        counters = new RadiusCounters(state);
        boolean shared = sharedState != null;
        if (!Boolean.valueOf(shared).equals(loggedShared)) {
            loggedShared = shared;
            if (shared) {
                LOG.info("RADIUS duplicate cache and counters kept by the state store bundle: they survive a "
                        + "bundle:update of radius-server");
            } else {
                LOG.info("RADIUS duplicate cache and counters local to radius-server (no RadiusServerState service): "
                        + "a bundle:update of radius-server starts them afresh");
            }
        }
        start(config);
    }

    @Modified
    void modified(Config config) throws Exception {
        LOG.info("RADIUS server configuration changed: restarting listeners");
        stop();
        start(config);
    }

    @Deactivate
    void deactivate() {
        stop();
        accessFallback.close();
        accountingFallback.close();
    }

    private synchronized void start(Config config) throws Exception {
        ServerSettings settings = new ServerSettings(config.bindAddress(), config.ipv6(), config.authPort(),
                config.acctPort(), Duration.ofSeconds(config.dedupWindowSeconds()), config.dedupMaxEntries(),
                config.maxPendingRequests(), config.workerThreads(), Duration.ofSeconds(config.requestTimeoutSeconds()),
                config.memoryGuardPercent());
        if (accessPointGroups.groups().isEmpty()) {
            LOG.warn("No RADIUS client group configured (etc/{}-*.cfg): every request will be dropped", AccessPointGroupComponent.FACTORY_PID);
        }
        RadiusServer newServer = new RadiusServer(settings, accessPointGroups, counters,
                state.responseCache(settings.dedupWindow(), settings.dedupMaxEntries()), () -> {
                    AccessRequestHandler h = accessRequestHandler;
                    return h != null ? h : accessFallback.get();
                }, () -> {
                    AccountingHandler h = accountingHandler;
                    return h != null ? h : accountingFallback.get();
                });
        if (config.radsecEnabled()) {
            newServer.withRadSec(new RadSecSettings(config.bindAddress(), config.radsecPort(),
                    etcFile(config.radsecCertificate()), etcFile(config.radsecPrivateKey()),
                    etcFile(config.radsecCaCertificates()), splitList(config.radsecProtocols()),
                    config.radsecIdleTimeoutSeconds(), config.radsecMaxConnections()));
        }
        DasClient newDas = new DasClient(accessPointGroups, config.bindAddress(), Duration.ofSeconds(config.dasTimeoutSeconds()),
                config.dasAttempts());
        try {
            newServer.start();
            newDas.start();
        } catch (Exception e) {
            LOG.error("RADIUS server cannot listen on {} ports {}/{}{}: {}", config.bindAddress(), config.authPort(),
                    config.acctPort(), config.radsecEnabled() ? " and RadSec " + config.radsecPort() : "", e.toString());
            newServer.close();
            newDas.close();
            throw e;
        }
        server = newServer;
        dasClient = newDas;
    }

    /** A relative path names a file under Karaf's etc/ directory. */
    private static String etcFile(String path) {
        if (path == null || path.isBlank()) {
            return path;
        }
        java.nio.file.Path p = java.nio.file.Path.of(path.trim());
        String etc = System.getProperty("karaf.etc");
        return p.isAbsolute() || etc == null ? p.toString() : java.nio.file.Path.of(etc).resolve(p).toString();
    }

    /** Config Admin gives "a, b" from a .cfg file as one string: split it. */
    private static String[] splitList(String[] values) {
        return java.util.Arrays.stream(values).flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::trim).filter(v -> !v.isEmpty()).toArray(String[]::new);
    }

    private synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (dasClient != null) {
            dasClient.close();
            dasClient = null;
        }
    }

    // --- DynamicAuthorizationClient ---

    private synchronized DasClient das() {
        return dasClient;
    }

    @Override
    public CompletionStage<DynamicAuthorizationResult> disconnect(String nasIp, List<RadiusAttribute> identifyingAttributes) {
        DasClient das = das();
        return das == null ? notRunning() : das.disconnect(nasIp, identifyingAttributes);
    }

    @Override
    public CompletionStage<DynamicAuthorizationResult> changeOfAuthorization(String nasIp, List<RadiusAttribute> attributes) {
        DasClient das = das();
        return das == null ? notRunning() : das.changeOfAuthorization(nasIp, attributes);
    }

    private static CompletionStage<DynamicAuthorizationResult> notRunning() {
        return java.util.concurrent.CompletableFuture.completedFuture(new DynamicAuthorizationResult(
                DynamicAuthorizationResult.Outcome.FAILED, List.of(), "RADIUS server not running"));
    }

    // --- statistics, delegated ---

    @Override public long accessRequests() { return counters.accessRequests(); }
    @Override public long accessAccepts() { return counters.accessAccepts(); }
    @Override public long accessRejects() { return counters.accessRejects(); }
    @Override public long accessChallenges() { return counters.accessChallenges(); }
    @Override public long accountingRequests(String statusType) { return counters.accountingRequests(statusType); }
    @Override public long accountingResponses() { return counters.accountingResponses(); }
    @Override public long statusServerRequests() { return counters.statusServerRequests(); }
    @Override public long duplicatesAnswered() { return counters.duplicatesAnswered(); }
    @Override public long dropped(DropReason reason) { return counters.dropped(reason); }
    @Override public long pendingRequests() { return counters.pendingRequests(); }
    @Override public Map<String, Long> snapshot() { return counters.snapshot(); }
    private static final String REFUSED_GROUPS = "radius_client_group_refused";

    @Override
    public Map<String, String> help() {
        Map<String, String> help = new java.util.HashMap<>(counters.help());
        help.put(REFUSED_GROUPS, "RADIUS client groups served on loopback only because their secret is the shipped "
                + "placeholder or shorter than " + AccessPointGroup.MIN_SECRET_LENGTH + " characters");
        return help;
    }

    @Override
    public Map<String, Number> values() {
        Map<String, Number> values = counters.values();
        values.put(REFUSED_GROUPS, accessPointGroups.refusedGroups().size());
        return values;
    }

    @Override
    public Kind kind(String metricName) {
        return REFUSED_GROUPS.equals(metricName) ? Kind.GAUGE : counters.kind(metricName);
    }

    // --- SafetyCheck ---

    @Override
    public List<Finding> findings() {
        List<Finding> findings = new java.util.ArrayList<>();
        for (AccessPointGroup group : accessPointGroups.groups()) {
            String file = "etc/" + AccessPointGroupComponent.FACTORY_PID + "-<name>.cfg of group '" + group.name() + "'";
            String secretRemedy = "Set 'secret' in " + file + " to a random string of " + AccessPointGroup.MIN_SECRET_LENGTH
                    + " characters or more (e.g. openssl rand -base64 24), or reference one: $[env:...] / $[secret:...]";
            if (group.refusedBeyondLoopback()) {
                findings.add(Finding.warning("radius", "RADIUS client group '" + group.name() + "' is refused for "
                        + (group.allowsAnySource() ? "any source" : group.refusedSubnets().toString()) + ": "
                        + group.weakSecret().orElseThrow() + "; only loopback is served", secretRemedy));
            } else if (group.weakSecret().isPresent()) {
                findings.add(Finding.warning("radius", "RADIUS client group '" + group.name() + "' serves loopback "
                        + "only and " + group.weakSecret().get() + ": any local user can send RADIUS", secretRemedy));
            } else if (group.allowsAnySource()) {
                findings.add(Finding.warning("radius", "RADIUS client group '" + group.name()
                        + "' accepts requests from any source address", "List the access points' subnets in 'subnets' of "
                        + file));
            }
            if (!group.requireMessageAuthenticator()) {
                findings.add(Finding.unsafe("radius", "RADIUS client group '" + group.name() + "' accepts "
                        + "Access-Requests without Message-Authenticator (BlastRADIUS, CVE-2024-3596)",
                        "Set requireMessageAuthenticator = true in " + file + " once its access points send it"));
            }
        }
        return findings;
    }
}
