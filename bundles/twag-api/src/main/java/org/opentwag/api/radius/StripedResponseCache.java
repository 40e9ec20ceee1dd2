package org.opentwag.api.radius;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * The {@link ResponseCache}: stripes chosen by the key's hash, each behind its own lock, so that the packet path of
 * several I/O and worker threads does not queue on one monitor. Entries live {@code window} after their last change
 * (admission or answer); when a stripe is full its oldest entry goes first. The bound is {@code maxEntries} in total
 * (each stripe holds its share, rounded up).
 *
 * <p>A stripe keeps its entries as bytes, not objects: an append-only arena of records (key, time of last change,
 * answer) in the order of their last change, and an open-addressing table of offsets into it. Why: with a window of
 * tens of seconds an entry outlives several young collections; as a key, an address, a map node and an answer array
 * per request it was copied by each of them and then promoted to die in the old generation. Here storing an entry
 * writes no object pointer, and the collector does not look inside the arrays. Since the arena is in order of last
 * change, the oldest entry is the first live record, so expiry and eviction read from the front; a change appends
 * and marks the earlier record dead; when the arena is full the live records slide down (order kept), or move to
 * an array half as large again when more than three quarters are live.
 *
 * <p>Record layout: live flag (1), last change in nanoseconds (8), key hash (4), key length (1), answer length (4;
 * -1 while in progress), key, answer. A key is the source address, source port, local port, Identifier and Request
 * Authenticator, as bytes.
 */
public final class StripedResponseCache implements ResponseCache {

    private static final int HEADER = 18;
    private static final int OFF_TOUCHED = 1;
    private static final int OFF_HASH = 9;
    private static final int OFF_KEY_LENGTH = 13;
    private static final int OFF_ANSWER_LENGTH = 14;
    private static final int IN_PROGRESS = -1;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final Stripe[] stripes;
    private final int mask;
    private final long windowNanos;
    private final int maxEntries;
    private final int maxPerStripe;
    private final LongSupplier clock;

    /** A cache with 64 stripes (fewer when {@code maxEntries} is small). */
    public StripedResponseCache(Duration window, int maxEntries) {
        this(window, maxEntries, 64, System::nanoTime);
    }

    /**
     * @param stripes   wanted number of stripes, rounded down to a power of two and to at most one per 64 entries
     *                  (1 keeps exact oldest-first eviction over the whole cache)
     * @param nanoClock monotonic nanoseconds (tests pass their own)
     */
    public StripedResponseCache(Duration window, int maxEntries, int stripes, LongSupplier nanoClock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("duplicate cache needs room for at least one entry");
        }
        int n = Integer.highestOneBit(Math.max(1, Math.min(stripes, maxEntries / 64)));
        this.stripes = new Stripe[n];
        for (int i = 0; i < n; i++) {
            this.stripes[i] = new Stripe();
        }
        this.mask = n - 1;
        this.windowNanos = window.toNanos();
        this.maxEntries = maxEntries;
        this.maxPerStripe = (maxEntries + n - 1) / n;
        this.clock = nanoClock;
    }

    public Duration window() {
        return Duration.ofNanos(windowNanos);
    }

    public int maxEntries() {
        return maxEntries;
    }

    int stripeCount() {
        return stripes.length;
    }

    /** The key as bytes: address, ports, Identifier, Request Authenticator. */
    private static byte[] bytes(Key key) {
        byte[] address = key.source().getAddress();
        return ByteBuffer.allocate(address.length + 21).put(address).putShort((short) key.sourcePort())
                .putShort((short) key.localPort()).put((byte) key.identifier()).putLong(key.authenticatorHigh())
                .putLong(key.authenticatorLow()).array();
    }

    private static int hash(Key key) {
        int h = key.hashCode() * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private Stripe stripe(int hash) {
        return stripes[(hash >>> 20) & mask]; // high bits pick the stripe, low bits the slot
    }

    @Override
    public Admission admit(Key key) {
        int h = hash(key);
        return stripe(h).admit(bytes(key), h, clock.getAsLong());
    }

    @Override
    public void answered(Key key, byte[] response) {
        int h = hash(key);
        stripe(h).answered(bytes(key), h, response, clock.getAsLong());
    }

    @Override
    public void abandon(Key key) {
        int h = hash(key);
        stripe(h).abandon(bytes(key), h);
    }

    @Override
    public int size() {
        long now = clock.getAsLong();
        int size = 0;
        for (Stripe stripe : stripes) {
            size += stripe.size(now);
        }
        return size;
    }

    private final class Stripe {
        private byte[] arena = new byte[1024];
        private int head; // no live record before it
        private int top;
        private int deadBytes;
        private int[] slots = new int[16]; // record offset + 1; 0 = empty
        private int[] slotHashes = new int[16];
        private int count;

        synchronized Admission admit(byte[] key, int h, long now) {
            expire(now);
            int slot = find(key, h);
            if (slot >= 0) {
                int off = slots[slot] - 1;
                int answerLength = answerLength(off);
                if (answerLength == IN_PROGRESS) {
                    return Admission.IN_PROGRESS;
                }
                int from = off + HEADER + key.length;
                return new Admission(Verdict.ANSWERED, Arrays.copyOfRange(arena, from, from + answerLength));
            }
            if (windowNanos > 0) {
                while (count >= maxPerStripe) {
                    dropOldest();
                }
                insert(h, append(key, h, null, now));
            }
            return Admission.NEW;
        }

        synchronized void answered(byte[] key, int h, byte[] response, long now) {
            int slot = find(key, h);
            if (slot >= 0) {
                kill(slots[slot] - 1);
                int off = append(key, h, response, now); // may compact, which rewrites the slots but not their places
                slots[slot] = off + 1;
            }
        }

        synchronized void abandon(byte[] key, int h) {
            int slot = find(key, h);
            if (slot >= 0) {
                drop(slot, slots[slot] - 1);
            }
        }

        synchronized int size(long now) {
            expire(now);
            return count;
        }

        /** Drops the records whose window is over, oldest first; stops at the first one still in it. */
        private void expire(long now) {
            while (head < top) {
                if (arena[head] != 0) {
                    if (now - (long) LONGS.get(arena, head + OFF_TOUCHED) < windowNanos) {
                        return;
                    }
                    drop(slotOf(head), head);
                }
                head += recordLength(head);
            }
        }

        private void dropOldest() {
            while (arena[head] == 0) {
                head += recordLength(head);
            }
            drop(slotOf(head), head);
        }

        /** Appends a record and returns its offset; {@code answer} null means in progress. */
        private int append(byte[] key, int h, byte[] answer, long now) {
            int length = HEADER + key.length + (answer == null ? 0 : answer.length);
            makeRoom(length);
            int off = top;
            arena[off] = 1;
            LONGS.set(arena, off + OFF_TOUCHED, now);
            INTS.set(arena, off + OFF_HASH, h);
            arena[off + OFF_KEY_LENGTH] = (byte) key.length;
            INTS.set(arena, off + OFF_ANSWER_LENGTH, answer == null ? IN_PROGRESS : answer.length);
            System.arraycopy(key, 0, arena, off + HEADER, key.length);
            if (answer != null) {
                System.arraycopy(answer, 0, arena, off + HEADER + key.length, answer.length);
            }
            top += length;
            return off;
        }

        private void makeRoom(int length) {
            if (top + length <= arena.length) {
                return;
            }
            int needed = top - deadBytes + length;
            if (needed <= arena.length - arena.length / 4) {
                compactInto(arena);
            } else {
                compactInto(new byte[needed + needed / 2]);
            }
        }

        /** Moves the live records, in order, to the start of {@code target} (which may be the arena itself). */
        private void compactInto(byte[] target) {
            int w = 0;
            for (int r = head; r < top; ) {
                int length = recordLength(r);
                if (arena[r] != 0) {
                    int slot = slotOf(r); // found before moving: the offsets written so far are all below r
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
            head = 0;
            top = w;
            deadBytes = 0;
        }

        private int find(byte[] key, int h) {
            int m = slots.length - 1;
            for (int i = h & m; slots[i] != 0; i = (i + 1) & m) {
                if (slotHashes[i] == h) {
                    int off = slots[i] - 1;
                    int kl = arena[off + OFF_KEY_LENGTH];
                    if (kl == key.length && Arrays.equals(arena, off + HEADER, off + HEADER + kl, key, 0, kl)) {
                        return i;
                    }
                }
            }
            return -1;
        }

        private int slotOf(int off) {
            int h = (int) INTS.get(arena, off + OFF_HASH);
            int m = slots.length - 1;
            for (int i = h & m; slots[i] != 0; i = (i + 1) & m) {
                if (slots[i] == off + 1) {
                    return i;
                }
            }
            throw new IllegalStateException("duplicate cache: record without a slot");
        }

        private void insert(int h, int off) {
            if ((count + 1) * 2 > slots.length) {
                int[] oldSlots = slots;
                int[] oldHashes = slotHashes;
                slots = new int[oldSlots.length * 2];
                slotHashes = new int[oldSlots.length * 2];
                for (int j = 0; j < oldSlots.length; j++) {
                    if (oldSlots[j] != 0) {
                        place(oldHashes[j], oldSlots[j]);
                    }
                }
            }
            place(h, off + 1);
            count++;
        }

        private void place(int h, int slotValue) {
            int m = slots.length - 1;
            int i = h & m;
            while (slots[i] != 0) {
                i = (i + 1) & m;
            }
            slots[i] = slotValue;
            slotHashes[i] = h;
        }

        /** Removes the entry in {@code slot} (record at {@code off}); backward shift keeps the probe runs whole. */
        private void drop(int slot, int off) {
            kill(off);
            int m = slots.length - 1;
            int hole = slot;
            slots[hole] = 0;
            for (int j = (hole + 1) & m; slots[j] != 0; j = (j + 1) & m) {
                int home = slotHashes[j] & m;
                boolean reachable = hole <= j ? hole < home && home <= j : hole < home || home <= j;
                if (!reachable) {
                    slots[hole] = slots[j];
                    slotHashes[hole] = slotHashes[j];
                    slots[j] = 0;
                    hole = j;
                }
            }
            count--;
        }

        private void kill(int off) {
            arena[off] = 0;
            deadBytes += recordLength(off);
        }

        private int answerLength(int off) {
            return (int) INTS.get(arena, off + OFF_ANSWER_LENGTH);
        }

        private int recordLength(int off) {
            return HEADER + arena[off + OFF_KEY_LENGTH] + Math.max(0, answerLength(off));
        }
    }
}
