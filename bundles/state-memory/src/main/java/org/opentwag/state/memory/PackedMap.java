package org.opentwag.state.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A map from string keys to byte-array values with expiry times, held in a few large byte arrays instead of as
 * objects: the long-lived part of the {@link InMemoryStateStore}.
 *
 * <p>Why: with a dozen long-lived entries per login kept as map nodes, keys and value objects, every young
 * collection copied what the last seconds of logins left and scanned the old maps their puts had written to; at
 * 2,000 logins/s that was 60-110 ms every two seconds. Here an entry is a run of bytes in its segment's arena and a
 * slot in an {@code int} table: storing one writes no object pointer anywhere, and the collector never looks
 * inside a primitive array. Only the arrays themselves are objects, and they are replaced only when a segment
 * grows.
 *
 * <p>Each segment is an open-addressing table (linear probing, deletion by backward shift, so no tombstones) of
 * offsets into an append-only arena. Replacing or removing an entry marks its record dead; when the arena is full,
 * its live records are slid down in place (or copied into an array half as large again when more than three
 * quarters of it is live). Record layout: live flag (1), expiry millis (8), key hash (4), key length (2), value length (4), key
 * (UTF-8), value.
 */
final class PackedMap {

    /**
     * Many small segments rather than a few large ones: less contention, and an arena stays below half a G1 region
     * (512 KiB with the default 1 GiB heap) up to ~100,000 entries per map, so it is an ordinary object rather than
     * a humongous one rounded up to whole regions.
     */
    private static final int SEGMENTS = 256;
    private static final int HEADER = 19;
    private static final int OFF_EXPIRES = 1;
    private static final int OFF_HASH = 9;
    private static final int OFF_KEY_LENGTH = 13;
    private static final int OFF_VALUE_LENGTH = 15;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private final Segment[] segments = new Segment[SEGMENTS];
    private final AtomicInteger size = new AtomicInteger();

    PackedMap() {
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Segment();
        }
    }

    /** The value stored under the key, or null when absent or expired at {@code now} (an expired one is dropped). */
    byte[] get(String key, long now) {
        int h = hash(key);
        return segment(h).get(utf8(key), h, now);
    }

    /**
     * Stores the value under the key until {@code expiresAt}; returns the live value it replaced when
     * {@code previous} is asked for, else null.
     */
    byte[] put(String key, byte[] value, long expiresAt, long now, boolean previous) {
        byte[] k = utf8(key);
        if (k.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("state key longer than " + Short.MAX_VALUE + " bytes");
        }
        int h = hash(key);
        return segment(h).put(k, h, value, expiresAt, now, previous);
    }

    /** Removes the entry and returns its value if it was live at {@code now}, else null. */
    byte[] remove(String key, long now) {
        int h = hash(key);
        return segment(h).remove(utf8(key), h, now);
    }

    /** Entries stored, expired ones not yet swept included. */
    int size() {
        return size.get();
    }

    /** Drops every entry expired at {@code now}. */
    void sweep(long now) {
        for (Segment s : segments) {
            s.sweep(now);
        }
    }

    /** Calls {@code action} with each entry live at {@code now} (a copy of its value); for operators' views. */
    void forEachLive(long now, BiConsumer<String, byte[]> action) {
        for (Segment s : segments) {
            s.forEachLive(now, action);
        }
    }

    /** Bytes held by the arenas (live, dead and free), for tests and sizing. */
    long arenaBytes() {
        long total = 0;
        for (Segment s : segments) {
            total += s.arenaLength();
        }
        return total;
    }

    private Segment segment(int h) {
        return segments[h >>> 24]; // top bits pick the segment, low bits the slot
    }

    private static int hash(String key) {
        int h = key.hashCode() * 0x9E3779B9; // spread: segments take the top bits
        return h ^ (h >>> 16);
    }

    private static byte[] utf8(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private final class Segment {
        private byte[] arena = new byte[512];
        private int top;
        private int deadBytes;
        private int[] slots = new int[16]; // record offset + 1; 0 = empty
        private int[] slotHashes = new int[16];
        private int count;

        synchronized byte[] get(byte[] key, int h, long now) {
            int slot = find(key, h);
            if (slot < 0) {
                return null;
            }
            int off = slots[slot] - 1;
            if (expiresAt(off) <= now) {
                drop(slot, off);
                return null;
            }
            return value(off);
        }

        synchronized byte[] put(byte[] key, int h, byte[] value, long expiresAt, long now, boolean previous) {
            int length = HEADER + key.length + value.length;
            makeRoom(length);
            int slot = find(key, h);
            byte[] replaced = null;
            if (slot >= 0) {
                int old = slots[slot] - 1;
                if (previous && expiresAt(old) > now) {
                    replaced = value(old);
                }
                kill(old);
            }
            int off = top;
            arena[off] = 1;
            LONGS.set(arena, off + OFF_EXPIRES, expiresAt);
            INTS.set(arena, off + OFF_HASH, h);
            SHORTS.set(arena, off + OFF_KEY_LENGTH, (short) key.length);
            INTS.set(arena, off + OFF_VALUE_LENGTH, value.length);
            System.arraycopy(key, 0, arena, off + HEADER, key.length);
            System.arraycopy(value, 0, arena, off + HEADER + key.length, value.length);
            top += length;
            if (slot >= 0) {
                slots[slot] = off + 1;
            } else {
                insert(h, off);
            }
            return replaced;
        }

        synchronized byte[] remove(byte[] key, int h, long now) {
            int slot = find(key, h);
            if (slot < 0) {
                return null;
            }
            int off = slots[slot] - 1;
            byte[] v = expiresAt(off) > now ? value(off) : null;
            drop(slot, off);
            return v;
        }

        synchronized void sweep(long now) {
            for (int off = 0; off < top; off += recordLength(off)) {
                if (arena[off] != 0 && expiresAt(off) <= now) {
                    drop(slotOf(off), off);
                }
            }
            int live = top - deadBytes;
            if (arena.length > 4096 && live < arena.length / 8) {
                compactInto(new byte[Math.max(512, live * 2)]);
            }
        }

        synchronized void forEachLive(long now, BiConsumer<String, byte[]> action) {
            for (int off = 0; off < top; off += recordLength(off)) {
                if (arena[off] != 0 && expiresAt(off) > now) {
                    int kl = keyLength(off);
                    action.accept(new String(arena, off + HEADER, kl, StandardCharsets.UTF_8), value(off));
                }
            }
        }

        synchronized int arenaLength() {
            return arena.length;
        }

        /**
         * Ensures {@code length} free bytes at the top: slides the live records down when that frees at least a
         * quarter of the arena, else moves them to one half as large again (so at most 1/4 to 1/2 is slack).
         */
        private void makeRoom(int length) {
            if (top + length <= arena.length) {
                return;
            }
            int needed = top - deadBytes + length;
            if (needed <= arena.length - arena.length / 4) {
                compactInto(arena);
            } else {
                compactInto(new byte[Math.max(needed + needed / 2, 512)]);
            }
        }

        /** Moves the live records, in order, to the start of {@code target} (which may be the arena itself). */
        private void compactInto(byte[] target) {
            int w = 0;
            for (int r = 0; r < top; ) {
                int length = recordLength(r);
                if (arena[r] != 0) {
                    int slot = slotOf(r); // found before moving: written offsets are all below r
                    System.arraycopy(arena, r, target, w, length);
                    slots[slot] = w + 1;
                    w += length;
                }
                r += length;
            }
            if (target != arena) {
                arena = target;
            } else {
                Arrays.fill(arena, w, top, (byte) 0);
            }
            top = w;
            deadBytes = 0;
        }

        private int find(byte[] key, int h) {
            int mask = slots.length - 1;
            for (int i = h & mask; slots[i] != 0; i = (i + 1) & mask) {
                if (slotHashes[i] == h) {
                    int off = slots[i] - 1;
                    int kl = keyLength(off);
                    if (kl == key.length
                            && Arrays.equals(arena, off + HEADER, off + HEADER + kl, key, 0, kl)) {
                        return i;
                    }
                }
            }
            return -1;
        }

        /** The slot that points at the live record at {@code off}. */
        private int slotOf(int off) {
            int h = (int) INTS.get(arena, off + OFF_HASH);
            int mask = slots.length - 1;
            for (int i = h & mask; slots[i] != 0; i = (i + 1) & mask) {
                if (slots[i] == off + 1) {
                    return i;
                }
            }
            throw new IllegalStateException("packed state: record without a slot");
        }

        private void insert(int h, int off) {
            if ((count + 1) * 2 > slots.length) {
                resize(slots.length * 2);
            }
            int mask = slots.length - 1;
            int i = h & mask;
            while (slots[i] != 0) {
                i = (i + 1) & mask;
            }
            slots[i] = off + 1;
            slotHashes[i] = h;
            count++;
            size.incrementAndGet();
        }

        private void resize(int capacity) {
            int[] oldSlots = slots;
            int[] oldHashes = slotHashes;
            slots = new int[capacity];
            slotHashes = new int[capacity];
            int mask = capacity - 1;
            for (int j = 0; j < oldSlots.length; j++) {
                if (oldSlots[j] != 0) {
                    int i = oldHashes[j] & mask;
                    while (slots[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    slots[i] = oldSlots[j];
                    slotHashes[i] = oldHashes[j];
                }
            }
        }

        /** Removes the entry in {@code slot}, whose record is at {@code off}. */
        private void drop(int slot, int off) {
            kill(off);
            int mask = slots.length - 1;
            int hole = slot;
            slots[hole] = 0;
            // Backward shift: move up every later entry of the run that may not stay behind the hole.
            for (int j = (hole + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
                int home = slotHashes[j] & mask;
                boolean reachable = hole <= j ? hole < home && home <= j : hole < home || home <= j;
                if (!reachable) {
                    slots[hole] = slots[j];
                    slotHashes[hole] = slotHashes[j];
                    slots[j] = 0;
                    hole = j;
                }
            }
            count--;
            size.decrementAndGet();
        }

        private void kill(int off) {
            arena[off] = 0;
            deadBytes += recordLength(off);
        }

        private long expiresAt(int off) {
            return (long) LONGS.get(arena, off + OFF_EXPIRES);
        }

        private int keyLength(int off) {
            return (short) SHORTS.get(arena, off + OFF_KEY_LENGTH);
        }

        private int recordLength(int off) {
            return HEADER + keyLength(off) + (int) INTS.get(arena, off + OFF_VALUE_LENGTH);
        }

        private byte[] value(int off) {
            int from = off + HEADER + keyLength(off);
            return Arrays.copyOfRange(arena, from, from + (int) INTS.get(arena, off + OFF_VALUE_LENGTH));
        }
    }
}
