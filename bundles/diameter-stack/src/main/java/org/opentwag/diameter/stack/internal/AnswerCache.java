package org.opentwag.diameter.stack.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.opentwag.diameter.codec.DiameterMessage;

/**
 * Answers of recent requests by (Origin-Host, End-to-End id), so a request retransmitted with the 'T' bit
 * (RFC 6733 5.5.4) is answered again instead of processed twice. Bounded in size and age.
 */
final class AnswerCache {
    private record Key(String originHost, int endToEnd) {
    }

    private record Entry(CompletableFuture<DiameterMessage> answer, long expiresAtNanos) {
    }

    private final long windowNanos;
    private final Map<Key, Entry> entries;

    AnswerCache(long windowNanos, int maxEntries) {
        this.windowNanos = windowNanos;
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
    synchronized CompletableFuture<DiameterMessage> lookupOrRecord(String originHost, DiameterMessage request,
                                                                    CompletableFuture<DiameterMessage> answer) {
        Key key = new Key(originHost, request.endToEnd());
        long now = System.nanoTime();
        if (request.isRetransmitted()) {
            Entry earlier = entries.get(key);
            if (earlier != null && earlier.expiresAtNanos - now > 0) {
                return earlier.answer;
            }
        }
        entries.put(key, new Entry(answer, now + windowNanos));
        return null;
    }

    synchronized int size() {
        return entries.size();
    }
}
