package org.opentwag.support.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import org.opentwag.api.metrics.MetricsSource;

/**
 * A Prometheus histogram kept by the bundle that measures (e.g. authentication latency), published through its
 * {@link MetricsSource}: {@link #observe} costs a few adder increments on the request path; {@link #writeTo} renders
 * the cumulative {@code _bucket}, {@code _sum} and {@code _count} series at scrape time. Plain Java, no registry:
 * a bundle update starts a fresh one.
 */
public final class Histogram {

    /** Upper bounds in seconds for latencies from a millisecond to ten seconds (the guide calls >5 s slow). */
    public static final double[] LATENCY_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
            5, 10};

    private final String name;
    private final List<String> labelNames;
    private final double[] bounds;
    private final Map<List<String>, Cells> byLabels = new ConcurrentHashMap<>();

    private static final class Cells {
        final LongAdder[] counts;
        final DoubleAdder sum = new DoubleAdder();
        final LongAdder count = new LongAdder();

        Cells(int buckets) {
            counts = new LongAdder[buckets];
            for (int i = 0; i < buckets; i++) {
                counts[i] = new LongAdder();
            }
        }
    }

    /**
     * @param name       the metric's base name, e.g. {@code eap_auth_duration_seconds}
     * @param bounds     bucket upper bounds, ascending ({@code +Inf} is implied)
     * @param labelNames names of the labels every observation gives values for, in that order
     */
    public Histogram(String name, double[] bounds, String... labelNames) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("not a Prometheus metric name: " + name);
        }
        for (int i = 1; i < bounds.length; i++) {
            if (!(bounds[i] > bounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must ascend: " + Arrays.toString(bounds));
            }
        }
        for (String l : labelNames) {
            if (l.equals("le")) {
                throw new IllegalArgumentException("'le' is the bucket label of a histogram");
            }
        }
        this.name = name;
        this.bounds = bounds.clone();
        this.labelNames = List.of(labelNames);
    }

    public String name() {
        return name;
    }

    /** Records one observation, in seconds, for these label values (as many as label names). */
    public void observe(double seconds, String... labelValues) {
        if (labelValues.length != labelNames.size()) {
            throw new IllegalArgumentException("expected values for " + labelNames);
        }
        Cells c = byLabels.computeIfAbsent(List.of(labelValues), k -> new Cells(bounds.length));
        int i = 0;
        while (i < bounds.length && seconds > bounds[i]) {
            i++;
        }
        if (i < bounds.length) {
            c.counts[i].increment();
        }
        c.sum.add(seconds);
        c.count.increment();
    }

    /** How many observations these label values have had so far. */
    public long count(String... labelValues) {
        Cells c = byLabels.get(List.of(labelValues));
        return c == null ? 0 : c.count.sum();
    }

    /**
     * The q-quantile (0..1) of the observations of these label values so far, in seconds, interpolated within its
     * bucket as Prometheus' {@code histogram_quantile} does; NaN without observations.
     */
    public double quantile(double q, String... labelValues) {
        Cells c = byLabels.get(List.of(labelValues));
        if (c == null) {
            return Double.NaN;
        }
        long[] counts = new long[bounds.length + 1];
        long inBounds = 0;
        for (int i = 0; i < bounds.length; i++) {
            counts[i] = c.counts[i].sum();
            inBounds += counts[i];
        }
        counts[bounds.length] = Math.max(0, c.count.sum() - inBounds);
        return quantile(bounds, counts, q);
    }

    /**
     * The q-quantile (0..1) of observations counted per bucket: {@code counts[i]} observations at most
     * {@code bounds[i]} and above the bound before; {@code counts[bounds.length]}, when present, those above the last
     * bound (+Inf). Interpolated linearly within the bucket, the last finite bound for +Inf (as Prometheus'
     * {@code histogram_quantile}); NaN without observations.
     */
    public static double quantile(double[] bounds, long[] counts, double q) {
        long total = 0;
        for (long n : counts) {
            total += n;
        }
        if (total == 0) {
            return Double.NaN;
        }
        double rank = Math.max(0, Math.min(1, q)) * total;
        long before = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0 && before + counts[i] >= rank) {
                if (i >= bounds.length) {
                    return bounds[bounds.length - 1];
                }
                double lower = i == 0 ? 0 : bounds[i - 1];
                return lower + (bounds[i] - lower) * (rank - before) / counts[i];
            }
            before += counts[i];
        }
        return bounds[bounds.length - 1];
    }

    /** The bucket upper bounds (without +Inf). */
    public double[] bounds() {
        return bounds.clone();
    }

    /** Adds this histogram's series (text-form keys, see {@link MetricsSource#values}) to {@code out}. */
    public void writeTo(Map<String, Number> out) {
        for (Map.Entry<List<String>, Cells> e : byLabels.entrySet()) {
            String labels = labels(e.getKey());
            Cells c = e.getValue();
            // Read the total first: a concurrent observation may then show in a bucket but never make a bucket
            // exceed _count by more than what arrived meanwhile, and +Inf is that same total.
            long total = c.count.sum();
            double sum = c.sum.sum();
            long cumulative = 0;
            String sep = labels.isEmpty() ? "" : labels + ",";
            for (int i = 0; i < bounds.length; i++) {
                cumulative += c.counts[i].sum();
                out.put(name + "_bucket{" + sep + "le=\"" + bound(bounds[i]) + "\"}", Math.min(cumulative, total));
            }
            out.put(name + "_bucket{" + sep + "le=\"+Inf\"}", total);
            out.put(name + "_sum" + (labels.isEmpty() ? "" : "{" + labels + "}"), sum);
            out.put(name + "_count" + (labels.isEmpty() ? "" : "{" + labels + "}"), total);
        }
    }

    private String labels(List<String> values) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            parts.add(labelNames.get(i) + "=\"" + values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\n", "\\n") + "\"");
        }
        return String.join(",", parts);
    }

    /** Bounds as Prometheus clients write them: "0.005", "1.0", "10.0". */
    static String bound(double b) {
        return Double.toString(b);
    }
}
