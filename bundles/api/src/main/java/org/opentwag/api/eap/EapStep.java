package org.opentwag.api.eap;

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
     * @param reason a short human reason for the log (never key material)
     */
    record Failure(String reason) implements EapStep {
    }
}
