package org.opentwag.support;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Helpers to talk about key material without revealing it (logs, shell, dashboard).
 */
public final class Secrets {
    private Secrets() {
    }

    /** A short, non-reversible fingerprint of key material: the first 4 bytes of its SHA-256, in hex. */
    public static String fingerprint(byte[] secret) {
        if (secret == null) {
            return "none";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret);
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
