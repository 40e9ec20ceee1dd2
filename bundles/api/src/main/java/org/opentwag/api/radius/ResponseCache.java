package org.opentwag.api.radius;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * RFC 5080 section 2.2.2 duplicate detection for a RADIUS server. A request is identified by source address and port,
 * the local port it arrived on, its Identifier and its Request Authenticator. The first copy is admitted; a
 * retransmission while it is in progress is not processed again, and the answer goes out through the listener that
 * received the latest copy; one arriving after the answer gets the same answer octets. Bounded in size and time.
 *
 * <p>Plain Java, thread-safe. The instance normally lives outside the RADIUS server's bundle (see
 * {@link RadiusServerState}) so that a {@code bundle:update} of that bundle keeps it.
 */
public interface ResponseCache {

    /** The identity of a request for duplicate detection. */
    record Key(InetAddress source, int sourcePort, int localPort, int identifier, long authenticatorHigh,
               long authenticatorLow) {
        public static Key of(InetAddress source, int sourcePort, int localPort, int identifier, byte[] authenticator) {
            ByteBuffer buffer = ByteBuffer.wrap(authenticator);
            return new Key(source, sourcePort, localPort, identifier, buffer.getLong(), buffer.getLong());
        }

        // Written out: the Request Authenticator is 16 random bytes, already a good hash, and this runs for every
        // request (the generated record methods went through six field handles each time).
        @Override
        public int hashCode() {
            return Long.hashCode(authenticatorHigh ^ authenticatorLow) * 31 + identifier;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && authenticatorHigh == k.authenticatorHigh
                    && authenticatorLow == k.authenticatorLow && identifier == k.identifier
                    && sourcePort == k.sourcePort && localPort == k.localPort && source.equals(k.source);
        }
    }

    /** What to do with an arriving request. */
    enum Verdict { NEW, IN_PROGRESS, ANSWERED }

    /** The verdict, with the cached answer when {@link Verdict#ANSWERED}. */
    record Admission(Verdict verdict, byte[] cachedResponse) {
        public static final Admission NEW = new Admission(Verdict.NEW, null);
        public static final Admission IN_PROGRESS = new Admission(Verdict.IN_PROGRESS, null);
    }

    /** Records the request as in progress if it is new; otherwise says what it is. */
    default Admission admit(Key key) {
        return admit(key, null);
    }

    /**
     * As {@link #admit(Key)}; a retransmission of a request in progress also leaves {@code sendAnswer} as the way its
     * answer goes out (the latest copy's wins). Why: after a restart of the RADIUS server the first copy's listener
     * is closed, and without this an answer that comes later than every retransmission reaches nobody.
     */
    Admission admit(Key key, Consumer<byte[]> sendAnswer);

    /**
     * Stores the answer sent for this request, for retransmissions within the window.
     *
     * @return how the latest retransmission that came in while the request was in progress asked its answer to be
     *         sent, or null when none did (the first copy's listener sends it)
     */
    Consumer<byte[]> answered(Key key, byte[] response);

    /** Forgets a request that got no answer, so that the AP's retransmission is processed afresh. */
    void abandon(Key key);

    /** Live entries (in progress and answered). */
    int size();
}
