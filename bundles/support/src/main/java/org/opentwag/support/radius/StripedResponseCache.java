package org.opentwag.support.radius;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.opentwag.api.radius.ResponseCache;
import org.opentwag.support.state.PackedRecords;

/**
 * The {@link ResponseCache}: stripes chosen by the key's hash, each behind its own lock, so that the packet path of
 * several I/O and worker threads does not queue on one monitor. Entries live {@code window} after their last change
 * (admission or answer); when a stripe is full its oldest entry goes first. The bound is {@code maxEntries} in total
 * (each stripe holds its share, rounded up).
 *
 * <p>A stripe keeps its entries as bytes, not objects ({@link PackedRecords}: key, time of last change, answer,
 * or no answer while in progress). Why: with a window of tens of seconds an entry outlives several young
 * collections; as a key, an address, a map node and an answer array per request it was copied by each of them and
 * then promoted to die in the old generation. Records stay in order of last change (an answer stores the entry
 * anew), so the oldest is the first, and expiry and eviction read from the front. A key is the source address,
 * source port, local port, Identifier and Request Authenticator, as bytes.
 */
public final class StripedResponseCache implements ResponseCache {

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
        return PackedRecords.hash(key.hashCode());
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

    /** How long an answer waits for the next server to listen: an AP gives up 3 s after its first send. */
    static final long LATE_ANSWER_HOLD_NANOS = 5_000_000_000L;
    /** Bound of the answers held between two servers. */
    static final int MAX_LATE_ANSWERS = 10_000;

    private record LateAnswer(Key key, byte[] answer, long since) {
    }

    private final Object lateLock = new Object();
    private Listener listener;
    private final ArrayDeque<LateAnswer> heldAnswers = new ArrayDeque<>();

    @Override
    public void listening(Listener newListener) {
        List<LateAnswer> due;
        synchronized (lateLock) {
            listener = newListener;
            due = new ArrayList<>(heldAnswers);
            heldAnswers.clear();
        }
        long now = clock.getAsLong();
        for (LateAnswer held : due) {
            if (now - held.since < LATE_ANSWER_HOLD_NANOS) {
                newListener.send(held.key, held.answer);
            }
        }
    }

    @Override
    public void notListening(Listener stopping) {
        synchronized (lateLock) {
            if (listener == stopping) {
                listener = null;
            }
        }
    }

    @Override
    public void sendLate(Key key, byte[] answer) {
        Listener current;
        synchronized (lateLock) {
            current = listener;
            if (current == null) {
                long now = clock.getAsLong();
                while (!heldAnswers.isEmpty() && (heldAnswers.size() >= MAX_LATE_ANSWERS
                        || now - heldAnswers.peekFirst().since >= LATE_ANSWER_HOLD_NANOS)) {
                    heldAnswers.pollFirst();
                }
                heldAnswers.addLast(new LateAnswer(key, answer, now));
                return;
            }
        }
        current.send(key, answer); // outside the lock: a socket write
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

    /** One stripe: its records in order of last change; a record's time is that change, in nanoseconds. */
    private final class Stripe {
        private final PackedRecords records = new PackedRecords(1024);

        synchronized Admission admit(byte[] key, int h, long now) {
            expire(now);
            int off = records.find(key, h);
            if (off >= 0) {
                byte[] answer = records.value(off);
                return answer == null ? Admission.IN_PROGRESS : new Admission(Verdict.ANSWERED, answer);
            }
            if (windowNanos > 0) {
                while (records.size() >= maxPerStripe) {
                    records.remove(records.oldest());
                }
                records.put(key, h, null, now);
            }
            return Admission.NEW;
        }

        synchronized void answered(byte[] key, int h, byte[] response, long now) {
            if (records.find(key, h) >= 0) {
                records.put(key, h, response, now); // now the newest: the stripe stays in order of last change
            }
        }

        synchronized void abandon(byte[] key, int h) {
            int off = records.find(key, h);
            if (off >= 0) {
                records.remove(off);
            }
        }

        synchronized int size(long now) {
            expire(now);
            return records.size();
        }

        /** Drops the records whose window is over, oldest first; stops at the first one still in it. */
        private void expire(long now) {
            for (int off = records.oldest(); off >= 0 && now - records.time(off) >= windowNanos;
                 off = records.oldest()) {
                records.remove(off);
            }
        }
    }
}
