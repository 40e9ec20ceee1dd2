package org.opentwag.api.eap;

import org.opentwag.api.trace.RejectReason;
import org.opentwag.api.trace.Rejection;

/**
 * What an {@link EapMethod} decided after a response: send another request, succeed, or fail.
 */
public sealed interface EapStep {

    /** Send this EAP-Request (the whole EAP packet, header included) in an Access-Challenge. */
    record Continue(byte[] eapRequest) implements EapStep {
    }

    /** The peer is authenticated; the engine sends EAP-Success in an Access-Accept carrying the keys. */
    record Success(EapAuthentication authentication) implements EapStep {
    }

    /**
     * The peer is not authenticated; the engine sends EAP-Failure in an Access-Reject.
     *
     * @param rejection why, typed, with a short human detail for the log (never key material)
     */
    record Failure(Rejection rejection) implements EapStep {

        public Failure(RejectReason reason, String detail) {
            this(Rejection.of(reason, detail));
        }

        /** A failure the peer caused (malformed or out-of-order messages). */
        public Failure(String detail) {
            this(Rejection.of(RejectReason.PEER_ERROR, detail));
        }

        /** The reason as logged. */
        public String reason() {
            return rejection.toString();
        }
    }
}
