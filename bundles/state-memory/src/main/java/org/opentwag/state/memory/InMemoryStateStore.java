package org.opentwag.state.memory;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.opentwag.api.state.StateStore;

/**
 * The default {@link StateStore}: concurrent maps in this JVM, entries expiring after their TTL, each map bounded
 * so that a flood of half-open conversations cannot exhaust the heap (when a map is full, a new key is refused and
 * counted rather than evicting live state at random).
 */
public final class InMemoryStateStore implements StateStore {

    private record Entry(Serializable value, long expiresAtMillis) {
    }

    private final Map<String, ConcurrentHashMap<String, Entry>> maps = new ConcurrentHashMap<>();
    private final int maxEntriesPerMap;
    private final LongSupplier clock;
    private final AtomicLong refused = new AtomicLong();

    public InMemoryStateStore(int maxEntriesPerMap, LongSupplier clock) {
        this.maxEntriesPerMap = maxEntriesPerMap;
        this.clock = clock;
    }

    public InMemoryStateStore(int maxEntriesPerMap) {
        this(maxEntriesPerMap, System::currentTimeMillis);
    }

    private ConcurrentHashMap<String, Entry> map(String name) {
        return maps.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
    }

    @Override
    public void put(String mapName, String key, Serializable value, Duration ttl) {
        admit(mapName, key).put(key, new Entry(value, clock.getAsLong() + ttl.toMillis()));
    }

    @Override
    public <V extends Serializable> V swap(String mapName, String key, V value, Duration ttl, Class<V> type) {
        Entry old = admit(mapName, key).put(key, new Entry(value, clock.getAsLong() + ttl.toMillis()));
        return old == null || old.expiresAtMillis <= clock.getAsLong() ? null : type.cast(old.value);
    }

    /** The map, once it has room for {@code key}; throws {@link StateStoreFullException} when it has none. */
    private ConcurrentHashMap<String, Entry> admit(String mapName, String key) {
        ConcurrentHashMap<String, Entry> m = map(mapName);
        if (m.size() >= maxEntriesPerMap && !m.containsKey(key)) {
            sweep(m);
            if (m.size() >= maxEntriesPerMap) {
                refused.incrementAndGet();
                throw new StateStoreFullException("state map '" + mapName + "' is full (" + maxEntriesPerMap
                        + " entries)");
            }
        }
        return m;
    }

    @Override
    public <V extends Serializable> V get(String mapName, String key, Class<V> type) {
        ConcurrentHashMap<String, Entry> m = maps.get(mapName);
        if (m == null) {
            return null;
        }
        Entry e = m.get(key);
        if (e == null) {
            return null;
        }
        if (e.expiresAtMillis <= clock.getAsLong()) {
            m.remove(key, e);
            return null;
        }
        return type.cast(e.value);
    }

    @Override
    public <V extends Serializable> V remove(String mapName, String key, Class<V> type) {
        ConcurrentHashMap<String, Entry> m = maps.get(mapName);
        if (m == null) {
            return null;
        }
        Entry e = m.remove(key);
        if (e == null || e.expiresAtMillis <= clock.getAsLong()) {
            return null;
        }
        return type.cast(e.value);
    }

    @Override
    public int size(String mapName) {
        ConcurrentHashMap<String, Entry> m = maps.get(mapName);
        if (m == null) {
            return 0;
        }
        sweep(m);
        return m.size();
    }

    @Override
    public <V extends Serializable> Map<String, V> snapshot(String mapName, Class<V> type) {
        Map<String, V> copy = new HashMap<>();
        ConcurrentHashMap<String, Entry> m = maps.get(mapName);
        if (m != null) {
            long now = clock.getAsLong();
            m.forEach((k, e) -> {
                if (e.expiresAtMillis > now && type.isInstance(e.value)) {
                    copy.put(k, type.cast(e.value));
                }
            });
        }
        return copy;
    }

    /** Drops expired entries of every map; called periodically. */
    public void sweepAll() {
        maps.values().forEach(this::sweep);
    }

    private void sweep(ConcurrentHashMap<String, Entry> m) {
        long now = clock.getAsLong();
        for (Iterator<Entry> it = m.values().iterator(); it.hasNext(); ) {
            if (it.next().expiresAtMillis <= now) {
                it.remove();
            }
        }
    }

    /** How many puts were refused because a map was full. */
    public long refusedCount() {
        return refused.get();
    }

    /** Thrown when a map reached its bound. */
    public static final class StateStoreFullException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public StateStoreFullException(String message) {
            super(message);
        }
    }
}
