package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.diameter.stack.TlsSettings;
import org.opentwag.diameter.stack.Transport;

/**
 * Diameter over TLS with freeDiameter 1.2.1 (Debian), a peer we did not write, with certificates this test makes
 * with openssl: a test CA, a certificate for fd.test, one for another name, one for our node twag.localdomain. Both
 * sides speak RFC 6733 "TLS at connect" (freeDiameter's default for a peer without No_TLS or TLS_old_method; our
 * node's {@code transport = tls}): the handshake comes first, the CER inside it. freeDiameter runs in a network
 * namespace this test creates (veth 10.231.1.1 here, 10.231.1.2 there), as in {@link FreeDiameterInteropIT}.
 * Needs root and the Debian packages freediameterd/freediameter-extensions (.ci/install-tools.sh) and openssl.
 */
public class FreeDiameterTlsIT {

    private static final String NS = "otwag-fdtls";
    private static final String HOST_IF = "otwft-h";
    private static final String NS_IF = "otwft-n";
    private static final String OUR_ADDRESS = "10.231.1.1";
    private static final String FD_ADDRESS = "10.231.1.2";
    private static final int OUR_TLS_PORT = 5658;
    private static final int FD_TLS_PORT = 5868;
    private static final String PASSWORD = "changeit";

    private Path dir;
    private Process freeDiameter;
    private DiameterNode node;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream stderr;

    private static void sh(String... cmd) throws Exception {
        ExternalTool.run(List.of(cmd), null, 20);
    }

    private static void mustRun(String... cmd) throws Exception {
        ExternalTool.Result r = ExternalTool.run(List.of(cmd), null, 60);
        assertEquals(String.join(" ", cmd) + "\n" + r.output(), 0, r.exitCode());
    }

    @Before
    public void namespaceAndCertificates() throws Exception {
        assumeTrue("network namespaces need root", "root".equals(System.getProperty("user.name")));
        assumeTrue("freeDiameterd not installed (.ci/install-tools.sh installs it)",
                new File("/usr/bin/freeDiameterd").canExecute());
        assumeTrue("openssl not installed (.ci/install-tools.sh installs it)", new File("/usr/bin/openssl").canExecute());
        sh("ip", "netns", "del", NS);
        sh("ip", "link", "del", HOST_IF);
        sh("ip", "netns", "add", NS);
        sh("ip", "link", "add", HOST_IF, "type", "veth", "peer", "name", NS_IF);
        sh("ip", "link", "set", NS_IF, "netns", NS);
        sh("ip", "addr", "add", OUR_ADDRESS + "/30", "dev", HOST_IF);
        sh("ip", "link", "set", HOST_IF, "up");
        sh("ip", "netns", "exec", NS, "ip", "addr", "add", FD_ADDRESS + "/30", "dev", NS_IF);
        sh("ip", "netns", "exec", NS, "ip", "link", "set", NS_IF, "up");
        sh("ip", "netns", "exec", NS, "ip", "link", "set", "lo", "up");

        dir = Files.createTempDirectory("freediameter-tls");
        mustRun("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", file("ca.key"), "-out", file("ca.crt"), "-subj", "/CN=OpenTWAG test CA", "-days", "2");
        certificate("fd", "fd.test", true);
        // freeDiameter will not run with a certificate that does not name its own Identity, but GnuTLS still takes
        // the subject CN when there is no DNS subjectAltName; our node does not.
        certificate("fd-cn-only", "fd.test", false);
        certificate("wrong", "wrong.test", true);
        certificate("twag", "twag.localdomain", true);
        mustRun("openssl", "pkcs12", "-export", "-in", file("twag.crt"), "-inkey", file("twag.key"), "-certfile",
                file("ca.crt"), "-name", "node", "-passout", "pass:" + PASSWORD, "-out", file("twag.p12"));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("trust.p12"))) {
            trust.store(out, PASSWORD.toCharArray());
        }

        // Logging on this classpath goes to Karaf client's shaded SimpleLogger (ERROR only, to whatever System.err is
        // at the time of each line): let warnings through and keep a copy to look for the refusal.
        try {
            Class<?> simpleLogger = Class.forName("org.slf4j.impl.SimpleLogger");
            simpleLogger.getMethod("setLevel", int.class).invoke(null, simpleLogger.getField("WARN").getInt(null));
        } catch (ReflectiveOperationException e) {
            // another SLF4J provider: the log assertions below say so if it hides warnings
        }
        stderr = System.err;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (log) {
                    log.write(b);
                }
                stderr.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (log) {
                    log.write(b, off, len);
                }
                stderr.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
    }

    /** name.key and name.crt, signed by the test CA, subject CN {@code dnsName}, and the same as DNS subjectAltName. */
    private void certificate(String name, String dnsName, boolean subjectAltName) throws Exception {
        List<String> req = new java.util.ArrayList<>(List.of("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", file(name + ".key"), "-subj", "/CN=" + dnsName,
                "-out", file(name + ".csr")));
        if (subjectAltName) {
            req.addAll(List.of("-addext", "subjectAltName=DNS:" + dnsName));
        }
        mustRun(req.toArray(String[]::new));
        mustRun("openssl", "x509", "-req", "-in", file(name + ".csr"), "-CA", file("ca.crt"), "-CAkey", file("ca.key"),
                "-CAcreateserial", "-days", "2", "-copy_extensions", "copy", "-out", file(name + ".crt"));
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    @After
    public void cleanUp() throws Exception {
        if (stderr != null) {
            System.setErr(stderr);
        }
        if (node != null) {
            node.close();
        }
        if (freeDiameter != null) {
            freeDiameter.destroy();
            if (!freeDiameter.waitFor(10, TimeUnit.SECONDS)) {
                freeDiameter.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        sh("ip", "netns", "del", NS);
        sh("ip", "link", "del", HOST_IF);
    }

    /**
     * Starts freeDiameter as {@code identity} with the credentials {@code cert}.crt/.key, trusting the test CA,
     * knowing our node as a peer; {@code connectToUs}: it connects to our TLS port, else it waits for us on its SecPort.
     */
    private void startFreeDiameter(String identity, String cert, boolean connectToUs) throws Exception {
        String peer = connectToUs
                ? "ConnectPeer = \"twag.localdomain\" { ConnectTo = \"" + OUR_ADDRESS + "\"; Port = " + OUR_TLS_PORT + "; TcTimer = 3; };\n"
                // Known but never dialled: nothing listens on this port, so it only answers our connection.
                : "ConnectPeer = \"twag.localdomain\" { ConnectTo = \"" + OUR_ADDRESS + "\"; Port = 1; TcTimer = 600; };\n";
        Files.writeString(dir.resolve("fd.conf"), "Identity = \"" + identity + "\";\nRealm = \"test\";\nPort = 3868;\n"
                + "SecPort = " + FD_TLS_PORT + ";\nNo_SCTP;\nNo_IPv6;\nListenOn = \"" + FD_ADDRESS + "\";\nTwTimer = 6;\n"
                + "TLS_Cred = \"" + file(cert + ".crt") + "\", \"" + file(cert + ".key") + "\";\n"
                + "TLS_CA = \"" + file("ca.crt") + "\";\n" + peer);
        freeDiameter = new ProcessBuilder("timeout", "90", "ip", "netns", "exec", NS, "freeDiameterd", "-c",
                file("fd.conf"), "-d").redirectErrorStream(true).redirectOutput(dir.resolve("fd.log").toFile()).start();
    }

    private void startNode(boolean tlsListener) {
        NodeConfig.Builder b = NodeConfig.builder("twag.localdomain", "epc.mnc001.mcc001.3gppnetwork.org")
                .listenAddress(OUR_ADDRESS)
                .tls(new TlsSettings(file("twag.p12"), PASSWORD, file("trust.p12"), PASSWORD))
                .watchdogInterval(Duration.ofSeconds(2))
                .reconnectDelay(Duration.ofSeconds(1), Duration.ofSeconds(2));
        if (tlsListener) {
            b.tlsListenPort(OUR_TLS_PORT);
        }
        node = DiameterNode.create(b.build());
    }

    private String ourLog() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    private String fdLog() throws Exception {
        return Files.readString(dir.resolve("fd.log"));
    }

    private long count(String command, String direction) {
        return node.messageCounts().entrySet().stream()
                .filter(e -> e.getKey().command().equals(command) && e.getKey().direction().equals(direction))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private long refused(String reason) {
        return node.tlsRefusals().getOrDefault(reason, 0L);
    }

    private static boolean await(Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return condition.getAsBoolean();
    }

    private boolean fdOpen() {
        return node.peer("fd.test").map(PeerInfo::isOpen).orElse(false);
    }

    @Test
    public void freeDiameterConnectsOverTlsWithACertificateNamingIt() throws Exception {
        startNode(true);
        node.addPeer(PeerConfig.acceptFrom("fd.test", "test").withTransport(Transport.TLS));
        startFreeDiameter("fd.test", "fd", true);
        assertTrue("freeDiameter never reached OPEN with us over TLS:\n" + fdLog(), await(Duration.ofSeconds(40), this::fdOpen));
        PeerInfo fd = node.peer("fd.test").orElseThrow();
        assertEquals(Transport.TLS, fd.transport());
        assertTrue(String.valueOf(fd.productName()), String.valueOf(fd.productName()).contains("freeDiameter"));
        assertTrue("our DWRs answered inside TLS: " + node.messageCounts(),
                await(Duration.ofSeconds(15), () -> count("DWA", "in") >= 2));
        assertTrue("nothing refused: " + node.tlsRefusals(), node.tlsRefusals().isEmpty());
    }

    @Test
    public void freeDiameterNamedOnlyInTheCertificatesCnIsRefused() throws Exception {
        startNode(true);
        node.addPeer(PeerConfig.acceptFrom("fd.test", "test").withTransport(Transport.TLS));
        startFreeDiameter("fd.test", "fd-cn-only", true); // a certificate of our CA with CN=fd.test and no DNS name
        assertTrue("no name mismatch counted; our log:\n" + ourLog() + "\nfreeDiameter's:\n" + fdLog(),
                await(Duration.ofSeconds(40), () -> refused("name_mismatch") >= 1));
        assertFalse("fd.test is not OPEN", fdOpen());
        String log = ourLog();
        assertTrue(log, log.contains("Diameter TLS peer refused")
                && log.contains("expected a certificate naming fd.test, the peer presented DNS subjectAltNames [] (subject CN=fd.test"));
        assertTrue("CEA refusing the CER: " + node.messageCounts(), count("CEA", "out") >= 1);
        assertEquals("no request beyond CER was taken from it", 0, count("DWR", "in") + count("DWA", "in"));
    }

    @Test
    public void weConnectToFreeDiameterOverTlsAndCheckItsName() throws Exception {
        startNode(false);
        startFreeDiameter("fd.test", "fd", false);
        node.addPeer(PeerConfig.connectTo("fd.test", "test", FD_ADDRESS, FD_TLS_PORT).withTransport(Transport.TLS));
        assertTrue("never OPEN with freeDiameter over TLS; our log:\n" + ourLog() + "\nfreeDiameter's:\n" + fdLog(),
                await(Duration.ofSeconds(40), this::fdOpen));
        assertEquals(Transport.TLS, node.peer("fd.test").orElseThrow().transport());
        assertTrue("nothing refused: " + node.tlsRefusals(), node.tlsRefusals().isEmpty());
    }

    @Test
    public void weRefuseToSendOurCerToAnotherNodeAtFdTestsAddress() throws Exception {
        startNode(false);
        // At the address configured for fd.test answers wrong.test, with a valid certificate of the same CA.
        startFreeDiameter("wrong.test", "wrong", false);
        node.addPeer(PeerConfig.connectTo("fd.test", "test", FD_ADDRESS, FD_TLS_PORT).withTransport(Transport.TLS));
        assertTrue("no name mismatch counted; our log:\n" + ourLog() + "\nfreeDiameter's:\n" + fdLog(),
                await(Duration.ofSeconds(40), () -> refused("name_mismatch") >= 1));
        assertFalse(fdOpen());
        assertEquals("our CER never left", 0, count("CER", "out"));
        assertTrue(ourLog(), ourLog().contains("expected a certificate naming fd.test, the peer presented DNS subjectAltNames [wrong.test]"));
    }
}
