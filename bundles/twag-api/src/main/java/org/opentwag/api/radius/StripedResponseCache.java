package org.opentwag.api.radius;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.LongSupplier;

/**
 * The {@link ResponseCache}: stripes chosen by the key's hash, each a small insertion-ordered map behind its own lock,
 * so that the packet path of several I/O and worker threads does not queue on one monitor. Entries live
 * {@code window} after their last change (admission or answer); when a stripe is full its oldest entry goes first.
 * The bound is {@code maxEntries} in total (each stripe holds its share, rounded up).
 */
public final class StripedResponseCache implements ResponseCache {

    private static final class Entry {
        byte[] response;
        long touchedNanos;

        Entry(long now) {
            touchedNanos = now;
        }
    }

    private static final class Stripe {
        final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();
    }

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

    private Stripe stripe(Key key) {
        int h = key.hashCode();
        h ^= h >>> 16;
        h *= 0x9E3779B1;
        return stripes[(h ^ (h >>> 15)) & mask];
    }

    @Override
    public Admission admit(Key key) {
        Stripe stripe = stripe(key);
        long now = clock.getAsLong();
        synchronized (stripe) {
            expire(stripe, now);
            Entry entry = stripe.entries.get(key);
            if (entry != null) {
                return entry.response == null ? Admission.IN_PROGRESS : new Admission(Verdict.ANSWERED, entry.response);
            }
            if (windowNanos > 0) {
                while (stripe.entries.size() >= maxPerStripe) {
                    Iterator<Entry> oldest = stripe.entries.values().iterator();
                    oldest.next();
                    oldest.remove();
                }
                stripe.entries.put(key, new Entry(now));
            }
            return Admission.NEW;
        }
    }

    @Override
    public void answered(Key key, byte[] response) {
        Stripe stripe = stripe(key);
        long now = clock.getAsLong();
        synchronized (stripe) {
            Entry entry = stripe.entries.remove(key);
            if (entry != null) {
                entry.response = response;
                entry.touchedNanos = now;
                stripe.entries.put(key, entry); // re-insert: the stripe stays ordered by last change, oldest first
            }
        }
    }

    @Override
    public void abandon(Key key) {
        Stripe stripe = stripe(key);
        synchronized (stripe) {
            stripe.entries.remove(key);
        }
    }

    @Override
    public int size() {
        long now = clock.getAsLong();
        int size = 0;
        for (Stripe stripe : stripes) {
            synchronized (stripe) {
                expire(stripe, now);
                size += stripe.entries.size();
            }
        }
        return size;
    }

    private void expire(Stripe stripe, long now) {
        Iterator<Entry> iterator = stripe.entries.values().iterator();
        while (iterator.hasNext()) {
            Entry oldest = iterator.next();
            if (now - oldest.touchedNanos < windowNanos) {
                break;
            }
            iterator.remove();
        }
    }
}
