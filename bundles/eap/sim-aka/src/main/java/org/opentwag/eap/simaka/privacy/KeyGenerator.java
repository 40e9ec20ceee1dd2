package org.opentwag.eap.simaka.privacy;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A new IMSI privacy key pair: RSA from the JDK, a self-signed X.509 certificate (key usage keyEncipherment) from
 * Bouncy Castle, whose builder the JDK lacks. Phones trust the certificate because the carrier configuration or the
 * profile delivers it, not through a chain, so self-signed is what operators publish.
 */
public final class KeyGenerator {

    private KeyGenerator() {
    }

    /**
     * @param name          the key's name in the configuration
     * @param subject       the certificate's subject, e.g. {@code CN=IMSI privacy 2026, O=Operator}
     * @param keyIdentifier null = {@link ImsiPrivacyKey#defaultIdentifier}
     */
    public static ImsiPrivacyKey generate(String name, String subject, int bits, int validDays, String keyIdentifier) {
        if (bits < ImsiPrivacyKey.MIN_BITS) {
            throw new IllegalArgumentException("RSA keys of IMSI privacy need at least " + ImsiPrivacyKey.MIN_BITS
                    + " bits, not " + bits);
        }
        if (validDays < 1 || validDays > 3650) {
            throw new IllegalArgumentException("validity of " + validDays + " days is not within 1..3650");
        }
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(bits, random);
            KeyPair pair = gen.generateKeyPair();
            Instant now = Instant.now();
            X500Name dn = new X500Name(subject);
            // 63 random bits: positive, unique in practice, and short enough for a readable key identifier.
            BigInteger serial = new BigInteger(63, random).max(BigInteger.ONE);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(dn, serial,
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(validDays))),
                    dn, pair.getPublic());
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyEncipherment));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
            return new ImsiPrivacyKey(name, keyIdentifier == null || keyIdentifier.isBlank()
                    ? ImsiPrivacyKey.defaultIdentifier(cert) : keyIdentifier,
                    (RSAPrivateKey) pair.getPrivate(), cert, true);
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("could not generate an IMSI privacy key: " + e.getMessage(), e);
        }
    }
}
