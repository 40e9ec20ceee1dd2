package org.opentwag.state.hazelcast;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import org.opentwag.api.state.StateStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateStore} whose maps are Hazelcast IMaps shared by every node of the cluster: a conversation begun on
 * one node continues on another, and entries live on in their backups when the node that owns them dies.
 *
 * <p>Values are stored as opaque JDK-serialised bytes (see {@link ValueCodec}), sealed under the cluster key (see
 * {@link SealedValueCipher}) before they leave this member; each entry carries its own TTL
 * (IMap.put with ttl), so expiry is Hazelcast's and holds cluster-wide. A failure of the cluster (no quorum of
 * partitions reachable, an operation timing out) surfaces as an {@link IllegalStateException}, which callers already
 * treat as "state unavailable": the request is refused, never answered with half a state.
 */
public final class HazelcastStateStore implements StateStore {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastStateStore.class);

    /** How stale the cluster-wide size behind the per-map bound may be: size() is a cluster-wide call. */
    private static final long SIZE_CACHE_MILLIS = 1_000;

    private record CachedSize(int size, long atMillis) {
    }

    private final HazelcastInstance hazelcast;
    private final int maxEntriesPerMap;
    private final int maxSnapshotEntries;
    private final LongSupplier clock;
    private final Map<String, CachedSize> sizes = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong undecryptable = new AtomicLong();
    private final AtomicLong lastDecryptWarning = new AtomicLong(Long.MIN_VALUE);
    private final ValueProtection protection;

    /** How often at most a failed decryption is logged: a member with another key may write thousands a second. */
    private static final long DECRYPT_WARNING_INTERVAL_MILLIS = 10_000;

    public HazelcastStateStore(HazelcastInstance hazelcast, ValueProtection protection, int maxEntriesPerMap,
                               int maxSnapshotEntries, LongSupplier clock) {
        this.hazelcast = hazelcast;
        this.protection = protection;
        this.maxEntriesPerMap = maxEntriesPerMap;
        this.maxSnapshotEntries = maxSnapshotEntries;
        this.clock = clock;
    }

    private IMap<String, byte[]> map(String name) {
        return hazelcast.getMap(name);
    }

    @Override
    public void put(String mapName, String key, Serializable value, Duration ttl) {
        write("put", mapName, key, value, ttl, false);
    }

    /**
     * One IMap.put with the entry's TTL: the partition owner replaces the value and hands back the one it replaced
     * in a single operation, so two nodes swapping the same key concurrently each get a distinct previous value
     * (none is lost, as with a get then a put). Hazelcast returns only live entries (expired ones are absent).
     */
    @Override
    public <V extends Serializable> V swap(String mapName, String key, V value, Duration ttl, Class<V> type) {
        return decode(mapName, key, write("swap", mapName, key, value, ttl, true), type);
    }

    /** Stores the value; returns the replaced bytes when {@code previous} (IMap.put), else null (IMap.set, cheaper). */
    private byte[] write(String operation, String mapName, String key, Serializable value, Duration ttl,
                         boolean previous) {
        byte[] bytes = protection.seal(mapName, key, ValueCodec.write(value));
        long ttlMillis = Math.max(1, ttl.toMillis()); // 0 would mean "the map's default", i.e. forever
        try {
            IMap<String, byte[]> m = map(mapName);
            if (cachedSize(mapName, m) >= maxEntriesPerMap && !m.containsKey(key)) {
                refused.incrementAndGet();
                throw new StateStoreFullException("state map '" + mapName + "' is full (" + maxEntriesPerMap
                        + " entries in the cluster)");
            }
            if (previous) {
                return m.put(key, bytes, ttlMillis, TimeUnit.MILLISECONDS);
            }
            m.set(key, bytes, ttlMillis, TimeUnit.MILLISECONDS);
            return null;
        } catch (StateStoreFullException full) {
            throw full;
        } catch (RuntimeException e) {
            throw unavailable(operation, mapName, e);
        }
    }

    /** IMap.setTtl: the partition owner changes the expiry; the value does not cross the network. */
    @Override
    public boolean expireAfter(String mapName, String key, Duration ttl) {
        long ttlMillis = Math.max(1, ttl.toMillis()); // 0 would mean "the map's default", i.e. forever
        try {
            return map(mapName).setTtl(key, ttlMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            throw unavailable("expireAfter", mapName, e);
        }
    }

    @Override
    public <V extends Serializable> V get(String mapName, String key, Class<V> type) {
        byte[] bytes;
        try {
            bytes = map(mapName).get(key);
        } catch (RuntimeException e) {
            throw unavailable("get", mapName, e);
        }
        return decode(mapName, key, bytes, type);
    }

    @Override
    public <V extends Serializable> V remove(String mapName, String key, Class<V> type) {
        byte[] bytes;
        try {
            bytes = map(mapName).remove(key);
        } catch (RuntimeException e) {
            throw unavailable("remove", mapName, e);
        }
        return decode(mapName, key, bytes, type);
    }

    @Override
    public int size(String mapName) {
        try {
            int size = map(mapName).size();
            sizes.put(mapName, new CachedSize(size, clock.getAsLong()));
            return size;
        } catch (RuntimeException e) {
            throw unavailable("size", mapName, e);
        }
    }

    /**
     * At most maxSnapshotEntries entries: the keys are fetched from the cluster, the values of a bounded subset in
     * one getAll (one call per member, not per key).
     */
    @Override
    public <V extends Serializable> Map<String, V> snapshot(String mapName, Class<V> type) {
        Map<String, byte[]> raw;
        try {
            IMap<String, byte[]> m = map(mapName);
            Set<String> keys = new HashSet<>();
            for (String k : m.keySet()) {
                if (keys.size() >= maxSnapshotEntries) {
                    break;
                }
                keys.add(k);
            }
            raw = keys.isEmpty() ? Map.of() : m.getAll(keys);
        } catch (RuntimeException e) {
            throw unavailable("snapshot", mapName, e);
        }
        Map<String, V> copy = new HashMap<>();
        raw.forEach((k, bytes) -> {
            V v = decode(mapName, k, bytes, type);
            if (v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }

    private int cachedSize(String mapName, IMap<String, byte[]> m) {
        long now = clock.getAsLong();
        CachedSize c = sizes.get(mapName);
        if (c == null || now - c.atMillis() > SIZE_CACHE_MILLIS) {
            c = new CachedSize(m.size(), now);
            sizes.put(mapName, c);
        }
        return c.size();
    }

    private <V extends Serializable> V decode(String mapName, String key, byte[] bytes, Class<V> type) {
        if (bytes == null) {
            return null;
        }
        byte[] plain;
        try {
            plain = protection.open(mapName, key, bytes);
        } catch (ValueProtection.UnreadableValueException e) {
            long n = undecryptable.incrementAndGet();
            long now = clock.getAsLong();
            long last = lastDecryptWarning.get();
            if ((last == Long.MIN_VALUE || now - last >= DECRYPT_WARNING_INTERVAL_MILLIS)
                    && lastDecryptWarning.compareAndSet(last, now)) {
                // map name and reason only: the key may be an identity, the bytes are key material
                LOG.warn("State map '{}': an entry could not be decrypted: {}; treated as absent ({} so far; is "
                        + "clusterKey the same on every member?)", mapName, e.getMessage(), n);
            }
            return null;
        }
        try {
            V v = ValueCodec.read(plain, type);
            if (v == null) {
                unreadable.incrementAndGet();
                LOG.warn("State map '{}': entry is not a {} (written by another version?); treated as absent",
                        mapName, type.getSimpleName());
            }
            return v;
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            // The key may be an identity: log the map and the cause, never the value's bytes.
            unreadable.incrementAndGet();
            LOG.warn("State map '{}': an entry could not be read as {} ({}); treated as absent", mapName,
                    type.getSimpleName(), e.toString());
            return null;
        }
    }

    private IllegalStateException unavailable(String operation, String mapName, RuntimeException cause) {
        failures.incrementAndGet();
        LOG.warn("Clustered state store: {} on map '{}' failed: {}", operation, mapName, cause.toString());
        return new StateStoreUnavailableException("clustered state store unavailable (" + operation + " on '"
                + mapName + "'): " + cause.getMessage(), cause);
    }

    /** Puts refused because a map reached its bound. */
    public long refusedCount() {
        return refused.get();
    }

    /** Operations that failed because the cluster did not answer. */
    public long failureCount() {
        return failures.get();
    }

    /** Entries that could not be deserialised (another version's class, a value outside the SPI). */
    public long unreadableCount() {
        return unreadable.get();
    }

    /** Entries that could not be decrypted or authenticated (another key, no key, tampered, moved). */
    public long undecryptableCount() {
        return undecryptable.get();
    }

    /** Names of the maps this member knows, for operators. */
    public List<String> mapNames() {
        List<String> names = new ArrayList<>();
        hazelcast.getDistributedObjects().forEach(o -> {
            if (o instanceof IMap<?, ?>) {
                names.add(o.getName());
            }
        });
        return names;
    }

    /** Thrown when a map reached its bound. */
    public static final class StateStoreFullException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public StateStoreFullException(String message) {
            super(message);
        }
    }

    /** Thrown when the cluster could not complete an operation. */
    public static final class StateStoreUnavailableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public StateStoreUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
