package org.opentwag.metrics.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.opentwag.api.check.Finding;
import org.opentwag.api.check.SafetyCheck;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.metrics.exposition.BasicAuth;
import org.opentwag.metrics.exposition.MetricsHttpServer;
import org.opentwag.metrics.exposition.SourceCollector;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every {@link MetricsSource} and the JVM's own figures on {@code http://<bind>:<port>/metrics}: on
 * loopback only unless configured wider, optionally behind HTTP basic auth. As a {@link SafetyCheck} it reports an
 * endpoint that listens beyond loopback without a login. Nothing is kept in static registries, so a bundle update
 * starts clean.
 */
@Component(immediate = true, service = SafetyCheck.class, configurationPid = "org.opentwag.metrics",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PrometheusEndpoint.Config.class)
public class PrometheusEndpoint implements SafetyCheck {

    @ObjectClassDefinition(name = "OpenTWAG Prometheus endpoint")
    public @interface Config {
        @AttributeDefinition(description = "Address the /metrics endpoint listens on (127.0.0.1: this machine only;"
                + " 0.0.0.0: every interface)")
        String bindAddress() default "127.0.0.1";

        @AttributeDefinition(description = "Port of the /metrics endpoint (the guide's 9568)")
        int port() default 9568;

        @AttributeDefinition(description = "HTTP basic auth user scrapers must send; empty: no login asked")
        String username() default "";

        @AttributeDefinition(type = AttributeType.PASSWORD,
                description = "Its password, best a reference: $[secret:metrics.password] or $[env:NAME]")
        String password() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusEndpoint.class);
    static final String UNAUTHORIZED = "metrics_scrape_unauthorized_count";

    private final Collection<MetricsSource> sources = new CopyOnWriteArrayList<>();
    private final JvmMetrics jvm = new JvmMetrics();
    private MetricsHttpServer server;
    private volatile List<Finding> findings = List.of();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSource(MetricsSource source) {
        sources.add(source);
    }

    void removeSource(MetricsSource source) {
        sources.remove(source);
    }

    @Activate
    void activate(Config config) throws InterruptedException {
        sources.add(jvm);
        BasicAuth auth = auth(config);
        boolean loginAsked = !config.username().isBlank();
        findings = findings(config.bindAddress(), loginAsked);
        server = new MetricsHttpServer(new SourceCollector(() -> sources),
                new InetSocketAddress(config.bindAddress(), config.port()), auth);
        sources.add(new MetricsSource() {
            @Override
            public Map<String, String> help() {
                return Map.of(UNAUTHORIZED, "Scrapes of /metrics refused for a missing or wrong login");
            }

            @Override
            public Map<String, Number> values() {
                return Map.of(UNAUTHORIZED, server.unauthorizedCount());
            }
        });
        LOG.info("Prometheus metrics on http://{}:{}/metrics ({})", config.bindAddress(),
                server.localAddress().getPort(), loginAsked ? "basic auth, user " + config.username() : "no login");
        for (Finding f : findings) {
            LOG.warn("Metrics: {}: {}", f.problem(), f.remedy());
        }
    }

    /** The login scrapers must give, or null for none; a password reference that did not resolve refuses all. */
    private static BasicAuth auth(Config config) {
        if (config.username().isBlank()) {
            return null;
        }
        String password = config.password();
        if (password.isEmpty() || password.startsWith("$[")) {
            // Config Admin leaves a reference it cannot resolve as it is: never accept its literal text.
            LOG.error("Metrics: the password of user {} is empty or an unresolved reference (etc/org.opentwag.metrics.cfg"
                    + " password): every scrape is refused until it resolves", config.username());
            return new BasicAuth(config.username(), java.util.UUID.randomUUID() + "-unusable");
        }
        return new BasicAuth(config.username().strip(), password);
    }

    /** An endpoint that strangers can reach and read without a login is unsafe. */
    static List<Finding> findings(String bindAddress, boolean loginAsked) {
        if (loginAsked || isLoopback(bindAddress)) {
            return List.of();
        }
        return List.of(Finding.unsafe("metrics",
                "the metrics endpoint listens on " + bindAddress + ", beyond this machine, without a login",
                "in etc/org.opentwag.metrics.cfg set bindAddress = 127.0.0.1 (scrape through a local agent or an SSH"
                        + " tunnel), or set username and password (a $[secret:...] reference) and a firewall rule"));
    }

    static boolean isLoopback(String bindAddress) {
        try {
            return InetAddress.getByName(bindAddress.strip()).isLoopbackAddress();
        } catch (UnknownHostException unresolvable) {
            return false;
        }
    }

    @Override
    public List<Finding> findings() {
        return findings;
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.close();
        }
    }
}
