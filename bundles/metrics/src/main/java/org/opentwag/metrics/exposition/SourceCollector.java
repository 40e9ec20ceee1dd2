package org.opentwag.metrics.exposition;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.prometheus.client.Collector;
import org.opentwag.api.metrics.MetricsSource;

/**
 * Reads the {@link MetricsSource} services at scrape time and writes them in the Prometheus text format 0.0.4.
 * Series names are kept exactly as the sources give them (the guide's names, e.g.
 * {@code radius_access_request_count}); simpleclient's own types would append {@code _total} to every counter, so
 * this class writes its families itself.
 */
public final class SourceCollector {

    private record Sample(Series series, double value) {
    }

    private static final class Family {
        final boolean gauge;
        final String help;
        final List<Sample> samples = new ArrayList<>();

        Family(boolean gauge, String help) {
            this.gauge = gauge;
            this.help = help;
        }
    }

    private final Supplier<Collection<MetricsSource>> sources;

    public SourceCollector(Supplier<Collection<MetricsSource>> sources) {
        this.sources = sources;
    }

    private Map<String, Family> collect() {
        Map<String, Family> families = new LinkedHashMap<>();
        for (MetricsSource source : sources.get()) {
            try {
                Map<String, String> help = source.help();
                for (Map.Entry<String, Number> e : source.values().entrySet()) {
                    Series s = Series.parse(e.getKey());
                    families.computeIfAbsent(s.name(), n -> new Family(
                            source.kind(n) == MetricsSource.Kind.GAUGE, help.getOrDefault(n, n)))
                            .samples.add(new Sample(s, e.getValue().doubleValue()));
                }
            } catch (RuntimeException e) {
                // One broken source must not take the whole endpoint down.
            }
        }
        return families;
    }

    public void write(Writer w) throws IOException {
        for (Map.Entry<String, Family> e : collect().entrySet()) {
            String name = e.getKey();
            Family f = e.getValue();
            w.write("# HELP " + name + " " + f.help.replace("\\", "\\\\").replace("\n", "\\n") + "\n");
            w.write("# TYPE " + name + " " + (f.gauge ? "gauge" : "counter") + "\n");
            for (Sample s : f.samples) {
                w.write(name);
                List<String> names = s.series().labelNames();
                if (!names.isEmpty()) {
                    w.write('{');
                    for (int i = 0; i < names.size(); i++) {
                        if (i > 0) {
                            w.write(',');
                        }
                        w.write(names.get(i) + "=\"" + s.series().labelValues().get(i).replace("\\", "\\\\")
                                .replace("\"", "\\\"").replace("\n", "\\n") + "\"");
                    }
                    w.write('}');
                }
                w.write(' ');
                w.write(Collector.doubleToGoString(s.value()));
                w.write('\n');
            }
        }
    }
}
