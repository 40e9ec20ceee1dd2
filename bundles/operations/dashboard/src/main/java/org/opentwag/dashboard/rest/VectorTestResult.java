package org.opentwag.dashboard.rest;

import org.opentwag.support.Secrets;

/**
 * The guide's "Diameter Test" answer: RAND and AUTN travel in clear over the air anyway, so they are shown;
 * XRES, CK and IK only as length and fingerprint.
 *
 * @param result "success", or the vector source's failure reason (USER_UNKNOWN, TIMEOUT, ...)
 */
public record VectorTestResult(String imsi, String source, String scheme, String result, String message,
                               double elapsedMillis, String rand, String autn, KeyFingerprint xres,
                               KeyFingerprint ck, KeyFingerprint ik) {

    /** Key material as an operator may see it. */
    public record KeyFingerprint(int length, String fingerprint) {
        public static KeyFingerprint of(byte[] secret) {
            return secret == null ? null : new KeyFingerprint(secret.length, Secrets.fingerprint(secret));
        }
    }

    public static VectorTestResult failure(String imsi, String source, String scheme, String reason, String message,
                                           double elapsedMillis) {
        return new VectorTestResult(imsi, source, scheme, reason, message, elapsedMillis, null, null, null, null,
                null);
    }
}
