package org.opentwag.swx;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.codec.SwxApplication;
import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.diameter.stack.PeerState;
import org.opentwag.support.test.Await;

/**
 * A scripted HSS on its own Diameter node (loopback, ephemeral port) and the TWAG node connected to it: records
 * every MAR/SAR it receives and answers with whatever the test sets.
 */
final class FakeHss implements AutoCloseable {
    static final String REALM = "epc.mnc001.mcc001.3gppnetwork.org";
    static final String TWAG = "twag.localdomain";
    static final String HSS = "hss.epc.mnc001.mcc001.3gppnetwork.org";

    final DiameterNode hss;
    final DiameterNode twag;
    final BlockingQueue<DiameterMessage> mars = new LinkedBlockingQueue<>();
    final BlockingQueue<DiameterMessage> sars = new LinkedBlockingQueue<>();
    volatile Function<DiameterMessage, CompletionStage<DiameterMessage>> marAnswer =
            mar -> CompletableFuture.completedFuture(DiameterMessage.answerTo(mar)
                    .resultCode(ResultCodes.DIAMETER_UNABLE_TO_COMPLY).build());
    volatile Function<DiameterMessage, DiameterMessage> sarAnswer =
            sar -> DiameterMessage.answerTo(sar).resultCode(ResultCodes.DIAMETER_SUCCESS).build();

    FakeHss() {
        hss = DiameterNode.create(NodeConfig.builder(HSS, REALM).productName("fake-hss")
                .applications(ApplicationId.SWX).listen("127.0.0.1", 0).workerThreads(2).build());
        hss.addPeer(PeerConfig.acceptFrom(TWAG, REALM));
        hss.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH, (mar, from) -> {
            mars.add(mar);
            return marAnswer.apply(mar);
        });
        hss.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.SERVER_ASSIGNMENT, (sar, from) -> {
            sars.add(sar);
            return CompletableFuture.completedFuture(sarAnswer.apply(sar));
        });
        twag = DiameterNode.create(NodeConfig.builder(TWAG, REALM).applications(ApplicationId.SWX)
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(400)).workerThreads(2).build());
        twag.addPeer(PeerConfig.connectTo(HSS, REALM, "127.0.0.1", hss.listenAddress().orElseThrow().getPort()));
        Await.until("HSS peer OPEN", Duration.ofSeconds(5),
                () -> twag.peer(HSS).map(p -> p.state() == PeerState.OPEN).orElse(false));
        Await.until("TWAG peer OPEN at the HSS", Duration.ofSeconds(5),
                () -> hss.peer(TWAG).map(p -> p.state() == PeerState.OPEN).orElse(false));
    }

    DiameterMessage nextMar() throws InterruptedException {
        DiameterMessage m = mars.poll(5, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no MAR reached the HSS");
        }
        return m;
    }

    DiameterMessage nextSar() throws InterruptedException {
        DiameterMessage m = sars.poll(5, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no SAR reached the HSS");
        }
        return m;
    }

    void answerMar(Function<DiameterMessage, DiameterMessage> answer) {
        marAnswer = mar -> CompletableFuture.completedFuture(answer.apply(mar));
    }

    @Override
    public void close() {
        twag.close();
        hss.close();
    }
}
