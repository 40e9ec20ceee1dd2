package org.opentwag.support.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.function.LongPredicate;

/**
 * Keyed records (key bytes, a time, optional value bytes) held in one byte array instead of as objects, for state
 * that lives seconds to hours: the packed state store and the RADIUS duplicate cache are built on it.
 *
 * <p>Why: state kept as objects (a map node, a key, a value and what it points to) outlives young collections, so each
 * of them copies it, and each put writes a pointer into an old map, which each of them then scans. A record here is
 * a run of bytes in an append-only arena, found through an {@code int} table of offsets (open addressing, linear
 * probing, deletion by backward shift so there are no tombstones): storing one writes no object pointer, and the
 * collector does not look inside primitive arrays. Replacing or removing a record marks it dead; when the arena is
 * full its live records slide down in place, in order, or move to an array half as large again when more than three
 * quarters of it is live. Records stay in the order they were stored, so the oldest live one is the first.
 *
 * <p>Record layout: live flag (1), time (8), key hash (4), key length (2), value length (4, -1 for none), key, value.
 * What the time means is the caller's (an expiry, a last change).
 *
 * <p>Not thread-safe: the caller locks. Plain Java, no OSGi types.
 */
public final class PackedRecords {

    private static final int HEADER = 19;
    private static final int OFF_TIME = 1;
    private static final int OFF_HASH = 9;
    private static final int OFF_KEY_LENGTH = 13;
    private static final int OFF_VALUE_LENGTH = 15;
    private static final int NO_VALUE = -1;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private byte[] arena;
    private int head; // no live record before it
    private int top;
    private int deadBytes;
    /**
     * The slots, two ints each: the record's offset + 1 (0 = empty), then its key hash. Side by side rather than in
     * two arrays: a lookup in a table larger than the CPU's caches misses once for the slot, not once in each array.
     */
    private int[] table = new int[32];
    private int count;
    private int foundSlot = -1; // where find last found a record: slotOf tries it before probing again

    /** @param initialBytes the arena's first size; it grows as needed */
    public PackedRecords(int initialBytes) {
        arena = new byte[Math.max(64, initialBytes)];
    }

    /** A well-spread hash of a key: tables take its low bits, so callers that stripe should take the high ones. */
    public static int hash(int keyHashCode) {
        int h = keyHashCode * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** The offset of the live record with this key, or -1. */
    public int find(byte[] key, int hash) {
        return find(key, key.length, hash);
    }

    /** The offset of the live record whose key is the first {@code keyLength} bytes of {@code key}, or -1. */
    public int find(byte[] key, int keyLength, int hash) {
        int[] t = table;
        int mask = (t.length >> 1) - 1;
        for (int i = hash & mask; t[2 * i] != 0; i = (i + 1) & mask) {
            if (t[2 * i + 1] == hash) {
                int off = t[2 * i] - 1;
                int kl = keyLength(off);
                if (kl == keyLength && Arrays.equals(arena, off + HEADER, off + HEADER + kl, key, 0, kl)) {
                    foundSlot = i;
                    return off;
                }
            }
        }
        return -1;
    }

    /**
     * Stores a record for the key, replacing the live one it may have; {@code value} null means none. The record is
     * now the newest. Returns the offset of the record it replaced, whose {@link #time} and {@link #value} can still
     * be read until the next change to this table, or -1.
     */
    public int put(byte[] key, int hash, byte[] value, long time) {
        return store(key, key.length, hash, value == null ? NO_VALUE : value.length, value, null, time);
    }

    /**
     * Like {@link #put(byte[], int, byte[], long)}, with a value of {@code valueLength} bytes that {@code writer}
     * writes straight into the arena (no copy of it is made first). The writer must write exactly that many bytes.
     * The key is the first {@code keyLength} bytes of {@code key} (so a caller can reuse one array for keys).
     */
    public int put(byte[] key, int keyLength, int hash, int valueLength, ValueWriter writer, long time) {
        if (valueLength < 0 || keyLength < 0 || keyLength > key.length) {
            throw new IllegalArgumentException("key length " + keyLength + ", value length " + valueLength);
        }
        return store(key, keyLength, hash, valueLength, null, writer, time);
    }

    /** Writes a value of a length given beforehand into {@code arena} from {@code offset}. */
    @FunctionalInterface
    public interface ValueWriter {
        void write(byte[] arena, int offset);
    }

    /** Makes something of a value's bytes where they lie: {@code length} bytes of {@code arena} from {@code offset}. */
    @FunctionalInterface
    public interface ValueReader<T> {
        T read(byte[] arena, int offset, int length);
    }

    private int store(byte[] key, int keyLength, int hash, int valueLength, byte[] value, ValueWriter writer,
                      long time) {
        if (keyLength > Short.MAX_VALUE) {
            throw new IllegalArgumentException("key longer than " + Short.MAX_VALUE + " bytes");
        }
        int length = HEADER + keyLength + Math.max(0, valueLength);
        makeRoom(length); // before find: sliding records down changes their offsets
        int old = find(key, keyLength, hash);
        int off = top;
        // The value first: a writer that throws leaves the table as it was (nothing above top counts).
        if (value != null) {
            System.arraycopy(value, 0, arena, off + HEADER + keyLength, value.length);
        } else if (writer != null) {
            writer.write(arena, off + HEADER + keyLength);
        }
        arena[off] = 1;
        LONGS.set(arena, off + OFF_TIME, time);
        INTS.set(arena, off + OFF_HASH, hash);
        SHORTS.set(arena, off + OFF_KEY_LENGTH, (short) keyLength);
        INTS.set(arena, off + OFF_VALUE_LENGTH, valueLength);
        System.arraycopy(key, 0, arena, off + HEADER, keyLength);
        top += length;
        if (old >= 0) {
            table[2 * slotOf(old)] = off + 1;
            kill(old); // only its flag: its bytes stay until the arena is next compacted
        } else {
            insert(hash, off);
        }
        return old;
    }

    /** Removes the live record at {@code off}. */
    public void remove(int off) {
        int slot = slotOf(off);
        kill(off);
        int[] t = table;
        int mask = (t.length >> 1) - 1;
        int hole = slot;
        t[2 * hole] = 0;
        // Backward shift: move up each later entry of the probe run whose home is not between the hole and itself.
        for (int j = (hole + 1) & mask; t[2 * j] != 0; j = (j + 1) & mask) {
            int home = t[2 * j + 1] & mask;
            boolean reachable = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!reachable) {
                t[2 * hole] = t[2 * j];
                t[2 * hole + 1] = t[2 * j + 1];
                t[2 * j] = 0;
                hole = j;
            }
        }
        count--;
    }

    /** The offset of the oldest live record (the first stored among those still live), or -1 when none. */
    public int oldest() {
        while (head < top && arena[head] == 0) {
            head += recordLength(head);
        }
        return head < top ? head : -1;
    }

    /** Removes every live record whose time matches, oldest first, and gives the space back if most is free. */
    public void removeIf(LongPredicate byTime) {
        for (int off = head; off < top; off += recordLength(off)) {
            if (arena[off] != 0 && byTime.test(time(off))) {
                remove(off);
            }
        }
        int live = top - deadBytes;
        if (arena.length > 4096 && live < arena.length / 8) {
            compactInto(new byte[Math.max(512, live * 2)]);
        }
    }

    /** Calls {@code action} with the offset of each live record, oldest first; it must not change this table. */
    public void forEach(IntConsumer action) {
        for (int off = head; off < top; off += recordLength(off)) {
            if (arena[off] != 0) {
                action.accept(off);
            }
        }
    }

    public long time(int off) {
        return (long) LONGS.get(arena, off + OFF_TIME);
    }

    /** Changes the record's time in place; it keeps its place in the order of records stored. */
    public void time(int off, long time) {
        LONGS.set(arena, off + OFF_TIME, time);
    }

    /** The record's value (a copy), or null when it was stored without one. */
    public byte[] value(int off) {
        int length = (int) INTS.get(arena, off + OFF_VALUE_LENGTH);
        if (length == NO_VALUE) {
            return null;
        }
        int from = off + HEADER + keyLength(off);
        return Arrays.copyOfRange(arena, from, from + length);
    }

    /** What {@code reader} makes of the record's value where it lies, or null when it was stored without one. */
    public <T> T value(int off, ValueReader<T> reader) {
        int length = (int) INTS.get(arena, off + OFF_VALUE_LENGTH);
        return length == NO_VALUE ? null : reader.read(arena, off + HEADER + keyLength(off), length);
    }

    public boolean hasValue(int off) {
        return (int) INTS.get(arena, off + OFF_VALUE_LENGTH) != NO_VALUE;
    }

    /** The record's key read as UTF-8 (for keys stored that way). */
    public String keyString(int off) {
        return new String(arena, off + HEADER, keyLength(off), StandardCharsets.UTF_8);
    }

    /** Live records. */
    public int size() {
        return count;
    }

    /** The arena's length in bytes (live, dead and free). */
    public int arenaBytes() {
        return arena.length;
    }

    /** Ensures {@code length} free bytes at the top. */
    private void makeRoom(int length) {
        if (top + length <= arena.length) {
            return;
        }
        int needed = top - deadBytes + length;
        compactInto(needed <= arena.length - arena.length / 4 ? arena : new byte[needed + needed / 2]);
    }

    /** Moves the live records, in order, to the start of {@code target} (which may be the arena itself). */
    private void compactInto(byte[] target) {
        int w = 0;
        for (int r = head; r < top; ) {
            int length = recordLength(r);
            if (arena[r] != 0) {
                int slot = slotOf(r); // before moving: the offsets written so far are all below r
                System.arraycopy(arena, r, target, w, length);
                table[2 * slot] = w + 1;
                w += length;
            }
            r += length;
        }
        if (target != arena) {
            arena = target;
        } else {
            Arrays.fill(arena, w, top, (byte) 0);
        }
        head = 0;
        top = w;
        deadBytes = 0;
    }

    /** The slot that points at the live record at {@code off}. */
    private int slotOf(int off) {
        // A find followed by put or remove of the same record (the usual order) needs no second probe: an offset is
        // in exactly one slot, so a slot that holds it is its slot whatever happened since.
        int[] t = table;
        int hint = foundSlot;
        if (hint >= 0 && 2 * hint < t.length && t[2 * hint] == off + 1) {
            return hint;
        }
        int h = (int) INTS.get(arena, off + OFF_HASH);
        int mask = (t.length >> 1) - 1;
        for (int i = h & mask; t[2 * i] != 0; i = (i + 1) & mask) {
            if (t[2 * i] == off + 1) {
                return i;
            }
        }
        throw new IllegalStateException("packed record without a slot at " + off);
    }

    private void insert(int hash, int off) {
        if ((count + 1) * 2 > table.length >> 1) {
            int[] old = table;
            table = new int[old.length * 2];
            for (int j = 0; j < old.length; j += 2) {
                if (old[j] != 0) {
                    place(old[j + 1], old[j]);
                }
            }
        }
        place(hash, off + 1);
        count++;
    }

    private void place(int hash, int slotValue) {
        int[] t = table;
        int mask = (t.length >> 1) - 1;
        int i = hash & mask;
        while (t[2 * i] != 0) {
            i = (i + 1) & mask;
        }
        t[2 * i] = slotValue;
        t[2 * i + 1] = hash;
    }

    private void kill(int off) {
        arena[off] = 0;
        deadBytes += recordLength(off);
    }

    private int keyLength(int off) {
        return (short) SHORTS.get(arena, off + OFF_KEY_LENGTH);
    }

    private int recordLength(int off) {
        return HEADER + keyLength(off) + Math.max(0, (int) INTS.get(arena, off + OFF_VALUE_LENGTH));
    }
}
