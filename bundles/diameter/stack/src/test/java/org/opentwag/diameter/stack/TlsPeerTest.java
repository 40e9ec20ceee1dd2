package org.opentwag.diameter.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.codec.SwxApplication;
import org.opentwag.support.test.Await;

/**
 * Diameter over TLS (RFC 6733 2.1, 13): both sides present certificates of a CA the test makes, the trust store is
 * that CA alone, and each side checks that the other's certificate names the DiameterIdentity it talks to: as
 * initiator the configured peer's, as responder the Origin-Host of the CER.
 */
class TlsPeerTest {
    static final String REALM = "epc.mnc001.mcc001.3gppnetwork.org";
    static final String HSS = "hss.localdomain";
    static final String TWAG = "twag.localdomain";

    @TempDir
    Path dir;
    TestPki pki;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream stderr;

    @BeforeEach
    void captureLog() throws Exception {
        pki = new TestPki(dir, "test-ca");
        // slf4j-simple writes to whatever System.err is at the time of each line.
        stderr = System.err;
        PrintStream tee = new PrintStream(new java.io.OutputStream() {
            @Override
            public synchronized void write(int b) {
                log.write(b);
                stderr.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                log.write(b, off, len);
                stderr.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        System.setErr(tee);
    }

    @AfterEach
    void restoreLog() {
        System.setErr(stderr);
    }

    private String log() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    private static DiameterNode hss(TlsSettings tls) {
        DiameterNode hss = DiameterNode.create(NodeConfig.builder(HSS, REALM).applications(ApplicationId.SWX)
                .listenAddress("127.0.0.1").tls(tls).tlsListenPort(0).workerThreads(1).build());
        hss.addPeer(PeerConfig.acceptFrom(TWAG, REALM).withTransport(Transport.TLS));
        hss.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH, (r, f) ->
                CompletableFuture.completedFuture(DiameterMessage.answerTo(r).resultCode(ResultCodes.DIAMETER_SUCCESS).build()));
        return hss;
    }

    private static DiameterNode twag(TlsSettings tls) {
        return DiameterNode.create(NodeConfig.builder(TWAG, REALM).applications(ApplicationId.SWX).tls(tls)
                .reconnectDelay(Duration.ofMillis(200), Duration.ofMillis(400)).workerThreads(1).build());
    }

    private static void connect(DiameterNode twag, DiameterNode hss) {
        twag.addPeer(PeerConfig.connectTo(HSS, REALM, "127.0.0.1", hss.tlsListenAddress().orElseThrow().getPort())
                .withTransport(Transport.TLS));
    }

    private static long refused(DiameterNode node, String reason) {
        return node.tlsRefusals().getOrDefault(reason, 0L);
    }

    private static long count(DiameterNode node, String command, String direction) {
        return node.messageCounts().entrySet().stream()
                .filter(e -> e.getKey().command().equals(command) && e.getKey().direction().equals(direction))
                .mapToLong(e -> e.getValue()).sum();
    }

    @Test
    void peersTalkOverTlsWhenEachCertificateNamesItsPeer() throws Exception {
        try (DiameterNode hss = hss(pki.settings(HSS, HSS));
             DiameterNode twag = twag(pki.settings("TWAG node", "TWAG.localdomain."))) { // case and root dot do not matter
            assertThat(hss.listenAddress()).isEmpty();
            connect(twag, hss);
            Await.until("TLS peer OPEN", Duration.ofSeconds(10),
                    () -> twag.peer(HSS).map(PeerInfo::isOpen).orElse(false));
            assertThat(twag.peer(HSS).orElseThrow().transport()).isEqualTo(Transport.TLS);
            DiameterMessage maa = twag.send(DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH)
                    .add(Avp.utf8(BaseProtocol.SESSION_ID, twag.newSessionId()))
                    .add(Avp.identity(BaseProtocol.DESTINATION_REALM, REALM)).build()).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(maa.resultCode()).hasValue(ResultCodes.DIAMETER_SUCCESS);
            assertThat(hss.tlsRefusals()).isEmpty();
            assertThat(twag.tlsRefusals()).isEmpty();
        }
    }

    @Test
    void initiatorRefusesAServerWhoseCertificateNamesAnotherHost() throws Exception {
        try (DiameterNode hss = hss(pki.settings(HSS, "other-hss.localdomain", "hss.localdomain.evil"));
             DiameterNode twag = twag(pki.settings(TWAG, TWAG))) {
            connect(twag, hss);
            Await.until("name mismatch counted", Duration.ofSeconds(10), () -> refused(twag, "name_mismatch") >= 1);
            assertThat(twag.peer(HSS).orElseThrow().isOpen()).isFalse();
            assertThat(count(hss, "CER", "in")).as("our CER never reaches a server that is not " + HSS).isZero();
            assertThat(log()).contains("Diameter TLS peer refused", "expected a certificate naming " + HSS,
                    "[other-hss.localdomain, hss.localdomain.evil]");
        }
    }

    @Test
    void aNameOnlyInTheSubjectCnIsNotEnough() throws Exception {
        try (DiameterNode hss = hss(pki.settings(HSS)); // CN=hss.localdomain, no subjectAltName
             DiameterNode twag = twag(pki.settings(TWAG, TWAG))) {
            connect(twag, hss);
            Await.until("name mismatch counted", Duration.ofSeconds(10), () -> refused(twag, "name_mismatch") >= 1);
            assertThat(twag.peer(HSS).orElseThrow().isOpen()).isFalse();
            assertThat(log()).contains("expected a certificate naming " + HSS + ", the peer presented DNS subjectAltNames []");
        }
    }

    @Test
    void responderRefusesACerWhoseOriginHostTheCertificateDoesNotName() throws Exception {
        // The client's certificate is valid (same CA) but names another node: it may not call itself twag.localdomain.
        try (DiameterNode hss = hss(pki.settings(HSS, HSS));
             DiameterNode twag = twag(pki.settings("impostor", "impostor.localdomain"))) {
            connect(twag, hss);
            Await.until("name mismatch counted by the responder", Duration.ofSeconds(10), () -> refused(hss, "name_mismatch") >= 1);
            Await.until("CEA refusing it", Duration.ofSeconds(5), () -> count(twag, "CEA", "in") >= 1);
            assertThat(hss.peer(TWAG).orElseThrow().isOpen()).isFalse();
            assertThat(twag.peer(HSS).orElseThrow().isOpen()).isFalse();
            assertThat(log()).contains("expected a certificate naming " + TWAG, "[impostor.localdomain]");
        }
    }

    @Test
    void aCertificateFromAnotherCaFailsTheHandshake() throws Exception {
        TestPki otherCa = new TestPki(dir, "other-ca");
        TlsSettings hssFromOtherCa = new TlsSettings(otherCa.keyStore(HSS, HSS).toString(), TestPki.PASSWORD,
                pki.trustStore().toString(), TestPki.PASSWORD);
        try (DiameterNode hss = hss(hssFromOtherCa);
             DiameterNode twag = twag(pki.settings(TWAG, TWAG))) {
            connect(twag, hss);
            Await.until("handshake failure counted", Duration.ofSeconds(10), () -> refused(twag, "handshake_failed") >= 1);
            assertThat(twag.peer(HSS).orElseThrow().isOpen()).isFalse();
        }
    }

    @Test
    void withoutATrustStoreTheNodeRefusesTlsInsteadOfTrustingTheJdkCas() throws Exception {
        TlsSettings keyStoreOnly = new TlsSettings(pki.keyStore(TWAG, TWAG).toString(), TestPki.PASSWORD, null, null);
        try (DiameterNode hss = hss(pki.settings(HSS, HSS));
             DiameterNode twag = DiameterNode.create(NodeConfig.builder(TWAG, REALM).applications(ApplicationId.SWX)
                     .tls(keyStoreOnly).tlsListenPort(0).workerThreads(1).build())) {
            assertThat(twag.tlsListenAddress()).as("no TLS listener without a trust store").isEmpty();
            assertThat(refused(twag, "no_trust_store")).isEqualTo(1);
            connect(twag, hss);
            assertThat(refused(twag, "no_trust_store")).isEqualTo(2);
            assertThat(twag.peer(HSS).orElseThrow().state()).isEqualTo(PeerState.CLOSED);
            Thread.sleep(1000); // time enough for a connection attempt, were one made
            assertThat(hss.tlsRefusals()).as("the HSS saw no TLS connection at all").isEmpty();
            assertThat(count(hss, "CER", "in")).isZero();
            assertThat(log()).contains("Diameter peer " + HSS + " refused: it is configured for TLS but no trust store is configured");
        }
    }

    @Test
    void aCerOverTcpFromAPeerConfiguredForTlsIsRefused() throws Exception {
        try (DiameterNode hss = DiameterNode.create(NodeConfig.builder(HSS, REALM).applications(ApplicationId.SWX)
                .listen("127.0.0.1", 0).workerThreads(1).build());
             DiameterNode twag = twag(null)) {
            hss.addPeer(PeerConfig.acceptFrom(TWAG, REALM).withTransport(Transport.TLS));
            twag.addPeer(PeerConfig.connectTo(HSS, REALM, "127.0.0.1", hss.listenAddress().orElseThrow().getPort()));
            Await.until("refusal counted", Duration.ofSeconds(10), () -> refused(hss, "tcp_for_tls_peer") >= 1);
            assertThat(hss.peer(TWAG).orElseThrow().isOpen()).isFalse();
            assertThat(twag.peer(HSS).orElseThrow().isOpen()).isFalse();
        }
    }
}
