package org.opentwag.api.trace;

import java.io.Serializable;

/**
 * One step of an authentication attempt, as the subscriber trace lists it. Details never hold key material (no
 * RAND-derived keys, RES, XRES, CK, IK, MSK); a RAND or AUTN is not shown either.
 *
 * @param atMillis when it happened (epoch milliseconds)
 * @param kind     what happened
 * @param detail   a short human text
 */
public record TraceStep(long atMillis, Kind kind, String detail) implements Serializable {

    public enum Kind {
        /** EAP-Response/Identity (or AT_IDENTITY) received. */
        IDENTITY,
        /** The EAP method chosen for the identity. */
        METHOD,
        /** Vectors asked of the HSS (MAR) or the local source. */
        VECTORS_REQUESTED,
        /** The HSS's answer to that request. */
        VECTORS_ANSWER,
        /** An EAP-Request sent to the phone (challenge, identity round, notification). */
        CHALLENGE_SENT,
        /** The phone's response checked (RES, AT_MAC). */
        RESPONSE_CHECKED,
        /** Sequence-number resynchronisation (AUTS). */
        RESYNC,
        /** What charging decided. */
        CHARGING,
        /** Access-Accept sent. */
        ACCEPT,
        /** Access-Reject sent, with its reason. */
        REJECT,
        /** The AP's Accounting Start for the session. */
        ACCOUNTING_START,
        /** The AP's Accounting Stop for the session. */
        ACCOUNTING_STOP
    }
}
