package org.opentwag.api.trace;

import org.opentwag.api.vectors.VectorSourceException;

/**
 * Why an Access-Reject was sent: the one label set for the reject-reason metric, the overview's chart, the
 * "Authentication REJECTED" log line and the subscriber trace. Every Access-Reject carries exactly one.
 */
public enum RejectReason {
    /** The HSS (or the local vector store) does not know the subscriber. */
    UNKNOWN_SUBSCRIBER("unknown_subscriber"),
    /** The HSS answered with an error (its Diameter result code goes with it) or could not be reached. */
    HSS_ERROR("hss_error"),
    /** The challenge did not verify: RES or AT_MAC wrong at our side, or AUTN (its MAC) wrong at the phone's. */
    AUTH_MISMATCH("mac_res_mismatch"),
    /** The phone reported a sequence-number failure and the HSS refused its AUTS (or it failed twice). */
    RESYNC_FAILED("resync_failed"),
    /** The identity could not be parsed or no usable identity came out of the identity rounds. */
    IDENTITY_MALFORMED("identity_malformed"),
    /** No EAP method we serve fits (no EAP, a Nak for nothing we have, a scheme the HSS refuses). */
    METHOD_NOT_ALLOWED("method_not_allowed"),
    /** Charging (the OCS) refused or failed the session. */
    CHARGING_REFUSED("charging_refused"),
    /** The subscriber may not use this access (no non-3GPP subscription, barred by the HSS). */
    BARRED("barred"),
    /** The server is full (state store) or a service it needs is not running. */
    OVERLOAD("overload"),
    /** The peer broke or abandoned the protocol: malformed packet, unknown State, client error. */
    PEER_ERROR("peer_error"),
    /** A bug or an unexpected exception in the server. */
    INTERNAL_ERROR("internal_error");

    private final String label;

    RejectReason(String label) {
        this.label = label;
    }

    /** The metric label value and the word shown to operators, e.g. {@code mac_res_mismatch}. */
    public String label() {
        return label;
    }

    /** The reason of a vector source's failure. */
    public static RejectReason of(VectorSourceException.Reason reason) {
        return switch (reason) {
            case USER_UNKNOWN -> UNKNOWN_SUBSCRIBER;
            case SCHEME_NOT_SUPPORTED -> METHOD_NOT_ALLOWED;
            case NOT_AUTHORIZED -> BARRED;
            case RESYNC_FAILED -> RESYNC_FAILED;
            case UNAVAILABLE, OTHER -> HSS_ERROR;
        };
    }
}
