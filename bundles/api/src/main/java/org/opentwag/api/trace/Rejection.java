package org.opentwag.api.trace;

import java.io.Serializable;

import org.opentwag.api.vectors.VectorSourceException;

/**
 * One Access-Reject's reason, typed, with the HSS's Diameter result code when it gave one and a short detail for
 * logs (never key material).
 *
 * @param reason     the reason label
 * @param resultCode the Diameter Result-Code or Experimental-Result-Code behind it, 0 when none
 * @param detail     a short human text
 */
public record Rejection(RejectReason reason, long resultCode, String detail) implements Serializable {

    public Rejection {
        if (reason == null) {
            throw new IllegalArgumentException("a rejection has a reason");
        }
        detail = detail == null ? "" : detail;
    }

    public static Rejection of(RejectReason reason, String detail) {
        return new Rejection(reason, 0, detail);
    }

    /** The rejection a vector source's failure leads to, with the HSS's result code. */
    public static Rejection of(VectorSourceException e) {
        return new Rejection(RejectReason.of(e.reason()), e.resultCode(), e.getMessage());
    }

    /** As logged and shown: {@code hss_error(5004): detail}. */
    @Override
    public String toString() {
        return reason.label() + (resultCode != 0 ? "(" + resultCode + ")" : "") + (detail.isEmpty() ? "" : ": " + detail);
    }
}
