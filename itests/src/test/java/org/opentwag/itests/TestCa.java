package org.opentwag.itests;

import static org.opentwag.itests.FreeDiameter.mustRun;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A throwaway CA made with openssl (an independent tool) for TLS tests, and certificates it signs: name.key and
 * name.crt (PEM, for freeDiameter), name.p12 (for our node), and trust.p12 holding only the CA.
 */
final class TestCa {
    static final String PASSWORD = "changeit";
    private final Path dir;

    TestCa(Path dir) throws Exception {
        this.dir = dir;
        mustRun("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", file("ca.key"), "-out", file("ca.crt"), "-subj", "/CN=OpenTWAG test CA", "-days", "2");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("trust.p12"))) {
            trust.store(out, PASSWORD.toCharArray());
        }
    }

    String file(String name) {
        return dir.resolve(name).toString();
    }

    String ca() {
        return file("ca.crt");
    }

    String trustStore() {
        return file("trust.p12");
    }

    /** name.key and name.crt, subject CN {@code dnsName}, and (when {@code subjectAltName}) the same as DNS name. */
    TestCa certificate(String name, String dnsName, boolean subjectAltName) throws Exception {
        List<String> req = new ArrayList<>(List.of("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", file(name + ".key"), "-subj", "/CN=" + dnsName,
                "-out", file(name + ".csr")));
        if (subjectAltName) {
            req.addAll(List.of("-addext", "subjectAltName=DNS:" + dnsName));
        }
        mustRun(req.toArray(String[]::new));
        mustRun("openssl", "x509", "-req", "-in", file(name + ".csr"), "-CA", file("ca.crt"), "-CAkey", file("ca.key"),
                "-CAcreateserial", "-days", "2", "-copy_extensions", "copy", "-out", file(name + ".crt"));
        return this;
    }

    /**
     * name.key and name.crt for a RadSec peer: subject CN {@code cn}, the subjectAltName {@code san} (e.g.
     * "DNS:localhost,IP:127.0.0.1") and the extendedKeyUsage {@code usage} (serverAuth or clientAuth).
     */
    TestCa certificate(String name, String cn, String san, String usage) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + san + "\nextendedKeyUsage=" + usage + "\n");
        mustRun("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", file(name + ".key"), "-subj", "/CN=" + cn, "-out", file(name + ".csr"));
        mustRun("openssl", "x509", "-req", "-in", file(name + ".csr"), "-CA", file("ca.crt"), "-CAkey", file("ca.key"),
                "-CAcreateserial", "-days", "2", "-extfile", file(name + ".ext"), "-out", file(name + ".crt"));
        return this;
    }

    /**
     * The settings ("file.cfg:key" to value, as {@link StandaloneDistribution#start} takes them) that turn RadSec on
     * at {@code port} with the certificate {@code name} of {@link #certificate(String, String, String, String)},
     * trusting this CA for the access points' certificates.
     */
    Map<String, String> radsecSettings(int port, String name) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("org.opentwag.radius.cfg:radsecEnabled", "true");
        settings.put("org.opentwag.radius.cfg:radsecPort", String.valueOf(port));
        settings.put("org.opentwag.radius.cfg:radsecCertificate", file(name + ".crt"));
        settings.put("org.opentwag.radius.cfg:radsecPrivateKey", file(name + ".key"));
        settings.put("org.opentwag.radius.cfg:radsecCaCertificates", ca());
        return settings;
    }

    /** name.p12: the key and certificate of {@link #certificate} with the CA, for a node's key store. */
    String keyStore(String name) throws Exception {
        mustRun("openssl", "pkcs12", "-export", "-in", file(name + ".crt"), "-inkey", file(name + ".key"), "-certfile",
                file("ca.crt"), "-name", "node", "-passout", "pass:" + PASSWORD, "-out", file(name + ".p12"));
        return file(name + ".p12");
    }
}
