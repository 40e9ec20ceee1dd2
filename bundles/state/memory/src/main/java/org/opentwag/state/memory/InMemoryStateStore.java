package org.opentwag.state.memory;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

import org.opentwag.api.state.StateStore;
import org.opentwag.support.state.PackedRecords.ValueReader;

/**
 * The default {@link StateStore}: maps in this JVM, entries expiring after their TTL, each map bounded so that a
 * flood of half-open conversations cannot exhaust the heap (when a map is full, a new key is refused and counted
 * rather than evicting live state at random).
 *
 * <p>Each map has two parts. Entries meant to live at least {@code packedMinTtl} (sessions, client states,
 * pseudonyms, re-authentication contexts, charging sessions) are kept as bytes in a {@link PackedMap} when
 * {@link PackedValues} can encode them (through the API's state codecs), because as objects they were what made the
 * young collections long. Short-lived entries (EAP conversations in flight) and values of any other shape stay
 * objects in a {@code ConcurrentHashMap}. A packed value is read back as a new, equal object each time, the same
 * contract a clustered store has.
 */
public final class InMemoryStateStore implements StateStore {

    private record Entry(Serializable value, long expiresAtMillis) {
    }

    /** One named map: its short-lived objects and its packed long-lived entries. */
    private static final class NamedMap {
        final ConcurrentHashMap<String, Entry> objects = new ConcurrentHashMap<>();
        final PackedMap packed = new PackedMap();

        int size() {
            return objects.size() + packed.size();
        }
    }

    private final Map<String, NamedMap> maps = new ConcurrentHashMap<>();
    private final int maxEntriesPerMap;
    private final LongSupplier clock;
    private final long packedMinTtlMillis;
    private final PackedValues values = new PackedValues();
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param packedMinTtl entries with at least this TTL are packed when their value allows it; null packs none
     */
    public InMemoryStateStore(int maxEntriesPerMap, LongSupplier clock, Duration packedMinTtl) {
        this.maxEntriesPerMap = maxEntriesPerMap;
        this.clock = clock;
        this.packedMinTtlMillis = packedMinTtl == null ? Long.MAX_VALUE : packedMinTtl.toMillis();
    }

    public InMemoryStateStore(int maxEntriesPerMap, LongSupplier clock) {
        this(maxEntriesPerMap, clock, Duration.ofSeconds(10));
    }

    public InMemoryStateStore(int maxEntriesPerMap) {
        this(maxEntriesPerMap, System::currentTimeMillis);
    }

    private NamedMap map(String name) {
        return maps.computeIfAbsent(name, n -> new NamedMap());
    }

    @Override
    public void put(String mapName, String key, Serializable value, Duration ttl) {
        store(admit(mapName, key), key, value, ttl, false);
    }

    @Override
    public <V extends Serializable> V swap(String mapName, String key, V value, Duration ttl, Class<V> type) {
        Object old = store(admit(mapName, key), key, value, ttl, true);
        return old == null ? null : type.cast(old);
    }

    /** Stores in the part the value belongs to, removes the key from the other; returns the live value replaced. */
    private Object store(NamedMap m, String key, Serializable value, Duration ttl, boolean previous) {
        long now = clock.getAsLong();
        long expires = now + ttl.toMillis();
        PackedValues.Encoding packed = ttl.toMillis() >= packedMinTtlMillis ? values.encoding(value) : null;
        Object replaced;
        if (packed != null) {
            Entry old = m.objects.isEmpty() ? null : m.objects.remove(key);
            Object oldPacked = m.packed.put(key, packed.length(), packed, expires, now,
                    previous ? values.reader : null);
            replaced = oldPacked != null ? oldPacked : live(old, now);
        } else {
            Entry old = m.objects.put(key, new Entry(value, expires));
            Object oldPacked = m.packed.size() == 0 ? null
                    : m.packed.remove(key, now, previous ? values.reader : null);
            replaced = old != null ? live(old, now) : oldPacked;
        }
        return previous ? replaced : null;
    }

    private static Object live(Entry e, long now) {
        return e == null || e.expiresAtMillis <= now ? null : e.value;
    }

    /** The map, once it has room for {@code key}; throws {@link StateStoreFullException} when it has none. */
    private NamedMap admit(String mapName, String key) {
        NamedMap m = map(mapName);
        if (m.size() >= maxEntriesPerMap && !contains(m, key)) {
            sweep(m);
            if (m.size() >= maxEntriesPerMap) {
                refused.incrementAndGet();
                throw new StateStoreFullException("state map '" + mapName + "' is full (" + maxEntriesPerMap
                        + " entries)");
            }
        }
        return m;
    }

    private boolean contains(NamedMap m, String key) {
        return m.objects.containsKey(key) || m.packed.containsLive(key, clock.getAsLong());
    }

    /** In place: a packed entry's bytes are neither read nor written, and it stays packed whatever the new TTL. */
    @Override
    public boolean expireAfter(String mapName, String key, Duration ttl) {
        NamedMap m = maps.get(mapName);
        if (m == null) {
            return false;
        }
        long now = clock.getAsLong();
        long expires = now + ttl.toMillis();
        if (!m.objects.isEmpty()) {
            Entry e = m.objects.computeIfPresent(key,
                    (k, old) -> old.expiresAtMillis > now ? new Entry(old.value, expires) : null);
            if (e != null) {
                return true;
            }
        }
        return m.packed.size() != 0 && m.packed.expireAt(key, now, expires);
    }

    @Override
    public <V extends Serializable> V get(String mapName, String key, Class<V> type) {
        NamedMap m = maps.get(mapName);
        if (m == null) {
            return null;
        }
        long now = clock.getAsLong();
        Entry e = m.objects.get(key);
        if (e != null) {
            if (e.expiresAtMillis <= now) {
                m.objects.remove(key, e);
                return null;
            }
            return type.cast(e.value);
        }
        Object packed = m.packed.size() == 0 ? null : m.packed.get(key, now, values.reader);
        return packed == null ? null : type.cast(packed);
    }

    @Override
    public <V extends Serializable> V remove(String mapName, String key, Class<V> type) {
        NamedMap m = maps.get(mapName);
        if (m == null) {
            return null;
        }
        long now = clock.getAsLong();
        Entry e = m.objects.remove(key);
        // A key is in one part only (a put removes it from the other), so the packed value is read only when no
        // object was there.
        Object packed = m.packed.size() == 0 ? null : m.packed.remove(key, now, e == null ? values.reader : null);
        Object v = e != null ? live(e, now) : packed;
        return v == null ? null : type.cast(v);
    }

    /** Like {@link #remove}, without decoding a packed value. */
    @Override
    public boolean delete(String mapName, String key) {
        NamedMap m = maps.get(mapName);
        if (m == null) {
            return false;
        }
        long now = clock.getAsLong();
        Entry e = m.objects.remove(key);
        boolean packedLive = m.packed.size() != 0 && m.packed.remove(key, now, e == null ? LIVE : null) != null;
        return e != null ? live(e, now) != null : packedLive;
    }

    /** What a packed value is read as when only its being there counts. */
    private static final ValueReader<Boolean> LIVE = (arena, offset, length) -> Boolean.TRUE;

    @Override
    public int size(String mapName) {
        NamedMap m = maps.get(mapName);
        if (m == null) {
            return 0;
        }
        sweep(m);
        return m.size();
    }

    @Override
    public <V extends Serializable> Map<String, V> snapshot(String mapName, Class<V> type) {
        Map<String, V> copy = new HashMap<>();
        forEach(mapName, type, copy::put);
        return copy;
    }

    @Override
    public <V extends Serializable> void forEach(String mapName, Class<V> type, BiConsumer<String, ? super V> action) {
        NamedMap m = maps.get(mapName);
        if (m == null) {
            return;
        }
        long now = clock.getAsLong();
        m.objects.forEach((k, e) -> {
            if (e.expiresAtMillis > now && type.isInstance(e.value)) {
                action.accept(k, type.cast(e.value));
            }
        });
        m.packed.forEachLive(now, values.reader, (k, v) -> {
            if (type.isInstance(v)) {
                action.accept(k, type.cast(v));
            }
        });
    }

    /** Drops expired entries of every map; called periodically. */
    public void sweepAll() {
        maps.values().forEach(this::sweep);
    }

    private void sweep(NamedMap m) {
        long now = clock.getAsLong();
        for (Iterator<Entry> it = m.objects.values().iterator(); it.hasNext(); ) {
            if (it.next().expiresAtMillis <= now) {
                it.remove();
            }
        }
        m.packed.sweep(now);
    }

    /** How many puts were refused because a map was full. */
    public long refusedCount() {
        return refused.get();
    }

    /** Entries of a map kept packed (for tests). */
    int packedSize(String mapName) {
        NamedMap m = maps.get(mapName);
        return m == null ? 0 : m.packed.size();
    }

    /** Thrown when a map reached its bound. */
    public static final class StateStoreFullException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public StateStoreFullException(String message) {
            super(message);
        }
    }
}
