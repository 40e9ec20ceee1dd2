package org.opentwag.support.simaka;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * An encrypted permanent identity (IMSI privacy, WBA / 3GPP TS 33.402 as Android and wpa_supplicant send it): a NUL,
 * the base64 of the RSA-OAEP ciphertext of the permanent identity ({@code 0<IMSI>@realm}), then optionally a comma and
 * the key identifier the phone was given with the carrier's certificate (e.g. {@code CertificateSerialNumber=...}).
 * It comes in AT_IDENTITY, or (some phones) in EAP-Response/Identity. Only the wire format here; decryption is
 * eap-sim-aka's.
 *
 * @param ciphertext    the RSA-OAEP ciphertext
 * @param keyIdentifier what follows the comma, or empty when the phone named no key
 */
public record EncryptedIdentity(byte[] ciphertext, Optional<String> keyIdentifier) {

    /** Whether an identity is in the encrypted form (starts with NUL and has more). */
    public static boolean isEncrypted(String identity) {
        return identity != null && identity.length() > 1 && identity.charAt(0) == '\0';
    }

    /** Whether identity bytes (AT_IDENTITY, EAP-Response/Identity) are in the encrypted form. */
    public static boolean isEncrypted(byte[] identity) {
        return identity != null && identity.length > 1 && identity[0] == 0;
    }

    /** Parses the encrypted form; {@link IllegalArgumentException} when it is not one or its base64 is broken. */
    public static EncryptedIdentity parse(String identity) {
        if (!isEncrypted(identity)) {
            throw new IllegalArgumentException("not an encrypted identity (no leading NUL)");
        }
        int comma = identity.indexOf(',', 1);
        String b64 = comma < 0 ? identity.substring(1) : identity.substring(1, comma);
        String keyId = comma < 0 ? "" : identity.substring(comma + 1).trim();
        byte[] ciphertext;
        try {
            ciphertext = Base64.getMimeDecoder().decode(b64.trim().getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("encrypted identity is not base64");
        }
        if (ciphertext.length < 64) {
            throw new IllegalArgumentException("encrypted identity of " + ciphertext.length
                    + " bytes is shorter than any RSA ciphertext we accept");
        }
        return new EncryptedIdentity(ciphertext, keyId.isEmpty() ? Optional.empty() : Optional.of(keyId));
    }

    /** What a log line may say about an encrypted identity: its size and key identifier, never the ciphertext. */
    public static String describe(String identity) {
        if (!isEncrypted(identity)) {
            return identity;
        }
        int comma = identity.indexOf(',', 1);
        String keyId = comma < 0 ? "none" : identity.substring(comma + 1);
        if (keyId.length() > 64) {
            keyId = keyId.substring(0, 64) + "...";
        }
        return "<encrypted identity, key " + keyId.replaceAll("[^\\x20-\\x7e]", "?") + ">";
    }

    @Override
    public String toString() {
        return "EncryptedIdentity[" + ciphertext.length + " bytes, key=" + keyIdentifier.orElse("none") + "]";
    }
}
