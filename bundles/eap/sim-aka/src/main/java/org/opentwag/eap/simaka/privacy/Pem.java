package org.opentwag.eap.simaka.privacy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** PEM reading and writing of IMSI privacy keys and certificates, with the JDK only (PKCS#8 and X.509). */
public final class Pem {

    private Pem() {
    }

    /** An X.509 certificate from PEM text. */
    public static X509Certificate certificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.trim().getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("not a PEM X.509 certificate: " + e.getMessage());
        }
    }

    /**
     * An RSA private key from PKCS#8 PEM ({@code BEGIN PRIVATE KEY}, what {@code openssl genpkey} writes). A
     * PKCS#1 key ({@code BEGIN RSA PRIVATE KEY}) is refused with the command that converts it.
     */
    public static RSAPrivateKey privateKey(String pem) {
        String text = pem.trim();
        if (text.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalArgumentException("PKCS#1 private key: convert it with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in old.key -out new.key'");
        }
        if (text.contains("ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException("encrypted private key: store it unencrypted (owner-only file)");
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException("not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            return (RSAPrivateKey) key;
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException ex) {
            throw new IllegalArgumentException("not an RSA PKCS#8 private key");
        }
    }

    /** PEM text of DER bytes under {@code label} ("CERTIFICATE", "PRIVATE KEY"). */
    public static String encode(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
