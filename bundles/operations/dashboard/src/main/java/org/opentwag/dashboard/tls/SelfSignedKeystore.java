package org.opentwag.dashboard.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the dashboard's HTTPS identity when the operator configured none: an EC P-256 key and a self-signed X.509
 * certificate for this host's names (and localhost/127.0.0.1), in a PKCS#12 file Pax Web reads. An existing file is
 * never touched, so a real certificate put in its place stays.
 */
public final class SelfSignedKeystore {

    /** Browsers refuse leaf certificates valid for more than ~13 months only when issued by public CAs. */
    static final Duration VALIDITY = Duration.ofDays(3650);

    /** A private instance: registering BC globally would outlive a bundle update. */
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private SelfSignedKeystore() {
    }

    /**
     * Creates the keystore unless the file exists.
     *
     * @param names DNS names or IP literals the certificate is for; the first is its common name
     * @return true when a new keystore was written
     */
    public static boolean ensure(Path file, char[] storePassword, char[] keyPassword, String alias, List<String> names)
            throws IOException, GeneralSecurityException {
        if (Files.exists(file)) {
            return false;
        }
        KeyStore store = create(storePassword, keyPassword, alias, names, Instant.now());
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".opentwag-web", ".p12");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING)) {
                store.store(out, storePassword);
            }
            restrictToOwner(tmp);
            // Atomic, so Pax Web never reads half a file.
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return true;
    }

    static KeyStore create(char[] storePassword, char[] keyPassword, String alias, List<String> names, Instant now)
            throws IOException, GeneralSecurityException {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one name");
        }
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair pair = kpg.generateKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "OpenTWAG")
                .addRDN(BCStyle.CN, names.get(0)).build();
        BigInteger serial = new BigInteger(64, new SecureRandom()).setBit(63);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
        List<GeneralName> alt = new ArrayList<>();
        for (String n : names) {
            alt.add(isIpLiteral(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n));
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt.toArray(GeneralName[]::new)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509CertificateHolder holder;
        try {
            holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC)
                    .build(pair.getPrivate()));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the certificate", e);
        }
        // The JDK's own certificate object, so the keystore holds nothing tied to the BC provider.
        X509Certificate cert = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(holder.getEncoded()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(alias, pair.getPrivate(), keyPassword, new Certificate[]{cert});
        return store;
    }

    /** This host's names: its hostname (when it resolves), localhost and the loopback address. */
    public static List<String> defaultNames() {
        Set<String> names = new LinkedHashSet<>();
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (host != null && !host.isBlank() && !isIpLiteral(host)) {
                names.add(host);
            }
        } catch (IOException unresolvable) {
            // a host without a resolvable name still gets localhost
        }
        names.add("localhost");
        names.add("127.0.0.1");
        return List.copyOf(names);
    }

    static boolean isIpLiteral(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    private static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException notPosix) {
            // Windows: the directory's ACL applies
        }
    }
}
