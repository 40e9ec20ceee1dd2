package org.opentwag.support.radius;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.opentwag.api.radius.RadiusServerState;
import org.opentwag.api.radius.ResponseCache;

/**
 * The plain in-memory {@link RadiusServerState}: what the state store bundle publishes, and what the RADIUS server
 * falls back to (then living only as long as its own bundle) when no such service is registered.
 */
public final class LocalRadiusServerState implements RadiusServerState {

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private StripedResponseCache cache;

    @Override
    public synchronized ResponseCache responseCache(Duration window, int maxEntries) {
        if (cache == null || !cache.window().equals(window) || cache.maxEntries() != maxEntries) {
            cache = new StripedResponseCache(window, maxEntries);
        }
        return cache;
    }

    @Override
    public LongAdder counter(String name) {
        return counters.computeIfAbsent(name, n -> new LongAdder());
    }

    @Override
    public Map<String, LongAdder> series(String metric) {
        Map<String, LongAdder> found = new HashMap<>();
        counters.forEach((name, adder) -> {
            if (name.equals(metric) || name.startsWith(metric + "{")) {
                found.put(name, adder);
            }
        });
        return found;
    }

    /** Adds this state's counts to {@code target}'s and zeroes them here (a fallback handing over to the service). */
    public void moveCountersTo(RadiusServerState target) {
        counters.forEach((name, adder) -> {
            long value = adder.sumThenReset();
            if (value != 0) {
                target.counter(name).add(value);
            }
        });
    }
}
