package org.opentwag.diameter.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.codec.SwxApplication;

/** Diameter over TLS (RFC 6733 2.1): both sides present the certificate of a key store made by keytool. */
class TlsPeerTest {
    static final String REALM = "epc.mnc001.mcc001.3gppnetwork.org";

    private static Path keyStore(Path dir) throws Exception {
        Path store = dir.resolve("diameter.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "node", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=diameter.test", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(p.exitValue()).as("keytool: " + new String(p.getInputStream().readAllBytes())).isZero();
        assertThat(Files.size(store)).isPositive();
        return store;
    }

    @Test
    void peersTalkOverTls(@TempDir Path dir) throws Exception {
        Path store = keyStore(dir);
        TlsSettings tls = new TlsSettings(store.toString(), "changeit", store.toString(), "changeit");
        try (DiameterNode hss = DiameterNode.create(NodeConfig.builder("hss.localdomain", REALM).applications(ApplicationId.SWX)
                .listenAddress("127.0.0.1").tls(tls).tlsListenPort(0).workerThreads(1).build());
             DiameterNode twag = DiameterNode.create(NodeConfig.builder("twag.localdomain", REALM).applications(ApplicationId.SWX)
                     .tls(tls).workerThreads(1).build())) {
            assertThat(hss.listenAddress()).isEmpty();
            hss.addPeer(PeerConfig.acceptFrom("twag.localdomain", REALM));
            hss.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH, (r, f) ->
                    CompletableFuture.completedFuture(DiameterMessage.answerTo(r).resultCode(ResultCodes.DIAMETER_SUCCESS).build()));
            twag.addPeer(PeerConfig.connectTo("hss.localdomain", REALM, "127.0.0.1", hss.tlsListenAddress().orElseThrow().getPort())
                    .withTransport(Transport.TLS));
            Await.until("TLS peer OPEN", Duration.ofSeconds(10),
                    () -> twag.peer("hss.localdomain").map(PeerInfo::isOpen).orElse(false));
            assertThat(twag.peer("hss.localdomain").orElseThrow().transport()).isEqualTo(Transport.TLS);
            DiameterMessage maa = twag.send(DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH)
                    .add(Avp.utf8(BaseProtocol.SESSION_ID, twag.newSessionId()))
                    .add(Avp.identity(BaseProtocol.DESTINATION_REALM, REALM)).build()).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(maa.resultCode()).hasValue(ResultCodes.DIAMETER_SUCCESS);
        }
    }
}
