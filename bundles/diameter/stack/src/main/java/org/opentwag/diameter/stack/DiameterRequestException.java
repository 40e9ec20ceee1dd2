package org.opentwag.diameter.stack;

/** Why a request sent with {@link DiameterService#send} got no answer. */
public class DiameterRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** No answer within the request timeout. */
        TIMEOUT,
        /** No open peer serves the destination realm/host and application (DIAMETER_UNABLE_TO_DELIVER). */
        NO_ROUTE,
        /** The peer went down with the request pending and no other open peer could take it. */
        PEER_DOWN,
        /** The node is shutting down. */
        NODE_CLOSED,
        /**
         * Dropped here by DOIC (RFC 7683) loss abatement: the destination host or realm sent an overload report and
         * no other peer could take the request.
         */
        OVERLOADED
    }

    private final Reason reason;

    public DiameterRequestException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
