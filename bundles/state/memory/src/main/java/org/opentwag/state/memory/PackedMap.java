package org.opentwag.state.memory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import org.opentwag.support.state.PackedRecords;
import org.opentwag.support.state.PackedRecords.ValueReader;
import org.opentwag.support.state.PackedRecords.ValueWriter;

/**
 * A map from string keys to byte-array values with expiry times, held as {@link PackedRecords} (bytes in a few large
 * arrays) instead of as objects: the long-lived part of the {@link InMemoryStateStore}.
 *
 * <p>Why: with a dozen long-lived entries per login kept as map nodes, keys and value objects, every young
 * collection copied what the last seconds of logins left and scanned the old maps their puts had written to; at
 * 2,000 logins/s that was 60-110 ms every two seconds. Striped by key hash, each stripe behind its own lock; a record's
 * time is its expiry.
 */
final class PackedMap {

    /**
     * Many small stripes rather than a few large ones: less contention, and an arena stays below half a G1 region
     * (512 KiB with the default 1 GiB heap) up to ~100,000 entries per map, so it is an ordinary object rather than
     * a humongous one rounded up to whole regions.
     */
    private static final int STRIPES = 256;

    private final PackedRecords[] stripes = new PackedRecords[STRIPES];
    /**
     * Per thread: a key's UTF-8 bytes, so a get or put makes no array for its key. Per thread rather than per stripe:
     * the scratch of one of 256 stripes was a cache miss of its own on most calls (a tenth of the state store's CPU in
     * the charged-login profile); a thread's own one stays in its cache.
     */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[128]);
    private final AtomicInteger size = new AtomicInteger();

    PackedMap() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new PackedRecords(512);
        }
    }

    /** A copy of a value's bytes. */
    private static final ValueReader<byte[]> COPY = (a, from, length) -> Arrays.copyOfRange(a, from, from + length);

    /** The value stored under the key, or null when absent or expired at {@code now} (an expired one is dropped). */
    byte[] get(String key, long now) {
        return read(key, now, false, COPY);
    }

    /** What {@code reader} makes of the value under the key where it lies, or null when absent or expired. */
    <T> T get(String key, long now, ValueReader<T> reader) {
        return read(key, now, false, reader);
    }

    /** Whether a live value is stored under the key (nothing is read or copied). */
    boolean containsLive(String key, long now) {
        return read(key, now, false, (a, from, length) -> Boolean.TRUE) != null;
    }

    /**
     * Stores the value under the key until {@code expiresAt}; returns the live value it replaced when
     * {@code previous} is asked for, else null.
     */
    byte[] put(String key, byte[] value, long expiresAt, long now, boolean previous) {
        byte[] k = utf8(key);
        int h = PackedRecords.hash(key.hashCode());
        PackedRecords s = stripe(h);
        synchronized (s) {
            int old = s.put(k, h, value, expiresAt);
            return replaced(s, old, now, previous ? COPY : null);
        }
    }

    /**
     * Stores a value of {@code length} bytes that {@code writer} writes straight into the stripe's arena; returns
     * what {@code previous} (when not null) makes of the live value it replaced, else null.
     */
    <T> T put(String key, int length, ValueWriter writer, long expiresAt, long now, ValueReader<T> previous) {
        int h = PackedRecords.hash(key.hashCode());
        int i = h >>> 24;
        PackedRecords s = stripes[i];
        byte[] scratch = SCRATCH.get();
        byte[] k = keyBytes(key, scratch);
        int kl = k == scratch ? key.length() : k.length;
        synchronized (s) {
            int old = s.put(k, kl, h, length, writer, expiresAt);
            return replaced(s, old, now, previous);
        }
    }

    private <T> T replaced(PackedRecords s, int old, long now, ValueReader<T> previous) {
        if (old < 0) {
            size.incrementAndGet();
            return null;
        }
        // The replaced record's bytes stay readable until the next change to this stripe, which the lock holds off.
        return previous != null && s.time(old) > now ? s.value(old, previous) : null;
    }

    /**
     * Moves the expiry of the entry live at {@code now} to {@code expiresAt}, its bytes untouched; returns whether
     * there was one (an expired one is dropped).
     */
    boolean expireAt(String key, long now, long expiresAt) {
        int h = PackedRecords.hash(key.hashCode());
        int i = h >>> 24;
        PackedRecords s = stripes[i];
        byte[] scratch = SCRATCH.get();
        byte[] k = keyBytes(key, scratch);
        int kl = k == scratch ? key.length() : k.length;
        synchronized (s) {
            int off = s.find(k, kl, h);
            if (off < 0) {
                return false;
            }
            if (s.time(off) <= now) {
                remove(s, off);
                return false;
            }
            s.time(off, expiresAt);
            return true;
        }
    }

    /** Removes the entry and returns its value if it was live at {@code now}, else null. */
    byte[] remove(String key, long now) {
        return read(key, now, true, COPY);
    }

    /** Removes the entry; returns what {@code reader} (when not null) makes of its value if it was live, else null. */
    <T> T remove(String key, long now, ValueReader<T> reader) {
        return read(key, now, true, reader);
    }

    /** What the reader makes of the live value or null; removes the entry when asked to or when it has expired. */
    private <T> T read(String key, long now, boolean remove, ValueReader<T> reader) {
        int h = PackedRecords.hash(key.hashCode());
        int i = h >>> 24;
        PackedRecords s = stripes[i];
        byte[] scratch = SCRATCH.get();
        byte[] k = keyBytes(key, scratch);
        int kl = k == scratch ? key.length() : k.length;
        synchronized (s) {
            int off = s.find(k, kl, h);
            if (off < 0) {
                return null;
            }
            boolean live = s.time(off) > now;
            T v = live && reader != null ? s.value(off, reader) : null;
            if (remove || !live) {
                remove(s, off);
            }
            return v;
        }
    }

    /** Entries stored, expired ones not yet swept included. */
    int size() {
        return size.get();
    }

    /** Drops every entry expired at {@code now}. */
    void sweep(long now) {
        for (PackedRecords s : stripes) {
            synchronized (s) {
                int before = s.size();
                s.removeIf(expiresAt -> expiresAt <= now);
                size.addAndGet(s.size() - before);
            }
        }
    }

    /** Calls {@code action} with each entry live at {@code now} (a copy of its value); for operators' views. */
    void forEachLive(long now, BiConsumer<String, byte[]> action) {
        forEachLive(now, COPY, action);
    }

    /** Calls {@code action} with each entry live at {@code now}, its value as {@code reader} makes it. */
    <T> void forEachLive(long now, ValueReader<T> reader, BiConsumer<String, T> action) {
        for (PackedRecords s : stripes) {
            synchronized (s) {
                s.forEach(off -> {
                    if (s.time(off) > now) {
                        action.accept(s.keyString(off), s.value(off, reader));
                    }
                });
            }
        }
    }

    /** Bytes held by the arenas (live, dead and free), for tests and sizing. */
    long arenaBytes() {
        long total = 0;
        for (PackedRecords s : stripes) {
            synchronized (s) {
                total += s.arenaBytes();
            }
        }
        return total;
    }

    private void remove(PackedRecords s, int off) {
        s.remove(off);
        size.decrementAndGet();
    }

    private PackedRecords stripe(int h) {
        return stripes[h >>> 24]; // high bits pick the stripe, the table takes the low ones
    }

    private static byte[] utf8(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The key as UTF-8: an ASCII key (identities, tokens, IMSIs) in {@code scratch} (this thread's, so that a get or put
     * makes no array for its key), copied in one pass; a longer or non-ASCII one in a new array.
     */
    private static byte[] keyBytes(String key, byte[] scratch) {
        int n = key.length();
        if (n > scratch.length) {
            return utf8(key);
        }
        for (int c = 0; c < n; c++) {
            char ch = key.charAt(c);
            if (ch >= 0x80) {
                return utf8(key);
            }
            scratch[c] = (byte) ch;
        }
        return scratch;
    }
}
