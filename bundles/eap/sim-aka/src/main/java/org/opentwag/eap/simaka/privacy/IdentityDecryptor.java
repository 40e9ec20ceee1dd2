package org.opentwag.eap.simaka.privacy;

/**
 * Turns an encrypted permanent identity (IMSI privacy) back into the permanent identity, with the server's RSA private
 * keys; eap-aka and eap-sim reference it as a service. Implementations count every outcome by reason.
 */
public interface IdentityDecryptor {

    /**
     * The permanent identity ({@code 0<IMSI>@realm}, {@code 6...}, {@code 1...}) inside an encrypted identity.
     *
     * @param encryptedIdentity NUL, base64 ciphertext, optionally a comma and the key identifier
     * @throws IdentityDecryptionException when it is malformed, names an unknown key, does not decrypt, or is not a
     *                                     permanent identity
     */
    String decrypt(String encryptedIdentity) throws IdentityDecryptionException;

    /** Whether any key is configured (a server without keys does not ask phones for encrypted identities). */
    boolean available();
}
