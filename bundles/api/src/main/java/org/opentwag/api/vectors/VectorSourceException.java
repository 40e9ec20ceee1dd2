package org.opentwag.api.vectors;

/** Why a vector source could not deliver; the EAP method turns each reason into a clean EAP failure. */
public class VectorSourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The HSS does not know the subscriber (DIAMETER_ERROR_USER_UNKNOWN). */
        USER_UNKNOWN,
        /** The HSS refuses the scheme, e.g. EAP-AKA' (DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED). */
        SCHEME_NOT_SUPPORTED,
        /** The subscriber may not use non-3GPP access (DIAMETER_ERROR_USER_NO_NON_3GPP_SUBSCRIPTION...). */
        NOT_AUTHORIZED,
        /** No peer could answer in time. */
        UNAVAILABLE,
        /** The AUTS did not verify at the HSS. */
        RESYNC_FAILED,
        /** Anything else the source reported. */
        OTHER
    }

    private final Reason reason;

    public VectorSourceException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public VectorSourceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
