package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
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

    private static final int OUR_TLS_PORT = 5658;
    private static final int FD_TLS_PORT = FreeDiameter.TLS_PORT;
    private static final String PASSWORD = TestCa.PASSWORD;

    private FreeDiameter freeDiameter;
    private String ourAddress;
    private String fdAddress;
    private TestCa ca;
    private DiameterNode node;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream stderr;

    @Before
    public void namespaceAndCertificates() throws Exception {
        freeDiameter = new FreeDiameter("otwag-fdtls", "otwft", "10.231.1");
        ourAddress = freeDiameter.hostAddress();
        fdAddress = freeDiameter.address();
        ca = new TestCa(freeDiameter.dir());
        ca.certificate("fd", "fd.test", true);
        // freeDiameter will not run with a certificate that does not name its own Identity, but GnuTLS still takes
        // the subject CN when there is no DNS subjectAltName; our node does not.
        ca.certificate("fd-cn-only", "fd.test", false);
        ca.certificate("wrong", "wrong.test", true);
        ca.certificate("twag", "twag.localdomain", true);
        ca.keyStore("twag");

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

    private String file(String name) {
        return ca.file(name);
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
            freeDiameter.close();
        }
    }

    /**
     * Starts freeDiameter as {@code identity} with the credentials {@code cert}.crt/.key, trusting the test CA,
     * knowing our node as a peer; {@code connectToUs}: it connects to our TLS port, else it waits for us on its SecPort.
     */
    private void startFreeDiameter(String identity, String cert, boolean connectToUs) throws Exception {
        freeDiameter.identity(identity, "test").credentials(file(cert + ".crt"), file(cert + ".key"), file("ca.crt"))
                .peer(connectToUs ? new FreeDiameter.Peer("twag.localdomain", ourAddress, OUR_TLS_PORT, true)
                        : FreeDiameter.Peer.connectingToIt("twag.localdomain", ourAddress, true))
                .maxSeconds(90)
                .start();
    }

    private void startNode(boolean tlsListener) {
        NodeConfig.Builder b = NodeConfig.builder("twag.localdomain", "epc.mnc001.mcc001.3gppnetwork.org")
                .listenAddress(ourAddress)
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
        return freeDiameter.log();
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
        node.addPeer(PeerConfig.connectTo("fd.test", "test", fdAddress, FD_TLS_PORT).withTransport(Transport.TLS));
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
        node.addPeer(PeerConfig.connectTo("fd.test", "test", fdAddress, FD_TLS_PORT).withTransport(Transport.TLS));
        assertTrue("no name mismatch counted; our log:\n" + ourLog() + "\nfreeDiameter's:\n" + fdLog(),
                await(Duration.ofSeconds(40), () -> refused("name_mismatch") >= 1));
        assertFalse(fdOpen());
        assertEquals("our CER never left", 0, count("CER", "out"));
        assertTrue(ourLog(), ourLog().contains("expected a certificate naming fd.test, the peer presented DNS subjectAltNames [wrong.test]"));
    }
}
