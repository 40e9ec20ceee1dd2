package org.opentwag.api.radius;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * RFC 5080 section 2.2.2 duplicate detection for a RADIUS server. A request is identified by source address and port,
 * the local port it arrived on, its Identifier and its Request Authenticator. The first copy is admitted; a
 * retransmission while it is in progress is dropped (never processed twice); one arriving after the answer gets the
 * same answer octets. Bounded in size and time.
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
    Admission admit(Key key);

    /** Stores the answer sent for this request, for retransmissions within the window. */
    void answered(Key key, byte[] response);

    /** Forgets a request that got no answer, so that the AP's retransmission is processed afresh. */
    void abandon(Key key);

    /** How the running RADIUS server sends an answer to an AP from its own listener on the request's local port. */
    @FunctionalInterface
    interface Listener {
        /** @return false when this server has no listener on {@code key.localPort()} (nothing sent) */
        boolean send(Key key, byte[] answer);
    }

    /**
     * The running server's listener, once bound: answers of requests whose own server stopped listening go out
     * through it from now on, first those held meanwhile.
     */
    void listening(Listener listener);

    /** The server of this listener stops listening (nothing happens if another one has taken its place since). */
    void notListening(Listener listener);

    /**
     * Sends the answer of a request whose server stopped listening before the answer came (a bundle:update of
     * radius-server while accounting waited for its database): through the running server's listener, or, between
     * two servers, as soon as the next one listens. Held at most a few seconds, as long as an AP waits; without
     * this the AP, whose retransmissions were dropped as in progress, never gets it.
     */
    void sendLate(Key key, byte[] answer);

    /** Live entries (in progress and answered). */
    int size();
}
