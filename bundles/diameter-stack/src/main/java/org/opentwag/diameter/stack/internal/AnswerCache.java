package org.opentwag.diameter.stack.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.opentwag.diameter.codec.DiameterMessage;

/**
 * Answers of recent requests by (Origin-Host, End-to-End id), so a request retransmitted with the 'T' bit
 * (RFC 6733 5.5.4) is answered again instead of processed twice. Bounded in size and age.
 *
 * <p>Once an answer is on the wire the cache keeps its encoded bytes, not the message: a decoded message is a tree of
 * a dozen objects per answer that would live for seconds, long enough for every young collection to copy it, for the
 * rare retransmission that needs it. A retransmission decodes the bytes again.
 */
final class AnswerCache {
    private record Key(String originHost, int endToEnd) {
    }

    private static final class Entry {
        final long expiresAtNanos;
        /** The answer to come (a CompletableFuture of the message) until it was sent, then its encoded bytes. */
        Object answer;

        Entry(CompletableFuture<DiameterMessage> answer, long expiresAtNanos) {
            this.answer = answer;
            this.expiresAtNanos = expiresAtNanos;
        }
    }

    private final long windowNanos;
    private final Function<byte[], DiameterMessage> decoder;
    private final Map<Key, Entry> entries;

    AnswerCache(long windowNanos, int maxEntries, Function<byte[], DiameterMessage> decoder) {
        this.windowNanos = windowNanos;
        this.decoder = decoder;
        this.entries = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > maxEntries || eldest.getValue().expiresAtNanos - System.nanoTime() < 0;
            }
        };
    }

    /**
     * For a request: the answer of an earlier copy when this one is a retransmission we have seen, else
     * null after recording {@code answer} as the answer to come.
     */
    CompletionStage<DiameterMessage> lookupOrRecord(String originHost, DiameterMessage request,
                                                    CompletableFuture<DiameterMessage> answer) {
        Key key = new Key(originHost, request.endToEnd());
        long now = System.nanoTime();
        Object earlier = null;
        synchronized (this) {
            if (request.isRetransmitted()) {
                Entry e = entries.get(key);
                if (e != null && e.expiresAtNanos - now > 0) {
                    earlier = e.answer;
                }
            }
            if (earlier == null) {
                entries.put(key, new Entry(answer, now + windowNanos));
                return null;
            }
        }
        if (earlier instanceof byte[] wire) {
            return CompletableFuture.completedFuture(decoder.apply(wire));
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<DiameterMessage> pending = (CompletableFuture<DiameterMessage>) earlier;
        return pending;
    }

    /** The answer recorded for this request went out as {@code wire}: keep those bytes instead of the message. */
    synchronized void sent(String originHost, int endToEnd, CompletableFuture<DiameterMessage> answer, byte[] wire) {
        Entry e = entries.get(new Key(originHost, endToEnd));
        if (e != null && e.answer == answer) {
            e.answer = wire;
        }
    }

    synchronized int size() {
        return entries.size();
    }
}
