package org.opentwag.dashboard.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.opentwag.support.metrics.Histogram;

/**
 * The overview's history, kept in the server: sampled once a second from the metrics the bundles already publish,
 * turned into rates (per second), latency percentiles and gauges, in two bounded rings: the last 15 minutes at one
 * point per second and the last 24 hours at one point per minute. No external system; about 2 400 points of a few
 * dozen numbers each.
 *
 * <p>Series names: {@code accepts}, {@code rejects:<reason label>}, {@code accounting}, {@code active},
 * {@code latency_p50_ms}, {@code latency_p99_ms}, {@code diameter:<peer>}, {@code diameter_errors:<peer>}; rates are
 * per second (a minute point holds the minute's average rate).
 */
public final class MetricHistory {

    /** The metrics read; a source publishing none of them is not asked for its values. */
    public static final Set<String> METRICS = Set.of("radius_access_accept_count", "radius_access_reject_reason_count",
            "radius_accounting_request_count", "radius_active_clients_count", "eap_auth_duration_seconds",
            "diameter_peer_request_count", "diameter_peer_error_count");

    static final int SECOND_POINTS = 15 * 60;
    static final int MINUTE_POINTS = 24 * 60;

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final String BUCKET = "eap_auth_duration_seconds_bucket";

    /** One point: when (epoch ms, the end of its interval), the interval it covers (s) and its values by series. */
    public record Point(long atMillis, double seconds, Map<String, Double> values) {
    }

    /**
     * A range as served: times (epoch seconds), the seconds each point covers (a rate times its interval is the count
     * in it: samples are about, not exactly, a second apart), and one column per series, null where a point has no
     * value.
     */
    public record Range(String range, int stepSeconds, List<Long> times, List<Double> intervals,
                        Map<String, List<Double>> series, List<String> rejectReasons, List<String> peers) {
    }

    private final Supplier<Map<String, Number>> metrics;
    private final Deque<Point> seconds = new ArrayDeque<>(SECOND_POINTS);
    private final Deque<Point> minutes = new ArrayDeque<>(MINUTE_POINTS);

    private Map<String, Double> lastCounters;
    private TreeMap<Double, Double> lastBuckets;
    private long lastAtMillis;
    /** The minute being summed: counts (not rates), latency bucket counts, and its start. */
    private final Map<String, Double> minuteCounts = new HashMap<>();
    private final TreeMap<Double, Double> minuteBuckets = new TreeMap<>();
    private long minute = -1;
    private double minuteSeconds;
    private Double lastActive;

    /** @param metrics every published series' current value (text-form keys, as on /metrics) */
    public MetricHistory(Supplier<Map<String, Number>> metrics) {
        this.metrics = metrics;
    }

    /** Takes one sample; called once a second. Never throws for a bad series (it is skipped). */
    public synchronized void sample(long nowMillis) {
        Map<String, Double> counters = new HashMap<>();
        TreeMap<Double, Double> buckets = new TreeMap<>(); // le -> cumulative count, summed over method/result
        Double active = null;
        for (Map.Entry<String, Number> e : metrics.get().entrySet()) {
            String key = e.getKey();
            if (e.getValue() == null) {
                continue;
            }
            double v = e.getValue().doubleValue();
            int brace = key.indexOf('{');
            String name = brace < 0 ? key : key.substring(0, brace);
            Map<String, String> labels = brace < 0 ? Map.of() : labels(key.substring(brace));
            switch (name) {
                case "radius_access_accept_count" -> counters.merge("accepts", v, Double::sum);
                case "radius_access_reject_reason_count" -> counters.merge("rejects:"
                        + labels.getOrDefault("reason", "unknown"), v, Double::sum);
                case "radius_accounting_request_count" -> counters.merge("accounting", v, Double::sum);
                case "diameter_peer_request_count" -> counters.merge("diameter:" + labels.getOrDefault("peer", "?"),
                        v, Double::sum);
                case "diameter_peer_error_count" -> counters.merge("diameter_errors:"
                        + labels.getOrDefault("peer", "?"), v, Double::sum);
                case "radius_active_clients_count" -> active = v;
                case BUCKET -> {
                    String le = labels.get("le");
                    if (le != null) {
                        double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                        buckets.merge(bound, v, Double::sum);
                    }
                }
                default -> {
                }
            }
        }
        if (lastCounters == null) {
            lastCounters = counters;
            lastBuckets = buckets;
            lastAtMillis = nowMillis;
            lastActive = active;
            return;
        }
        double dt = Math.max(0.001, (nowMillis - lastAtMillis) / 1000.0);
        Map<String, Double> deltas = new HashMap<>();
        counters.forEach((k, v) -> {
            double before = lastCounters.getOrDefault(k, 0.0);
            // A series that went down was restarted (its bundle updated without a counter store): count it anew.
            deltas.put(k, v >= before ? v - before : v);
        });
        TreeMap<Double, Double> bucketDeltas = new TreeMap<>();
        buckets.forEach((b, v) -> {
            double before = lastBuckets.getOrDefault(b, 0.0);
            bucketDeltas.put(b, v >= before ? v - before : v);
        });

        Map<String, Double> point = new LinkedHashMap<>();
        deltas.forEach((k, d) -> point.put(k, d / dt));
        putLatency(point, bucketDeltas);
        if (active != null) {
            point.put("active", active);
        }
        add(seconds, new Point(nowMillis, dt, point), SECOND_POINTS);

        long thisMinute = nowMillis / 60_000;
        if (minute >= 0 && thisMinute != minute && minuteSeconds > 0) {
            Map<String, Double> m = new LinkedHashMap<>();
            double span = minuteSeconds;
            minuteCounts.forEach((k, c) -> m.put(k, c / span));
            putLatency(m, minuteBuckets);
            if (lastActive != null) {
                m.put("active", lastActive);
            }
            add(minutes, new Point(minute * 60_000 + 60_000, span, m), MINUTE_POINTS);
            minuteCounts.clear();
            minuteBuckets.clear();
            minuteSeconds = 0;
        }
        minute = thisMinute;
        minuteSeconds += dt;
        deltas.forEach((k, d) -> minuteCounts.merge(k, d, Double::sum));
        bucketDeltas.forEach((b, d) -> minuteBuckets.merge(b, d, Double::sum));

        lastCounters = counters;
        lastBuckets = buckets;
        lastAtMillis = nowMillis;
        lastActive = active;
    }

    /** p50 and p99 in milliseconds from cumulative-per-bound deltas; nothing when no authentication finished. */
    private static void putLatency(Map<String, Double> point, TreeMap<Double, Double> cumulative) {
        List<Double> finite = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        double before = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            long n = Math.round(Math.max(0, e.getValue() - before));
            before = Math.max(before, e.getValue());
            if (e.getKey() != Double.POSITIVE_INFINITY) {
                finite.add(e.getKey());
            }
            counts.add(n);
        }
        if (finite.isEmpty()) {
            return;
        }
        double[] bounds = finite.stream().mapToDouble(Double::doubleValue).toArray();
        long[] c = counts.stream().mapToLong(Long::longValue).toArray();
        double p50 = Histogram.quantile(bounds, c, 0.5);
        if (!Double.isNaN(p50)) {
            point.put("latency_p50_ms", p50 * 1000);
            point.put("latency_p99_ms", Histogram.quantile(bounds, c, 0.99) * 1000);
        }
    }

    private static void add(Deque<Point> ring, Point p, int max) {
        ring.addLast(p);
        while (ring.size() > max) {
            ring.removeFirst();
        }
    }

    static Map<String, String> labels(String braces) {
        Map<String, String> out = new HashMap<>();
        Matcher m = LABEL.matcher(braces);
        while (m.find()) {
            out.put(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return out;
    }

    /** The names of the ranges served. */
    public static final List<String> RANGES = List.of("15m", "1h", "24h");

    /** {@code 15m} (per-second points), {@code 1h} or {@code 24h} (per-minute points). */
    public synchronized Range range(String range) {
        List<Point> points;
        int step;
        switch (range) {
            case "1h" -> {
                points = last(minutes, 60);
                step = 60;
            }
            case "24h" -> {
                points = last(minutes, MINUTE_POINTS);
                step = 60;
            }
            default -> {
                range = "15m";
                points = last(seconds, SECOND_POINTS);
                step = 1;
            }
        }
        Set<String> names = new TreeSet<>();
        points.forEach(p -> names.addAll(p.values().keySet()));
        List<Long> times = new ArrayList<>(points.size());
        List<Double> intervals = new ArrayList<>(points.size());
        Map<String, List<Double>> series = new LinkedHashMap<>();
        names.forEach(n -> series.put(n, new ArrayList<>(points.size())));
        for (Point p : points) {
            times.add(p.atMillis() / 1000);
            intervals.add(Math.round(p.seconds() * 1000) / 1000.0);
            for (String n : names) {
                Double v = p.values().get(n);
                series.get(n).add(v == null || v.isNaN() || v.isInfinite() ? null : v);
            }
        }
        List<String> reasons = names.stream().filter(n -> n.startsWith("rejects:")).map(n -> n.substring(8)).toList();
        List<String> peers = names.stream().filter(n -> n.startsWith("diameter:")).map(n -> n.substring(9)).toList();
        return new Range(range, step, times, intervals, series, reasons, peers);
    }

    private static List<Point> last(Deque<Point> ring, int n) {
        List<Point> all = new ArrayList<>(ring);
        return all.subList(Math.max(0, all.size() - n), all.size());
    }
}
