package org.opentwag.eap.simaka.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.opentwag.eap.simaka.privacy.IdentityDecryptionException.Reason;
import org.opentwag.support.simaka.EncryptedIdentity;
import org.opentwag.support.simaka.PeerIdentity;

/**
 * The IMSI privacy keys in force (several during a rotation) and the decryption of encrypted permanent identities.
 *
 * <p>RSA-OAEP with SHA-256 and the empty label. wpa_supplicant (crypto_openssl.c: EVP_PKEY_CTX_set_rsa_oaep_md
 * SHA-256, MGF1 digest left to default = the OAEP digest) uses MGF1 with SHA-256; Android's Wi-Fi stack encrypts with
 * the JCA transformation "RSA/ECB/OAEPwithSHA-256andMGF1Padding" without parameters, whose MGF1 digest defaults to
 * SHA-1. So MGF1-SHA-256 is tried first, then MGF1-SHA-1; OAEP's integrity check tells a wrong guess (and a wrong
 * key) apart, so trying costs one RSA operation more and accepts nothing false.
 *
 * <p>The key is the one whose identifier the phone named; when it named none, each key is tried in order.
 */
public final class ImsiPrivacyKeyRing implements IdentityDecryptor {

    private static final List<OAEPParameterSpec> OAEP = List.of(
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT),
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT));

    private final List<ImsiPrivacyKey> keys;

    public ImsiPrivacyKeyRing(List<ImsiPrivacyKey> keys) {
        List<String> ids = new ArrayList<>();
        for (ImsiPrivacyKey k : keys) {
            if (ids.contains(k.keyIdentifier())) {
                throw new IllegalArgumentException("two keys with the identifier " + k.keyIdentifier());
            }
            ids.add(k.keyIdentifier());
        }
        this.keys = List.copyOf(keys);
    }

    public static ImsiPrivacyKeyRing empty() {
        return new ImsiPrivacyKeyRing(List.of());
    }

    public List<ImsiPrivacyKey> keys() {
        return keys;
    }

    @Override
    public boolean available() {
        return !keys.isEmpty();
    }

    @Override
    public String decrypt(String encryptedIdentity) throws IdentityDecryptionException {
        if (keys.isEmpty()) {
            throw new IdentityDecryptionException(Reason.NO_KEY, "no IMSI privacy key is configured");
        }
        EncryptedIdentity enc;
        try {
            enc = EncryptedIdentity.parse(encryptedIdentity);
        } catch (IllegalArgumentException e) {
            throw new IdentityDecryptionException(Reason.MALFORMED, e.getMessage());
        }
        List<ImsiPrivacyKey> candidates = candidates(enc.keyIdentifier());
        if (candidates.isEmpty()) {
            throw new IdentityDecryptionException(Reason.UNKNOWN_KEY, "no IMSI privacy key with the identifier '"
                    + printable(enc.keyIdentifier().orElse("")) + "'");
        }
        for (ImsiPrivacyKey key : candidates) {
            byte[] plain = decrypt(key, enc.ciphertext());
            if (plain != null) {
                String identity = new String(plain, StandardCharsets.UTF_8);
                try {
                    if (PeerIdentity.parse(identity).kind() == PeerIdentity.Kind.PERMANENT) {
                        return identity;
                    }
                } catch (IllegalArgumentException e) {
                    // falls through: not a permanent identity
                }
                throw new IdentityDecryptionException(Reason.NOT_PERMANENT, "the encrypted identity (key "
                        + key.keyIdentifier() + ") is not a permanent identity");
            }
        }
        throw new IdentityDecryptionException(Reason.UNDECRYPTABLE, "RSA-OAEP decryption failed with "
                + (candidates.size() == 1 ? "key " + candidates.get(0).keyIdentifier()
                : "each of the " + candidates.size() + " keys"));
    }

    private List<ImsiPrivacyKey> candidates(Optional<String> keyIdentifier) {
        if (keyIdentifier.isEmpty()) {
            return keys;
        }
        String wanted = keyIdentifier.get();
        for (ImsiPrivacyKey k : keys) {
            if (k.keyIdentifier().equals(wanted)) {
                return List.of(k);
            }
        }
        return List.of();
    }

    /** The plaintext, or null when this key (with either MGF1 digest) does not decrypt it. */
    private static byte[] decrypt(ImsiPrivacyKey key, byte[] ciphertext) {
        for (OAEPParameterSpec spec : OAEP) {
            try {
                Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
                c.init(Cipher.DECRYPT_MODE, key.privateKey(), spec);
                return c.doFinal(ciphertext);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // wrong key, wrong MGF1 digest or damaged ciphertext: try the next
            }
        }
        return null;
    }

    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 64 ? p.substring(0, 64) + "..." : p;
    }
}
