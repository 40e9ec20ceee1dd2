package org.opentwag.state.hazelcast;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One cluster key as the operator gives it (base64 of at least 16 random bytes, {@code openssl rand -base64 32}),
 * with the one-byte id that sealed values carry so that a reader knows which of its keys to try.
 *
 * <p>The id is derived from the key (the first byte of an HMAC of a fixed label), so the operator manages no ids:
 * two keys share an id once in 256, and then the reader simply tries both (GCM's tag tells which one is right).
 * The key itself is never used for encryption: each writer derives its own AES key from it (see
 * {@link SealedValueCipher}).
 */
final class ClusterKey {

    /** Below 128 bits a key could be guessed; the docs ask for 256. */
    static final int MIN_BYTES = 16;

    private final byte[] secret;
    private final byte id;

    private ClusterKey(byte[] secret) {
        this.secret = secret.clone();
        this.id = hmac(secret, "opentwag cluster key id".getBytes(StandardCharsets.US_ASCII))[0];
    }

    byte id() {
        return id;
    }

    /** HMAC-SHA256 under this key: the derivation of per-writer AES keys. */
    byte[] derive(byte[] label) {
        return hmac(secret, label);
    }

    /**
     * The key from its configured text. The message of the exception says what is wrong and never contains the
     * text (it may be the key, or most of it).
     */
    static ClusterKey parse(String configured, String setting) {
        String text = configured == null ? "" : configured.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException(setting + " is empty");
        }
        if (text.contains("$[")) {
            // Config Admin's interpolation left the reference as it was: the variable or the secret file is missing.
            throw new IllegalArgumentException(setting + " is a reference that did not resolve (" + referenceName(text)
                    + "): the environment variable or the file in etc/ is missing");
        }
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException(setting + " is not base64 (make one with: openssl rand -base64 32)");
        }
        if (secret.length < MIN_BYTES) {
            throw new IllegalArgumentException(setting + " has " + secret.length + " bytes; at least " + MIN_BYTES
                    + " are needed, 32 recommended (openssl rand -base64 32)");
        }
        return new ClusterKey(secret);
    }

    /** "k1, k2" (commas or blanks) into keys, for clusterPreviousKeys; empty text gives no key. */
    static List<ClusterKey> parseList(String configured, String setting) {
        List<ClusterKey> keys = new ArrayList<>();
        if (configured != null) {
            int n = 0;
            for (String k : configured.split("[,\\s]+")) {
                if (!k.isBlank()) {
                    n++;
                    keys.add(parse(k, setting + " #" + n));
                }
            }
        }
        return keys;
    }

    /** "$[secret:cluster.key]" gives "secret:cluster.key": the name of the reference, not a value. */
    private static String referenceName(String reference) {
        int end = reference.indexOf(']');
        int start = reference.indexOf("$[") + 2;
        String name = end > start ? reference.substring(start, end) : reference.substring(start);
        return name.length() > 80 ? name.substring(0, 80) : name;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
