package org.opentwag.radius.server.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI for RadSec tests, made with the openssl CLI: a CA, a server certificate for 127.0.0.1/localhost,
 * and client certificates with chosen names, each as PEM (PKCS#8 keys, as Netty and radsecproxy read them).
 */
final class RadSecTestPki {
    final Path dir;

    private RadSecTestPki(Path dir) {
        this.dir = dir;
    }

    static boolean opensslAvailable() {
        return new java.io.File("/usr/bin/openssl").canExecute();
    }

    /** Creates {@code <ca>.crt/.key} for a CA named {@code ca}. */
    static RadSecTestPki create(Path dir, String ca) throws Exception {
        RadSecTestPki pki = new RadSecTestPki(dir);
        pki.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", dir.resolve(ca + ".key").toString(), "-out", dir.resolve(ca + ".crt").toString(),
                "-days", "2", "-subj", "/CN=" + ca);
        return pki;
    }

    /** Issues {@code <name>.crt/.key} signed by CA {@code ca}, with subject CN {@code cn} and the given SANs. */
    Path issue(String ca, String name, String cn, String subjectAltNames, String extendedKeyUsage) throws Exception {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, "subjectAltName=" + subjectAltNames + "\nextendedKeyUsage=" + extendedKeyUsage + "\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(),
                "-out", csr.toString(), "-subj", "/CN=" + cn);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", dir.resolve(ca + ".crt").toString(),
                "-CAkey", dir.resolve(ca + ".key").toString(), "-CAcreateserial", "-days", "2",
                "-extfile", ext.toString(), "-out", dir.resolve(name + ".crt").toString());
        return dir.resolve(name + ".crt");
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    private void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + new String(out));
        }
    }
}
