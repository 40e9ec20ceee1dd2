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
    private final long resultCode;

    public VectorSourceException(Reason reason, String message) {
        this(reason, 0, message);
    }

    /** @param resultCode the HSS's Diameter Result-Code or Experimental-Result-Code, 0 when none */
    public VectorSourceException(Reason reason, long resultCode, String message) {
        super(message);
        this.reason = reason;
        this.resultCode = resultCode;
    }

    public VectorSourceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.resultCode = 0;
    }

    public Reason reason() {
        return reason;
    }

    /** The HSS's Diameter result code behind this failure, 0 when there was no answer or no code. */
    public long resultCode() {
        return resultCode;
    }
}
