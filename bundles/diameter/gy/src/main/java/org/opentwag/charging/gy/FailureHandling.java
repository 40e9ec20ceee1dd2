package org.opentwag.charging.gy;

import org.opentwag.diameter.codec.CreditControlApplication.CreditControlFailureHandling;

/**
 * Credit-Control-Failure-Handling (RFC 4006 8.14, 5.7): what to do when the OCS does not answer within Tx, cannot be
 * reached, or answers with a protocol error (3xxx). The OCS may set it per session in its CCA, overriding the
 * configured one.
 */
public enum FailureHandling {
    /** Refuse the session at CCR-I; disconnect it at CCR-U. */
    TERMINATE(CreditControlFailureHandling.TERMINATE),
    /** Let the session go on: at CCR-I without credit control, at CCR-U with one more local chunk. */
    CONTINUE(CreditControlFailureHandling.CONTINUE),
    /** Send the request once more (the stack routes it to another open OCS peer if there is one), then terminate. */
    RETRY_AND_TERMINATE(CreditControlFailureHandling.RETRY_AND_TERMINATE);

    private final int code;

    FailureHandling(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static FailureHandling of(int code) {
        for (FailureHandling f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        throw new IllegalArgumentException("Credit-Control-Failure-Handling " + code);
    }

    /** Parses a configuration value (case and '-' / '_' insensitive). */
    public static FailureHandling parse(String text) {
        return valueOf(text.trim().toUpperCase().replace('-', '_'));
    }
}
