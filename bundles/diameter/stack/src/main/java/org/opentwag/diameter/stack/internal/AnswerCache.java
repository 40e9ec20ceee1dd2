package org.opentwag.diameter.stack.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.support.state.PackedRecords;

/**
 * Answers of recent requests by (Origin-Host, End-to-End id), so a request retransmitted with the 'T' bit
 * (RFC 6733 5.5.4) is answered again instead of processed twice. Bounded in size and age.
 *
 * <p>While a request is being answered its entry is the answer to come (a future, for the milliseconds that takes).
 * Once the answer is on the wire the cache keeps its encoded bytes as a {@link PackedRecords} record, not as objects:
 * an answer kept for seconds outlived young collections, each of which copied it; a record in the byte arena costs
 * them nothing. Records are in order of sending, so the oldest goes first when the cache is full, and expiry reads
 * from the front. A retransmission decodes the bytes again.
 */
final class AnswerCache {
    private record Key(String originHost, int endToEnd) {
        byte[] bytes() {
            byte[] host = originHost.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(host.length + 4).put(host).putInt(endToEnd).array();
        }

        int hash() {
            return PackedRecords.hash(originHost.hashCode() * 31 + endToEnd);
        }
    }

    private final long windowNanos;
    private final int maxEntries;
    private final Function<byte[], DiameterMessage> decoder;
    /** Answers to come, oldest first; bounded in case an answer is never sent (its connection went away). */
    private final Map<Key, CompletableFuture<DiameterMessage>> pending;
    /** Answers sent: key bytes, expiry (nanoTime), wire bytes. */
    private final PackedRecords sent = new PackedRecords(4096);

    AnswerCache(long windowNanos, int maxEntries, Function<byte[], DiameterMessage> decoder) {
        this.windowNanos = windowNanos;
        this.maxEntries = maxEntries;
        this.decoder = decoder;
        this.pending = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, CompletableFuture<DiameterMessage>> eldest) {
                return size() > maxEntries;
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
        byte[] wire = null;
        CompletableFuture<DiameterMessage> coming = null;
        synchronized (this) {
            if (request.isRetransmitted()) {
                coming = pending.get(key);
                if (coming == null) {
                    int off = sent.find(key.bytes(), key.hash());
                    if (off >= 0 && sent.time(off) - now > 0) {
                        wire = sent.value(off);
                    }
                }
            }
            if (coming == null && wire == null) {
                pending.put(key, answer);
                return null;
            }
        }
        return coming != null ? coming : CompletableFuture.completedFuture(decoder.apply(wire));
    }

    /** The answer recorded for this request went out as {@code wire}: keep those bytes instead of the message. */
    synchronized void sent(String originHost, int endToEnd, CompletableFuture<DiameterMessage> answer, byte[] wire) {
        Key key = new Key(originHost, endToEnd);
        if (!pending.remove(key, answer)) { // replaced by a newer request with the same ids, or evicted
            return;
        }
        long now = System.nanoTime();
        for (int off = sent.oldest(); off >= 0 && (sent.time(off) - now <= 0 || sent.size() >= maxEntries);
             off = sent.oldest()) {
            sent.remove(off);
        }
        sent.put(key.bytes(), key.hash(), wire, now + windowNanos);
    }

    synchronized int size() {
        return pending.size() + sent.size();
    }
}
