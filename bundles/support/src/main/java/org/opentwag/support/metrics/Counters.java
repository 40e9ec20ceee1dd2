package org.opentwag.support.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.opentwag.api.metrics.CounterStore;
import org.opentwag.api.metrics.MetricsSource;

/**
 * One bundle's counters by series name ({@code name{label="v"}}), for its {@link MetricsSource}. With a
 * {@link CounterStore} the adders are the store's, so the series continue across a {@code bundle:update} of the
 * counting bundle (and a re-activation of its component); without one they are this object's own and live as long as
 * it does. For series whose labels are only known when counting (a mode, a Result-Code), give the metric names: the
 * series of those already in the store are listed from the start.
 */
public final class Counters {

    private final CounterStore store;
    private final Map<String, LongAdder> series = new ConcurrentHashMap<>();

    /** Counters of their own. */
    public Counters() {
        this(null);
    }

    /**
     * Counters kept by {@code store} (null: of their own), listing at once the series of {@code metrics} the store
     * already has.
     */
    public Counters(CounterStore store, String... metrics) {
        this.store = store;
        if (store != null) {
            for (String metric : metrics) {
                series.putAll(store.series(metric));
            }
        }
    }

    /** True when the adders are a {@link CounterStore}'s (they outlive this bundle). */
    public boolean kept() {
        return store != null;
    }

    /** The adder of one series, created at zero on first use. */
    public LongAdder counter(String name) {
        LongAdder adder = series.get(name);
        return adder != null ? adder : series.computeIfAbsent(name, n -> store != null ? store.counter(n) : new LongAdder());
    }

    public void increment(String name) {
        counter(name).increment();
    }

    public void add(String name, long n) {
        counter(name).add(n);
    }

    /**
     * The series of {@code metric} by one or two labels whose values are few (a mode, a request type, a Result-Code):
     * each series' name is built once, then a count finds its adder by the values alone. A per-request counter that
     * concatenated its series name on every call cost a string and its hash each time.
     */
    public Family family(String metric, String... labels) {
        if (labels.length < 1 || labels.length > 2) {
            throw new IllegalArgumentException("a family has one or two labels, not " + labels.length);
        }
        return new Family(metric, labels);
    }

    /** See {@link #family}: series named {@code metric{label1="v1",label2="v2"}}, as {@link #counter} names them. */
    public final class Family {
        private final String metric;
        private final String[] labels;
        private final Map<String, Map<String, LongAdder>> adders = new ConcurrentHashMap<>();

        private Family(String metric, String[] labels) {
            this.metric = metric;
            this.labels = labels.clone();
        }

        /** The adder of the series with these label values (the second ignored for a one-label family). */
        public LongAdder counter(String value1, String value2) {
            value1 = String.valueOf(value1); // as the concatenation names a null value
            value2 = String.valueOf(value2);
            Map<String, LongAdder> byValue2 = adders.get(value1);
            if (byValue2 == null) {
                byValue2 = adders.computeIfAbsent(value1, v -> new ConcurrentHashMap<>());
            }
            String key = labels.length == 1 ? "" : value2;
            LongAdder adder = byValue2.get(key);
            if (adder == null) {
                String name = metric + "{" + labels[0] + "=\"" + value1 + "\""
                        + (labels.length == 1 ? "" : "," + labels[1] + "=\"" + value2 + "\"") + "}";
                adder = byValue2.computeIfAbsent(key, k -> Counters.this.counter(name));
            }
            return adder;
        }

        public void increment(String value1, String value2) {
            counter(value1, value2).increment();
        }

        public void add(String value1, String value2, long n) {
            counter(value1, value2).add(n);
        }

        /** {@link #add(String, String, long)} of a one-label family. */
        public void add(String value, long n) {
            counter(value, null).add(n);
        }
    }

    /** The value of one series; 0 when it was never counted (and no series is created for it). */
    public long get(String name) {
        LongAdder adder = series.get(name);
        return adder == null ? 0 : adder.sum();
    }

    /** Every series counted (or listed from the store) with its value, in name order. */
    public Map<String, Number> values() {
        Map<String, Number> v = new TreeMap<>();
        series.forEach((name, adder) -> v.put(name, adder.sum()));
        return v;
    }
}
