package org.opentwag.dashboard.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedKeystoreTest {

    private static final char[] PW = "changeit-test".toCharArray();

    @TempDir
    Path dir;

    @Test
    void createsAKeystoreTheJdkLoadsWithASelfSignedServerCertificate() throws Exception {
        Path file = dir.resolve("etc/web.p12");
        assertThat(SelfSignedKeystore.ensure(file, PW, PW, "web", List.of("twag.example.net", "localhost",
                "127.0.0.1"))).isTrue();

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PW);
        }
        assertThat(ks.isKeyEntry("web")).isTrue();
        X509Certificate cert = (X509Certificate) ks.getCertificate("web");
        cert.verify(cert.getPublicKey()); // self-signed: its own key verifies it
        cert.checkValidity();
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=twag.example.net");
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1); // not a CA
        assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1"); // serverAuth
        assertThat(cert.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))).toList())
                .containsExactly("twag.example.net", "localhost", "127.0.0.1");
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void anExistingKeystoreIsNeverReplaced() throws Exception {
        Path file = dir.resolve("web.p12");
        Files.writeString(file, "the operator's own store");
        assertThat(SelfSignedKeystore.ensure(file, PW, PW, "web", List.of("localhost"))).isFalse();
        assertThat(Files.readString(file)).isEqualTo("the operator's own store");
        assertThatThrownBy(() -> SelfSignedKeystore.ensure(dir.resolve("x.p12"), PW, PW, "web", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A JDK TLS client that trusts the certificate and checks the host name (HTTPS rules) completes a handshake. */
    @Test
    void servesTlsWithHostnameVerificationForLocalhost() throws Exception {
        Path file = dir.resolve("web.p12");
        SelfSignedKeystore.ensure(file, PW, PW, "web", SelfSignedKeystore.defaultNames());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PW);
        }
        assertThat(handshake(ks, "localhost")).isEqualTo("pong");
        // A name the certificate does not carry fails the same check: the verification above was real.
        assertThatThrownBy(() -> handshake(ks, "not-this-host.example")).hasRootCauseInstanceOf(
                java.security.cert.CertificateException.class).isInstanceOf(SSLHandshakeException.class);
    }

    private static String handshake(KeyStore ks, String hostName) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PW);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("web", ks.getCertificate("web"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(5000);
                    s.getInputStream().read();
                    s.getOutputStream().write("pong".getBytes());
                } catch (Exception ignored) {
                    // the client's failure is what the test looks at
                }
            });
            // Connected to loopback, but TLS checks the certificate against hostName (no DNS look-up).
            java.net.Socket plain = new java.net.Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
            try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket(plain, hostName,
                    ss.getLocalPort(), true)) {
                SSLParameters params = c.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                c.setSSLParameters(params);
                c.setSoTimeout(5000);
                OutputStream out = c.getOutputStream();
                out.write('p');
                out.flush();
                String answer = new String(c.getInputStream().readNBytes(4));
                served.get(10, TimeUnit.SECONDS);
                return answer;
            }
        }
    }
}
