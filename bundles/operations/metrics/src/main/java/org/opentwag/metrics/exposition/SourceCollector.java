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
        final MetricsSource.Kind kind;
        final String help;
        final List<Sample> samples = new ArrayList<>();

        Family(MetricsSource.Kind kind, String help) {
            this.kind = kind;
            this.help = help;
        }
    }

    private static final String[] HISTOGRAM_SUFFIXES = {"_bucket", "_sum", "_count"};

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
                    String family = histogramOf(source, s.name());
                    MetricsSource.Kind kind = family != null ? MetricsSource.Kind.HISTOGRAM : source.kind(s.name());
                    String name = family != null ? family : s.name();
                    families.computeIfAbsent(name, n -> new Family(kind, help.getOrDefault(n, n)))
                            .samples.add(new Sample(s, e.getValue().doubleValue()));
                }
            } catch (RuntimeException e) {
                // One broken source must not take the whole endpoint down.
            }
        }
        return families;
    }

    /** The histogram a series belongs to (its name without _bucket/_sum/_count), or null when it is not one. */
    private static String histogramOf(MetricsSource source, String series) {
        for (String suffix : HISTOGRAM_SUFFIXES) {
            if (series.endsWith(suffix)) {
                String base = series.substring(0, series.length() - suffix.length());
                if (!base.isEmpty() && source.kind(base) == MetricsSource.Kind.HISTOGRAM) {
                    return base;
                }
            }
        }
        return null;
    }

    public void write(Writer w) throws IOException {
        for (Map.Entry<String, Family> e : collect().entrySet()) {
            String name = e.getKey();
            Family f = e.getValue();
            w.write("# HELP " + name + " " + f.help.replace("\\", "\\\\").replace("\n", "\\n") + "\n");
            w.write("# TYPE " + name + " " + f.kind.name().toLowerCase(java.util.Locale.ROOT) + "\n");
            for (Sample s : f.samples) {
                w.write(s.series().name());
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
