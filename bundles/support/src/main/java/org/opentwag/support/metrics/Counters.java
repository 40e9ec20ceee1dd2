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
