package org.opentwag.eap.simaka.privacy;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;

/**
 * One IMSI privacy key pair: the RSA private key the server decrypts with and the certificate phones encrypt with,
 * named in the configuration and on the wire by its key identifier.
 *
 * @param name          its name in the configuration (key.NAME.*)
 * @param keyIdentifier what phones append after the comma of an encrypted identity
 * @param privateKey    RSA, 2048 bits or more
 * @param certificate   holding the matching public key
 * @param published     whether it goes into the carrier-key document
 */
public record ImsiPrivacyKey(String name, String keyIdentifier, RSAPrivateKey privateKey, X509Certificate certificate,
                             boolean published) {

    /** Below this an RSA key is refused (NIST SP 800-131A; the issue asks for 2048 or more). */
    public static final int MIN_BITS = 2048;

    public ImsiPrivacyKey {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("key name '" + name + "' is not 1-64 letters, digits, '.', '_' or '-'");
        }
        if (keyIdentifier == null || keyIdentifier.isBlank() || keyIdentifier.indexOf(',') >= 0) {
            throw new IllegalArgumentException("key " + name + ": key identifier must be non-empty without a comma");
        }
        int bits = privateKey.getModulus().bitLength();
        if (bits < MIN_BITS) {
            throw new IllegalArgumentException("key " + name + " has " + bits + " bits; at least " + MIN_BITS);
        }
        if (!(certificate.getPublicKey() instanceof RSAPublicKey pub)
                || !pub.getModulus().equals(privateKey.getModulus())) {
            throw new IllegalArgumentException("key " + name + ": the certificate does not hold this private key's "
                    + "public key");
        }
        if (privateKey instanceof RSAPrivateCrtKey crt && !crt.getPublicExponent().equals(pub.getPublicExponent())) {
            throw new IllegalArgumentException("key " + name + ": public exponents of key and certificate differ");
        }
    }

    /** The default key identifier of a certificate: {@code CertificateSerialNumber=<decimal serial>} (WBA). */
    public static String defaultIdentifier(X509Certificate certificate) {
        BigInteger serial = certificate.getSerialNumber();
        return "CertificateSerialNumber=" + serial;
    }

    public int bits() {
        return privateKey.getModulus().bitLength();
    }

    /** SHA-256 of the DER certificate, hex. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key stays out of logs. */
    @Override
    public String toString() {
        return "ImsiPrivacyKey[" + name + ", " + keyIdentifier + ", " + bits() + " bits, until "
                + certificate.getNotAfter().toInstant() + "]";
    }
}
