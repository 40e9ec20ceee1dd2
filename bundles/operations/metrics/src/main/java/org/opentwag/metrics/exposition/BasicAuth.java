package org.opentwag.metrics.exposition;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * HTTP basic authentication of scrapers (RFC 7617) against one configured user and password. The comparison takes
 * the same time whatever the guess: both sides are hashed to a fixed length first, then compared with
 * {@link MessageDigest#isEqual}, so neither content nor length of the secret leaks through timing.
 */
public final class BasicAuth {

    private final byte[] expected;

    public BasicAuth(String user, String password) {
        this.expected = sha256(user + ":" + password);
    }

    /** Whether an Authorization header value carries the configured user and password. */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        return MessageDigest.isEqual(expected, sha256(credentials));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException everyJdkHasIt) {
            throw new IllegalStateException(everyJdkHasIt);
        }
    }
}
