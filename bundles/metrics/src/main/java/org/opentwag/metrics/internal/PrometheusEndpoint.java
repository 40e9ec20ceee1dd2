package org.opentwag.metrics.internal;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.concurrent.CopyOnWriteArrayList;

import org.opentwag.api.metrics.MetricsSource;
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
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every {@link MetricsSource} and the JVM's own figures on {@code http://<bind>:<port>/metrics}.
 * Nothing is kept in static registries, so a bundle update starts clean.
 */
@Component(immediate = true, configurationPid = "org.opentwag.metrics", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PrometheusEndpoint.Config.class)
public class PrometheusEndpoint {

    @ObjectClassDefinition(name = "OpenTWAG Prometheus endpoint")
    public @interface Config {
        @AttributeDefinition(description = "Address the /metrics endpoint listens on")
        String bindAddress() default "0.0.0.0";

        @AttributeDefinition(description = "Port of the /metrics endpoint (the guide's 9568)")
        int port() default 9568;
    }

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusEndpoint.class);

    private final Collection<MetricsSource> sources = new CopyOnWriteArrayList<>();
    private final JvmMetrics jvm = new JvmMetrics();
    private MetricsHttpServer server;

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
        server = new MetricsHttpServer(new SourceCollector(() -> sources), new InetSocketAddress(config.bindAddress(), config.port()));
        LOG.info("Prometheus metrics on http://{}:{}/metrics", config.bindAddress(), server.localAddress().getPort());
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.close();
        }
    }
}
