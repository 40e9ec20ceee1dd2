package org.opentwag.api.metrics;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters kept outside the bundle that counts, so that a {@code bundle:update} of that bundle does not restart its
 * series on /metrics at zero. Published by the state store bundle ({@code state-memory}, node-local); a counting
 * bundle takes its {@link LongAdder}s from here when the service is present and keeps its own otherwise
 * (twag-support's {@code Counters} does both).
 * Names are the series names ({@code name{label="v"}}), unique across bundles.
 */
public interface CounterStore {

    /** The counter of this name, created at zero on first use; the same instance for the life of this service. */
    LongAdder counter(String name);

    /**
     * The counters of one metric created so far: the series named {@code metric} and every {@code metric{...}}. A
     * bundle back from its update lists again the labelled series it counted before (a Diameter Result-Code seen
     * once an hour ago), not only those it has counted since. A store that cannot list answers none.
     */
    default Map<String, LongAdder> series(String metric) {
        return Map.of();
    }
}
