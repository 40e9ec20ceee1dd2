package org.opentwag.radius.server.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.server.RadiusReply;
import org.opentwag.radius.server.RadiusRequest;
import org.opentwag.radius.server.RadiusServerStatistics.DropReason;

/**
 * RadSec (RFC 6614) against radsecproxy, a RadSec implementation we did not write: radclient speaks UDP to
 * radsecproxy, which forwards over TLS to our listener. Covers authentication and accounting through one TLS
 * connection, the client group chosen by certificate name, and refusal of a certificate that matches no group and of
 * one from a CA we do not trust.
 */
class RadSecProxyTest {
    private static final String PROXY_SECRET = "proxy-side-secret-1234";

    @Test
    void radsecproxyForwardsAuthenticationAndAccountingOverTls(@TempDir Path dir) throws Exception {
        assumeTrue(new File("/usr/sbin/radsecproxy").canExecute() && Radclient.available()
                && RadSecTestPki.opensslAvailable(), "radsecproxy, radclient or openssl missing");
        RadSecTestPki pki = RadSecTestPki.create(dir, "lab-ca");
        RadSecTestPki.create(dir, "other-ca");
        pki.issue("lab-ca", "server", "twag.radsec.test", "DNS:localhost,IP:127.0.0.1", "serverAuth");
        pki.issue("lab-ca", "ap1", "ap1.aps.radsec.test", "DNS:ap1.aps.radsec.test", "clientAuth");
        pki.issue("lab-ca", "rogue", "rogue.elsewhere.test", "DNS:rogue.elsewhere.test", "clientAuth");
        pki.issue("other-ca", "stranger", "ap9.aps.radsec.test", "DNS:ap9.aps.radsec.test", "clientAuth");

        AccessPointGroups registry = new AccessPointGroups();
        // The UDP secret of the group is NOT what RadSec uses: over TLS the secret is "radsec" (RFC 6614 2.3).
        registry.put("aps", new AccessPointGroup("radsec-aps", List.of(Subnet.parse("127.0.0.0/8")),
                "udp-only-secret-0000".getBytes(US_ASCII), true, 3799, List.of("*.aps.radsec.test")));
        RadiusCounters counters = new RadiusCounters();
        ConcurrentLinkedQueue<RadiusRequest> seen = new ConcurrentLinkedQueue<>();
        try (RadiusServer server = new RadiusServer(new ServerSettings("127.0.0.1", false, 0, 0, Duration.ofSeconds(30),
                1000, 100, 2, Duration.ofSeconds(5), 90), registry, counters,
                () -> request -> {
                    seen.add(request);
                    return CompletableFuture.completedFuture("nemo".equals(request.packet().string(RadiusDictionary.USER_NAME).orElse(""))
                            ? RadiusReply.accept(List.of()) : RadiusReply.reject("unknown user"));
                },
                () -> request -> {
                    seen.add(request);
                    return CompletableFuture.completedFuture(null);
                })
                .withRadSec(new RadSecSettings("127.0.0.1", 0, pki.file("server.crt").toString(),
                        pki.file("server.key").toString(), pki.file("lab-ca.crt").toString(),
                        new String[] {"TLSv1.3", "TLSv1.2"}, 60, 10))) {
            server.start();
            int radsec = server.radSecPort();

            // Both TLS versions RFC 6614 deployments use today; each time authentication and accounting.
            for (String version : List.of("TLS1_2", "TLS1_3")) {
                try (RadSecProxy proxy = RadSecProxy.start(dir, "ap1", "lab-ca", radsec, version)) {
                    String attrs = "User-Name = \"nemo\"\nUser-Password = \"x\"\nMessage-Authenticator = 0x00\n";
                    Radclient.Result accept = Radclient.run(proxy.port, "auth", PROXY_SECRET, attrs, 5);
                    assertThat(accept.answered("Access-Accept")).as(version + accept.output() + proxy.log()).isTrue();
                    Radclient.Result reject = Radclient.run(proxy.port, "auth", PROXY_SECRET,
                            attrs.replace("nemo", "dory"), 5);
                    assertThat(reject.answered("Access-Reject")).as(reject.output()).isTrue();
                    Radclient.Result acct = Radclient.run(proxy.port, "acct", PROXY_SECRET,
                            "Acct-Status-Type = Start\nAcct-Session-Id = \"s1\"\nUser-Name = \"nemo\"\nNAS-IP-Address = 127.0.0.1\n", 5);
                    assertThat(acct.answered("Accounting-Response")).as(acct.output() + proxy.log()).isTrue();
                }
            }
            assertThat(seen).extracting(RadiusRequest::accessPointGroup).containsOnly("radsec-aps");
            assertThat(seen).hasSize(6);
            assertThat(counters.dropped(DropReason.TLS_REFUSED)).isZero();

            // Same CA, but the certificate names no client group: TLS completes, then the connection is closed.
            try (RadSecProxy rogue = RadSecProxy.start(dir, "rogue", "lab-ca", radsec, "TLS1_2:")) {
                Radclient.Result r = Radclient.run(rogue.port, "auth", PROXY_SECRET,
                        "User-Name = \"nemo\"\nMessage-Authenticator = 0x00\n", 3);
                assertThat(r.answered("Access-Accept")).isFalse();
            }
            // A name that would match, from a CA we do not trust: the handshake itself fails.
            try (RadSecProxy stranger = RadSecProxy.start(dir, "stranger", "lab-ca", radsec, "TLS1_2:")) {
                Radclient.Result r = Radclient.run(stranger.port, "auth", PROXY_SECRET,
                        "User-Name = \"nemo\"\nMessage-Authenticator = 0x00\n", 3);
                assertThat(r.answered("Access-Accept")).isFalse();
            }
            assertThat(counters.dropped(DropReason.TLS_REFUSED)).isGreaterThanOrEqualTo(2);
            assertThat(seen).hasSize(6);
        }
    }

    /** radsecproxy in the foreground: UDP in on an ephemeral port, TLS out to our RadSec port. */
    static final class RadSecProxy implements AutoCloseable {
        final int port;
        private final Process process;
        private final Path logFile;

        private RadSecProxy(int port, Process process, Path logFile) {
            this.port = port;
            this.process = process;
            this.logFile = logFile;
        }

        static RadSecProxy start(Path dir, String clientCert, String ca, int radsecPort, String tlsVersion) throws Exception {
            int udp;
            try (DatagramSocket probe = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                udp = probe.getLocalPort();
            }
            Path conf = dir.resolve("radsecproxy-" + clientCert + ".conf");
            Path log = dir.resolve("radsecproxy-" + clientCert + ".log");
            Files.writeString(conf, String.join("\n",
                    "ListenUDP 127.0.0.1:" + udp,
                    "LogLevel 4",
                    "LogDestination file://" + log,
                    "PidFile " + dir.resolve("radsecproxy-" + clientCert + ".pid"),
                    "tls default {",
                    "  CACertificateFile " + dir.resolve(ca + ".crt"),
                    "  CertificateFile " + dir.resolve(clientCert + ".crt"),
                    "  CertificateKeyFile " + dir.resolve(clientCert + ".key"),
                    "  TlsVersion " + tlsVersion,
                    "}",
                    "client udp-ap {", "  host 127.0.0.1", "  type udp", "  secret " + PROXY_SECRET, "}",
                    "server opentwag {", "  host 127.0.0.1", "  port " + radsecPort, "  type tls", "  secret radsec", "}",
                    "realm * {", "  server opentwag", "  accountingServer opentwag", "}", ""));
            Process p = new ProcessBuilder("radsecproxy", "-f", "-c", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("radsecproxy-" + clientCert + ".out").toFile()).start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (!(Files.exists(log) && Files.readString(log).contains("radsecproxy"))
                    && System.currentTimeMillis() < deadline && p.isAlive()) {
                Thread.sleep(100);
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("radsecproxy exited: "
                        + Files.readString(dir.resolve("radsecproxy-" + clientCert + ".out")));
            }
            return new RadSecProxy(udp, p, log);
        }

        String log() throws Exception {
            return Files.exists(logFile) ? "\nradsecproxy log:\n" + Files.readString(logFile) : "";
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
