package org.opentwag.dashboard.history;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.opentwag.api.metrics.MetricsSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the overview's {@link MetricHistory} for as long as the dashboard bundle runs: started with the bundle
 * (immediate), not with the servlet (which Pax Web may activate several times), sampling every bundle's metrics
 * once a second on one daemon thread.
 */
@Component(service = OverviewHistory.class, immediate = true)
public class OverviewHistory {

    private static final Logger LOG = LoggerFactory.getLogger(OverviewHistory.class);

    private final List<MetricsSource> sources = new CopyOnWriteArrayList<>();
    private final MetricHistory history = new MetricHistory(this::overviewMetrics);
    private volatile ScheduledExecutorService sampler;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSource(MetricsSource source) {
        sources.add(source);
    }

    void removeSource(MetricsSource source) {
        sources.remove(source);
    }

    @Activate
    void activate() {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opentwag-overview-history");
            t.setDaemon(true);
            return t;
        });
        // The first sample at once: the baseline the first second's rates are measured from.
        s.scheduleAtFixedRate(() -> {
            try {
                history.sample(System.currentTimeMillis());
            } catch (RuntimeException e) {
                LOG.warn("Overview history sample failed: {}", e.toString());
            }
        }, 0, 1, TimeUnit.SECONDS);
        sampler = s;
    }

    @Deactivate
    void deactivate() {
        ScheduledExecutorService s = sampler;
        sampler = null;
        if (s != null) {
            s.shutdownNow();
        }
    }

    public MetricHistory history() {
        return history;
    }

    /** The values of the sources that publish one of the overview's metrics (the others are not asked). */
    private Map<String, Number> overviewMetrics() {
        Map<String, Number> all = new HashMap<>();
        for (MetricsSource source : sources) {
            try {
                Map<String, String> help = source.help();
                if (help != null && help.keySet().stream().anyMatch(MetricHistory.METRICS::contains)) {
                    all.putAll(source.values());
                }
            } catch (RuntimeException e) {
                LOG.debug("metrics source failed for the overview: {}", e.toString());
            }
        }
        return all;
    }
}
