package org.opentwag.radius.server.internal;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * RFC 5080 section 2.2.2 duplicate detection. A request is identified by source address and port, the local port it
 * arrived on, its Identifier and its Request Authenticator. The first copy is admitted; a retransmission while it is
 * in progress is dropped (never processed twice); one arriving after the answer gets the same answer octets.
 * Bounded in size and time: entries live {@code window} after their last change, and the oldest go first when full.
 */
public final class DuplicateCache {

    /** The identity of a request for duplicate detection. */
    public record Key(InetAddress source, int sourcePort, int localPort, int identifier, long authenticatorHigh,
                      long authenticatorLow) {
        public static Key of(InetAddress source, int sourcePort, int localPort, int identifier, byte[] authenticator) {
            ByteBuffer buffer = ByteBuffer.wrap(authenticator);
            return new Key(source, sourcePort, localPort, identifier, buffer.getLong(), buffer.getLong());
        }
    }

    /** What to do with an arriving request. */
    public enum Verdict { NEW, IN_PROGRESS, ANSWERED }

    /** The verdict, with the cached answer when {@link Verdict#ANSWERED}. */
    public record Admission(Verdict verdict, byte[] cachedResponse) {
    }

    private static final class Entry {
        byte[] response;
        long touchedNanos;

        Entry(long now) {
            touchedNanos = now;
        }
    }

    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    private final long windowNanos;
    private final int maxEntries;
    private final LongSupplier clock;

    public DuplicateCache(Duration window, int maxEntries) {
        this(window, maxEntries, System::nanoTime);
    }

    DuplicateCache(Duration window, int maxEntries, LongSupplier nanoClock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("duplicate cache needs room for at least one entry");
        }
        this.windowNanos = window.toNanos();
        this.maxEntries = maxEntries;
        this.clock = nanoClock;
    }

    /** Records the request as in progress if it is new; otherwise says what it is. */
    public synchronized Admission admit(Key key) {
        long now = clock.getAsLong();
        expire(now);
        Entry entry = entries.get(key);
        if (entry != null) {
            return entry.response == null
                    ? new Admission(Verdict.IN_PROGRESS, null)
                    : new Admission(Verdict.ANSWERED, entry.response);
        }
        if (windowNanos > 0) {
            while (entries.size() >= maxEntries) {
                Iterator<Map.Entry<Key, Entry>> oldest = entries.entrySet().iterator();
                oldest.next();
                oldest.remove();
            }
            entries.put(key, new Entry(now));
        }
        return new Admission(Verdict.NEW, null);
    }

    /** Stores the answer sent for this request, for retransmissions within the window. */
    public synchronized void answered(Key key, byte[] response) {
        Entry entry = entries.remove(key);
        if (entry != null) {
            entry.response = response;
            entry.touchedNanos = clock.getAsLong();
            entries.put(key, entry); // re-insert: the map stays ordered by last change, oldest first
        }
    }

    /** Forgets a request that got no answer, so that the AP's retransmission is processed afresh. */
    public synchronized void abandon(Key key) {
        entries.remove(key);
    }

    public synchronized int size() {
        return entries.size();
    }

    private void expire(long now) {
        Iterator<Entry> iterator = entries.values().iterator();
        while (iterator.hasNext()) {
            Entry oldest = iterator.next();
            if (now - oldest.touchedNanos < windowNanos) {
                break;
            }
            iterator.remove();
        }
    }
}
