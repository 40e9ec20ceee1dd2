package org.opentwag.session.access;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Chargeable-User-Identity (RFC 4372): a stable, opaque name for a subscriber that the AP and its operator can bill and
 * correlate by without learning the IMSI. It is a keyed hash of the IMSI (HMAC-SHA-256, 128 bits shown) under the
 * operator's key, prefixed by that key's id: the same for every login and every node holding the key, different for
 * every operator key, and changed on purpose by rotating the key (the prefix tells billing which key made it).
 */
public final class ChargeableUserIdentities {

    private static final String ALGORITHM = "HmacSHA256";
    private static final int SHOWN_BYTES = 16;
    /** Smallest key accepted: 128 bits, as for the other keys the product keeps. */
    public static final int MIN_KEY_BYTES = 16;

    private final String keyId;
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    /**
     * @param keyId  the key's name, shown in every identity it makes (letters and digits)
     * @param secret at least {@link #MIN_KEY_BYTES} bytes
     */
    public ChargeableUserIdentities(String keyId, byte[] secret) {
        if (keyId == null || !keyId.matches("[A-Za-z0-9]{1,16}")) {
            throw new IllegalArgumentException("key id must be 1 to 16 letters or digits");
        }
        if (secret == null || secret.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("key shorter than " + MIN_KEY_BYTES + " bytes");
        }
        this.keyId = keyId;
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** The identity of the subscriber with this IMSI, e.g. {@code 1.4f0c...} (key id, dot, 32 hex digits). */
    public String of(String imsi) {
        Mac mac = macs.get();
        byte[] h = mac.doFinal(imsi.getBytes(StandardCharsets.US_ASCII));
        return keyId + '.' + HexFormat.of().formatHex(h, 0, SHOWN_BYTES);
    }

    public String keyId() {
        return keyId;
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance(ALGORITHM);
            m.init(key);
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 unavailable", e);
        }
    }
}
