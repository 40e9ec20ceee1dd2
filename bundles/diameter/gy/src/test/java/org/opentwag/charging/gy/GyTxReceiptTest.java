package org.opentwag.charging.gy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.diameter.codec.CreditControlAnswer;
import org.opentwag.diameter.codec.CreditControlApplication;
import org.opentwag.diameter.codec.CreditControlRequest;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ServiceCredit;
import org.opentwag.diameter.codec.ServiceUnits;
import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.diameter.stack.PeerState;
import org.opentwag.diameter.stack.RequestOptions;
import org.opentwag.support.test.Await;

/**
 * Tx runs from sending the CCR to receiving the CCA (RFC 4006 13), so a CCA the client's Diameter node has read within
 * Tx decides the request even when it then waits longer than Tx for one of the node's workers (busy with other
 * logins' continuations: blocking state-store calls on a loaded cluster, seen in RollingUpgradeIT). Over loopback
 * against an OCS node that answers at once; the client node has one worker, held by another answer's continuation
 * until Tx has passed.
 */
class GyTxReceiptTest {
    static final String REALM = "epc.mnc001.mcc001.3gppnetwork.org";
    static final String TWAG = "twag-receipt.localdomain";
    static final String OCS = "ocs-receipt.localdomain";
    static final long MB = 1024 * 1024;
    /** Twice the shipped default (GyConfig.txTimerMillis), so that a loaded machine still answers within it. */
    static final Duration TX = Duration.ofMillis(2000);
    /** The CCR whose answer's continuation holds the client's one worker. */
    static final String BLOCKER = "blocker;1;1";

    private DiameterNode ocsNode;
    private DiameterNode twagNode;
    private final GyStatistics statistics = new GyStatistics();
    /** The OCS's answer to the blocker, sent when the test has put its continuation in place. */
    private final CompletableFuture<DiameterMessage> blockerAnswer = new CompletableFuture<>();
    /** When the client's node read the last CCA (its event loop, before any worker). */
    private final AtomicLong lastCcaReadNanos = new AtomicLong();
    private final CountDownLatch releaseWorker = new CountDownLatch(1);

    @BeforeEach
    void start() {
        ocsNode = DiameterNode.create(NodeConfig.builder(OCS, REALM).applications(ApplicationId.GY)
                .listen("127.0.0.1", 0).workerThreads(2).build());
        ocsNode.addPeer(new PeerConfig(TWAG, null, null, PeerConfig.DEFAULT_PORT, null, false, null, false));
        ocsNode.registerRequestHandler(CreditControlApplication.APPLICATION_ID, 272, (request, from) -> {
            CreditControlRequest ccr = CreditControlRequest.from(request);
            DiameterMessage cca = CreditControlAnswer.answer(request, 2001, List.of(ServiceCredit.grant(1,
                    ServiceCredit.ABSENT, ServiceUnits.total(10 * MB), ServiceCredit.ABSENT, 2001,
                    ServiceCredit.ABSENT)), ServiceCredit.ABSENT);
            if (ccr.sessionId().equals(BLOCKER)) {
                return blockerAnswer.thenApply(ignored -> cca);
            }
            return CompletableFuture.completedFuture(cca);
        });
        twagNode = DiameterNode.create(NodeConfig.builder(TWAG, REALM).applications(ApplicationId.GY)
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(400)).workerThreads(1).build());
        twagNode.addMessageListener((direction, message, peer) -> {
            if (direction.equals("in") && !message.isRequest() && message.commandCode() == 272) {
                lastCcaReadNanos.set(System.nanoTime());
            }
        });
        twagNode.addPeer(PeerConfig.connectTo(OCS, REALM, "127.0.0.1",
                ocsNode.listenAddress().orElseThrow().getPort()));
        Await.until("OCS peer OPEN", Duration.ofSeconds(30),
                () -> twagNode.peer(OCS).map(p -> p.state() == PeerState.OPEN).orElse(false));
    }

    @AfterEach
    void stop() {
        releaseWorker.countDown();
        blockerAnswer.complete(null);
        twagNode.close();
        ocsNode.close();
    }

    @Test
    void aCcaReadWithinTxDecidesTheLoginThoughTheNodesWorkerGetsToItAfterTx() throws Exception {
        // The client node's only worker: held by the continuation of another CCR's answer until released.
        CountDownLatch workerHeld = new CountDownLatch(1);
        CreditControlRequest blocker = new CreditControlRequest(BLOCKER, REALM, null, "32251@3gpp.org", 1, 0,
                "001010000000031", java.time.Instant.now(), ServiceCredit.ABSENT, List.of());
        twagNode.send(blocker.toMessage(), RequestOptions.timeout(Duration.ofSeconds(60))).thenRun(() -> {
            workerHeld.countDown();
            try {
                releaseWorker.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        blockerAnswer.complete(null); // the continuation is attached: it runs on the worker
        assertThat(workerHeld.await(30, TimeUnit.SECONDS)).as("the client node's worker is held").isTrue();

        GyChargingBackend gy = new GyChargingBackend(twagNode, GySettings.defaults(REALM).withChunkOctets(10 * MB)
                .withFailureHandling(FailureHandling.TERMINATE).withTxTimeout(TX), true, statistics,
                System::currentTimeMillis);
        long sent = System.nanoTime();
        long before = lastCcaReadNanos.get();
        CompletionStage<ChargingDecision> login = gy.start(new ChargingSession("token-receipt", "001010000000032",
                "10.0.0.1", "AA-BB-CC-DD-EE-FF:OpenTWAG", "11-22-33-44-55-66", "online"));
        Await.until("the CCA-I read by the client's node", Duration.ofSeconds(30),
                () -> lastCcaReadNanos.get() != before);
        assertThat(Duration.ofNanos(lastCcaReadNanos.get() - sent)).as("the OCS answered within Tx (loopback)")
                .isLessThan(TX);
        // Tx passes while the CCA waits for the worker (its timer is not on that worker).
        while (System.nanoTime() - sent < TX.toNanos() + TimeUnit.SECONDS.toNanos(1)) {
            Thread.sleep(50);
        }
        releaseWorker.countDown();

        ChargingDecision decision = login.toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(decision.allowed()).as("a CCA read within Tx is in time: " + decision.reason()).isTrue();
        assertThat(decision.grantedOctets()).isEqualTo(10 * MB);
        assertThat(statistics.get("charging_cca_result_count{mode=\"online\",result=\"timeout\"}")).isZero();
        assertThat(statistics.get("charging_cca_late_count{mode=\"online\",type=\"initial\"}")).isZero();
        assertThat(statistics.get("charging_ocs_failure_count{mode=\"online\",type=\"initial\",handling=\"terminate\"}"))
                .isZero();
    }
}
