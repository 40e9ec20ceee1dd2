package org.opentwag.swx;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;

/**
 * The extra vectors of a batched MAA, per (IMSI, scheme, network name), each usable until its TTL ends. Bounded:
 * the least recently used key goes first. A vector is handed out once. Off by default because a cached vector's SQN
 * goes stale when the UE authenticates through another AAA meanwhile (the UE then answers with a resync).
 */
final class VectorCache {

    record Key(String imsi, AuthScheme scheme, String networkName) {
    }

    private record Entry(AuthVector vector, Instant expires) {
    }

    private final Duration ttl;
    private final int maxKeys;
    private final Clock clock;
    private final LinkedHashMap<Key, Deque<Entry>> entries;

    VectorCache(Duration ttl, int maxKeys, Clock clock) {
        this.ttl = ttl;
        this.maxKeys = maxKeys;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Deque<Entry>> eldest) {
                return size() > VectorCache.this.maxKeys;
            }
        };
    }

    synchronized void put(Key key, List<AuthVector> vectors) {
        if (vectors.isEmpty()) {
            return;
        }
        Instant expires = clock.instant().plus(ttl);
        Deque<Entry> queue = entries.computeIfAbsent(key, k -> new ArrayDeque<>());
        for (AuthVector v : vectors) {
            queue.addLast(new Entry(v, expires));
        }
    }

    /** The oldest unexpired vector for the key, removed from the cache. */
    synchronized Optional<AuthVector> take(Key key) {
        Deque<Entry> queue = entries.get(key);
        if (queue == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Entry e;
        while ((e = queue.pollFirst()) != null) {
            if (e.expires().isAfter(now)) {
                break;
            }
        }
        if (queue.isEmpty()) {
            entries.remove(key);
        }
        return Optional.ofNullable(e).map(Entry::vector);
    }

    /** Forgets every vector of the subscriber (after a resync or an RTR). */
    synchronized int drop(String imsi) {
        int[] dropped = {0};
        entries.entrySet().removeIf(en -> {
            if (en.getKey().imsi().equals(imsi)) {
                dropped[0] += en.getValue().size();
                return true;
            }
            return false;
        });
        return dropped[0];
    }

    synchronized int size() {
        return entries.values().stream().mapToInt(Deque::size).sum();
    }

    synchronized void clear() {
        entries.clear();
    }
}
