package org.opentwag.diameter.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.codec.SwxApplication;
import org.opentwag.support.test.Await;

/** Two or three in-JVM nodes (or a raw socket peer) on loopback with ephemeral ports. */
class DiameterNodeTest {
    static final String REALM = "epc.mnc001.mcc001.3gppnetwork.org";
    static final String TWAG = "twag.localdomain";
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        closeables.add(c);
        return c;
    }

    private NodeConfig.Builder hssConfig(String host) {
        return NodeConfig.builder(host, REALM).productName("hss-sim").applications(ApplicationId.SWX)
                .listen("127.0.0.1", 0).workerThreads(2);
    }

    private DiameterNode hss(String host) {
        DiameterNode hss = track(DiameterNode.create(hssConfig(host).build()));
        hss.addPeer(PeerConfig.acceptFrom(TWAG, REALM));
        return hss;
    }

    private NodeConfig.Builder twagConfig() {
        return NodeConfig.builder(TWAG, REALM).applications(ApplicationId.SWX)
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(400)).workerThreads(2);
    }

    private DiameterNode twag() {
        return track(DiameterNode.create(twagConfig().build()));
    }

    private static int port(DiameterNode node) {
        return node.listenAddress().orElseThrow().getPort();
    }

    private static void connect(DiameterNode from, DiameterNode to) {
        from.addPeer(PeerConfig.connectTo(to.originHost(), REALM, "127.0.0.1", port(to)));
        awaitState(from, to.originHost(), PeerState.OPEN);
    }

    private static void awaitState(DiameterNode node, String peer, PeerState state) {
        Await.until(peer + " " + state + " at " + node.originHost(), Duration.ofSeconds(5),
                () -> node.peer(peer).map(p -> p.state() == state).orElse(false));
    }

    private static DiameterMessage mar(String user) {
        return DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH)
                .add(Avp.utf8(BaseProtocol.SESSION_ID, TWAG + ";1;" + user))
                .add(Avp.identity(BaseProtocol.DESTINATION_REALM, REALM))
                .add(Avp.utf8(BaseProtocol.USER_NAME, user))
                .add(Avp.grouped(SwxApplication.SIP_AUTH_DATA_ITEM, Avp.utf8(SwxApplication.SIP_AUTHENTICATION_SCHEME, "EAP-AKA")))
                .build();
    }

    /** A MAR handler answering DIAMETER_SUCCESS and echoing User-Name. */
    private static RequestHandler answering() {
        return (request, from) -> CompletableFuture.completedFuture(DiameterMessage.answerTo(request)
                .resultCode(ResultCodes.DIAMETER_SUCCESS)
                .add(request.find(BaseProtocol.USER_NAME).orElseThrow())
                .build());
    }

    private static DiameterMessage await(java.util.concurrent.CompletionStage<DiameterMessage> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static DiameterRequestException failure(java.util.concurrent.CompletionStage<DiameterMessage> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(DiameterRequestException.class);
            return (DiameterRequestException) e.getCause();
        }
        throw new AssertionError("the request did not fail");
    }

    // ------------------------------------------------------------------ tests

    @Test
    void capabilitiesExchangeOpensBothSides() {
        DiameterNode hss = hss("hss1.localdomain");
        DiameterNode twag = twag();
        connect(twag, hss);
        awaitState(hss, TWAG, PeerState.OPEN);

        PeerInfo atTwag = twag.peer("hss1.localdomain").orElseThrow();
        assertThat(atTwag.productName()).isEqualTo("hss-sim");
        assertThat(atTwag.role()).isEqualTo(ConnectionRole.INITIATOR);
        assertThat(atTwag.transport()).isEqualTo(Transport.TCP);
        assertThat(atTwag.advertisedApplications()).containsExactly(SwxApplication.APPLICATION_ID);
        assertThat(atTwag.commonApplications()).containsExactly(SwxApplication.APPLICATION_ID);
        PeerInfo atHss = hss.peer(TWAG).orElseThrow();
        assertThat(atHss.role()).isEqualTo(ConnectionRole.RESPONDER);
        assertThat(atHss.productName()).isEqualTo("OpenTWAG");
        assertThat(twag.messageCounts()).containsEntry(new MessageCountKey("base", "CER", "out"), 1L)
                .containsEntry(new MessageCountKey("base", "CEA", "in"), 1L);
    }

    @Test
    void requestIsRoutedByRealmAndAnswered() throws Exception {
        DiameterNode hss = hss("hss1.localdomain");
        hss.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH, answering());
        DiameterNode twag = twag();
        connect(twag, hss);

        DiameterMessage maa = await(twag.send(mar("001010000000001")));
        assertThat(maa.isRequest()).isFalse();
        assertThat(maa.resultCode()).hasValue(ResultCodes.DIAMETER_SUCCESS);
        assertThat(maa.originHost()).contains("hss1.localdomain");
        assertThat(maa.originRealm()).contains(REALM);
        assertThat(maa.sessionId()).contains(TWAG + ";1;001010000000001");
        assertThat(maa.find(BaseProtocol.USER_NAME).orElseThrow().utf8()).isEqualTo("001010000000001");
        assertThat(twag.messageCounts()).containsEntry(new MessageCountKey("swx", "MAR", "out"), 1L)
                .containsEntry(new MessageCountKey("swx", "MAA", "in"), 1L);
        assertThat(hss.messageCounts()).containsEntry(new MessageCountKey("swx", "MAR", "in"), 1L);
    }

    @Test
    void manyConcurrentRequestsAreMatchedByHopByHop() throws Exception {
        DiameterNode hss = hss("hss1.localdomain");
        hss.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH, answering());
        DiameterNode twag = twag();
        connect(twag, hss);
        List<CompletableFuture<DiameterMessage>> answers = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            answers.add(twag.send(mar("user" + i)).toCompletableFuture());
        }
        for (int i = 0; i < 500; i++) {
            assertThat(answers.get(i).get(10, TimeUnit.SECONDS).find(BaseProtocol.USER_NAME).orElseThrow().utf8()).isEqualTo("user" + i);
        }
    }

    @Test
    void nonBlockingHandlerRunsOnTheEventLoopAndOthersOnWorkers() throws Exception {
        // A handler marked nonBlocking answers on the connection's event loop (no hand-off to a worker and back);
        // an unmarked one still runs on a worker, where it may block. Both answer every request of a burst.
        DiameterNode hss = hss("hss1.localdomain");
        List<String> inlineThreads = new CopyOnWriteArrayList<>();
        List<String> workerThreads = new CopyOnWriteArrayList<>();
        RequestHandler answer = answering();
        hss.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH,
                RequestHandler.nonBlocking((r, f) -> {
                    inlineThreads.add(Thread.currentThread().getName());
                    return answer.handle(r, f);
                }));
        hss.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.SERVER_ASSIGNMENT, (r, f) -> {
            workerThreads.add(Thread.currentThread().getName());
            return answer.handle(r, f);
        });
        DiameterNode twag = twag();
        connect(twag, hss);
        List<CompletableFuture<DiameterMessage>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(twag.send(mar("user" + i)).toCompletableFuture());
        }
        for (int i = 0; i < 200; i++) {
            assertThat(answers.get(i).get(10, TimeUnit.SECONDS).find(BaseProtocol.USER_NAME).orElseThrow().utf8())
                    .isEqualTo("user" + i);
        }
        DiameterMessage sar = DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.SERVER_ASSIGNMENT)
                .add(Avp.utf8(BaseProtocol.SESSION_ID, TWAG + ";2;x"))
                .add(Avp.identity(BaseProtocol.DESTINATION_REALM, REALM))
                .add(Avp.utf8(BaseProtocol.USER_NAME, "001010000000002"))
                .build();
        assertThat(await(twag.send(sar)).resultCode()).hasValue(ResultCodes.DIAMETER_SUCCESS);
        assertThat(inlineThreads).hasSize(200).allMatch(t -> t.startsWith("diameter-hss1.localdomain-io-"));
        assertThat(workerThreads).hasSize(1).allMatch(t -> t.startsWith("diameter-hss1.localdomain-worker-"));
    }

    @Test
    void nonBlockingHandlerThatThrowsIsAnsweredUnableToComply() throws Exception {
        DiameterNode hss = hss("hss1.localdomain");
        hss.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH,
                RequestHandler.nonBlocking((r, f) -> {
                    throw new IllegalStateException("broken handler");
                }));
        DiameterNode twag = twag();
        connect(twag, hss);
        assertThat(await(twag.send(mar("001010000000001"))).resultCode())
                .hasValue(ResultCodes.DIAMETER_UNABLE_TO_COMPLY);
        // the connection survives: the next request is answered too
        assertThat(await(twag.send(mar("001010000000002"))).resultCode())
                .hasValue(ResultCodes.DIAMETER_UNABLE_TO_COMPLY);
        assertThat(twag.peer("hss1.localdomain").orElseThrow().state()).isEqualTo(PeerState.OPEN);
    }

    @Test
    void requestsFromSeveralThreadsAtOnceAllGetTheirOwnAnswer() throws Exception {
        // Writes from several threads meet in the connection's consolidated flushes: none may be lost or held back.
        DiameterNode hss = hss("hss1.localdomain");
        hss.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH, answering());
        DiameterNode twag = twag();
        connect(twag, hss);
        int threads = 4;
        int perThread = 500;
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<List<CompletableFuture<DiameterMessage>>>> sent = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                sent.add(senders.submit(() -> {
                    List<CompletableFuture<DiameterMessage>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(twag.send(mar("t" + thread + "-" + i)).toCompletableFuture());
                    }
                    return mine;
                }));
            }
            for (int t = 0; t < threads; t++) {
                List<CompletableFuture<DiameterMessage>> mine = sent.get(t).get(10, TimeUnit.SECONDS);
                for (int i = 0; i < perThread; i++) {
                    assertThat(mine.get(i).get(10, TimeUnit.SECONDS).find(BaseProtocol.USER_NAME).orElseThrow()
                            .utf8()).isEqualTo("t" + t + "-" + i);
                }
            }
        } finally {
            senders.shutdownNow();
        }
        assertThat(hss.messageCounts()).containsEntry(new MessageCountKey("swx", "MAR", "in"),
                (long) threads * perThread);
    }

    @Test
    void requestsFlowBothWaysOnOneConnection() throws Exception {
        DiameterNode hss = hss("hss1.localdomain");
        DiameterNode twag = twag();
        List<String> seen = new CopyOnWriteArrayList<>();
        twag.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.REGISTRATION_TERMINATION, (rtr, from) -> {
            seen.add(rtr.find(BaseProtocol.USER_NAME).orElseThrow().utf8() + " from " + from.host());
            return CompletableFuture.completedFuture(DiameterMessage.answerTo(rtr).resultCode(ResultCodes.DIAMETER_SUCCESS).build());
        });
        connect(twag, hss);
        awaitState(hss, TWAG, PeerState.OPEN);
        DiameterMessage rtr = DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.REGISTRATION_TERMINATION)
                .add(Avp.utf8(BaseProtocol.SESSION_ID, hss.newSessionId()))
                .add(Avp.identity(BaseProtocol.DESTINATION_HOST, TWAG))
                .add(Avp.identity(BaseProtocol.DESTINATION_REALM, REALM))
                .add(Avp.utf8(BaseProtocol.USER_NAME, "001010000000002"))
                .build();
        DiameterMessage rta = await(hss.send(rtr));
        assertThat(rta.resultCode()).hasValue(ResultCodes.DIAMETER_SUCCESS);
        assertThat(rta.originHost()).contains(TWAG);
        assertThat(seen).containsExactly("001010000000002 from hss1.localdomain");
    }

    @Test
    void unknownCommandIsAnsweredCommandUnsupported() throws Exception {
        DiameterNode hss = hss("hss1.localdomain");
        DiameterNode twag = twag();
        connect(twag, hss);
        DiameterMessage answer = await(twag.send(mar("x")));
        assertThat(answer.resultCode()).hasValue(ResultCodes.DIAMETER_COMMAND_UNSUPPORTED);
        assertThat(answer.isError()).isTrue();
    }

    @Test
    void failingHandlerIsAnsweredUnableToComply() throws Exception {
        DiameterNode hss = hss("hss1.localdomain");
        hss.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH, (r, f) -> {
            throw new IllegalStateException("subscriber store down");
        });
        DiameterNode twag = twag();
        connect(twag, hss);
        assertThat(await(twag.send(mar("x"))).resultCode()).hasValue(ResultCodes.DIAMETER_UNABLE_TO_COMPLY);
    }

    @Test
    void noOpenPeerFailsAtOnce() throws Exception {
        DiameterNode twag = twag();
        long start = System.nanoTime();
        DiameterRequestException e = failure(twag.send(mar("x")));
        assertThat(e.reason()).isEqualTo(DiameterRequestException.Reason.NO_ROUTE);
        assertThat(e.getMessage()).contains("realm " + REALM, "DIAMETER_UNABLE_TO_DELIVER");
        // NO_ROUTE, not TIMEOUT, is the proof; the bound only catches a hang.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void unansweredRequestTimesOut() throws Exception {
        DiameterNode hss = hss("hss1.localdomain");
        hss.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH, (r, f) -> new CompletableFuture<>());
        DiameterNode twag = track(DiameterNode.create(twagConfig().requestTimeout(Duration.ofMillis(300)).build()));
        connect(twag, hss);
        long start = System.nanoTime();
        DiameterRequestException e = failure(twag.send(mar("x")));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(e.reason()).isEqualTo(DiameterRequestException.Reason.TIMEOUT);
        assertThat(e.getMessage()).contains("MAR", "hss1.localdomain", "300 ms");
        assertThat(elapsedMs).isBetween(250L, 2000L);
        // per-request timeout overrides the node default (told by the message: elapsed time is no proof on a
        // loaded machine)
        DiameterRequestException shorter = failure(twag.send(mar("y"), RequestOptions.timeout(Duration.ofMillis(100))));
        assertThat(shorter.reason()).isEqualTo(DiameterRequestException.Reason.TIMEOUT);
        assertThat(shorter.getMessage()).contains("100 ms").doesNotContain("300 ms");
    }

    @Test
    void txRunsItsHandlerOnceWhileTheRequestWaitsOnForItsAnswerOrItsTimeout() throws Exception {
        DiameterNode hss = hss("hss1.localdomain");
        // MARs whose User-Name starts with "held" are answered when the test says so, the others at once
        java.util.Map<String, DiameterMessage> heldRequests = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.Map<String, CompletableFuture<DiameterMessage>> held = new java.util.concurrent.ConcurrentHashMap<>();
        hss.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH, (r, f) -> {
            String user = r.utf8(BaseProtocol.USER_NAME);
            if (!user.startsWith("held")) {
                return answering().handle(r, f);
            }
            heldRequests.put(user, r);
            return held.computeIfAbsent(user, u -> new CompletableFuture<>());
        });
        DiameterNode twag = twag();
        connect(twag, hss);

        // Answered within Tx: the handler never runs. Its Tx comes before the next request's, which is awaited.
        AtomicInteger answeredTx = new AtomicInteger();
        assertThat(await(twag.send(mar("now"), RequestOptions.timeout(Duration.ofSeconds(30))
                .withTx(Duration.ofMillis(100), answeredTx::incrementAndGet))).resultCode())
                .hasValue(ResultCodes.DIAMETER_SUCCESS);

        // Answered after Tx: the handler ran once at Tx, and the late answer still completes the request.
        AtomicInteger lateTx = new AtomicInteger();
        CompletableFuture<DiameterMessage> late = twag.send(mar("held-late"), RequestOptions.timeout(Duration.ofSeconds(30))
                .withTx(Duration.ofMillis(200), lateTx::incrementAndGet)).toCompletableFuture();
        Await.until("Tx of the held request", Duration.ofSeconds(10), () -> lateTx.get() == 1);
        assertThat(late).as("still pending after Tx").isNotDone();
        assertThat(answeredTx).as("no Tx handler for a request answered in time").hasValue(0);
        Await.until("the held MAR at the HSS", Duration.ofSeconds(10), () -> heldRequests.containsKey("held-late"));
        held.get("held-late").complete(DiameterMessage.answerTo(heldRequests.get("held-late"))
                .resultCode(ResultCodes.DIAMETER_SUCCESS).build());
        assertThat(await(late).resultCode()).hasValue(ResultCodes.DIAMETER_SUCCESS);
        assertThat(lateTx).hasValue(1);

        // Never answered: the handler at Tx, then TIMEOUT at the request's own timeout (told by the message).
        AtomicInteger lostTx = new AtomicInteger();
        DiameterRequestException e = failure(twag.send(mar("held-lost"), RequestOptions.timeout(Duration.ofMillis(700))
                .withTx(Duration.ofMillis(100), lostTx::incrementAndGet)));
        assertThat(e.reason()).isEqualTo(DiameterRequestException.Reason.TIMEOUT);
        assertThat(e.getMessage()).contains("700 ms");
        Await.until("Tx of the unanswered request", Duration.ofSeconds(10), () -> lostTx.get() == 1);

        // A Tx not shorter than the timeout: TIMEOUT first, the handler never runs.
        AtomicInteger longTx = new AtomicInteger();
        assertThat(failure(twag.send(mar("held-long"), RequestOptions.timeout(Duration.ofMillis(100))
                .withTx(Duration.ofMillis(100), longTx::incrementAndGet))).reason())
                .isEqualTo(DiameterRequestException.Reason.TIMEOUT);
        assertThat(lostTx).hasValue(1);
        assertThat(longTx).hasValue(0);
    }

    @Test
    void watchdogKeepsAnIdleConnectionOpen() {
        DiameterNode hss = hss("hss1.localdomain");
        DiameterNode twag = track(DiameterNode.create(twagConfig().watchdogInterval(Duration.ofMillis(200)).build()));
        connect(twag, hss);
        Await.until("3 DWA at the twag", Duration.ofSeconds(5),
                () -> twag.messageCounts().getOrDefault(new MessageCountKey("base", "DWA", "in"), 0L) >= 3);
        assertThat(hss.messageCounts().get(new MessageCountKey("base", "DWR", "in"))).isGreaterThanOrEqualTo(3L);
        assertThat(twag.peer("hss1.localdomain").orElseThrow().state()).isEqualTo(PeerState.OPEN);
    }

    @Test
    void peerThatStopsAnsweringWatchdogsBecomesSuspectThenClosed() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            DiameterNode twag = track(DiameterNode.create(twagConfig().watchdogInterval(Duration.ofMillis(200))
                    .reconnectDelay(Duration.ofSeconds(30), Duration.ofSeconds(30)).build()));
            twag.addPeer(PeerConfig.connectTo("mute.hss", REALM, "127.0.0.1", listening.getLocalPort()));
            try (RawPeer mute = RawPeer.accept(listening, "mute.hss")) {
                DiameterMessage cer = mute.read();
                assertThat(cer.commandCode()).isEqualTo(BaseProtocol.CAPABILITIES_EXCHANGE);
                mute.send(mute.answer(cer, ResultCodes.DIAMETER_SUCCESS));
                awaitState(twag, "mute.hss", PeerState.OPEN);
                assertThat(mute.read().commandCode()).isEqualTo(BaseProtocol.DEVICE_WATCHDOG); // never answered
                awaitState(twag, "mute.hss", PeerState.SUSPECT);
                awaitState(twag, "mute.hss", PeerState.CLOSED);
                assertThat(mute.isClosedByPeer()).isTrue();
            }
        }
    }

    @Test
    void pendingRequestFailsOverToAnotherPeerWithTheTFlag() throws Exception {
        DiameterNode hss2 = hss("hss2.localdomain");
        List<Boolean> retransmitted = new CopyOnWriteArrayList<>();
        hss2.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH, (r, f) -> {
            retransmitted.add(r.isRetransmitted());
            return answering().handle(r, f);
        });
        DiameterNode twag = twag();
        try (ServerSocket listening = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            twag.addPeer(PeerConfig.connectTo("hss1.localdomain", REALM, "127.0.0.1", listening.getLocalPort()));
            try (RawPeer hss1 = RawPeer.accept(listening, "hss1.localdomain")) {
                hss1.send(hss1.answer(hss1.read(), ResultCodes.DIAMETER_SUCCESS));
                awaitState(twag, "hss1.localdomain", PeerState.OPEN);
                connect(twag, hss2);
                // Destination-Host pins the first attempt on hss1, which dies with the request pending
                DiameterMessage pinned = mar("001010000000003").toBuilder()
                        .add(Avp.identity(BaseProtocol.DESTINATION_HOST, "hss1.localdomain")).build();
                CompletableFuture<DiameterMessage> answer = twag.send(pinned).toCompletableFuture();
                DiameterMessage received = hss1.readSkippingWatchdogs(true);
                assertThat(received.commandCode()).isEqualTo(SwxApplication.MULTIMEDIA_AUTH);
                assertThat(received.isRetransmitted()).isFalse();
                hss1.close(); // killed without DPR
                DiameterMessage maa = answer.get(5, TimeUnit.SECONDS);
                assertThat(maa.originHost()).contains("hss2.localdomain");
                assertThat(maa.endToEnd()).isEqualTo(received.endToEnd());
                assertThat(retransmitted).containsExactly(true);
            }
        }
    }

    @Test
    void pendingRequestFailsFastWhenNoOtherPeerIsOpen() throws Exception {
        DiameterNode twag = track(DiameterNode.create(twagConfig().requestTimeout(Duration.ofSeconds(5)).build()));
        try (ServerSocket listening = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            twag.addPeer(PeerConfig.connectTo("hss1.localdomain", REALM, "127.0.0.1", listening.getLocalPort()));
            try (RawPeer hss1 = RawPeer.accept(listening, "hss1.localdomain")) {
                hss1.send(hss1.answer(hss1.read(), ResultCodes.DIAMETER_SUCCESS));
                awaitState(twag, "hss1.localdomain", PeerState.OPEN);
                CompletableFuture<DiameterMessage> answer = twag.send(mar("x")).toCompletableFuture();
                hss1.readSkippingWatchdogs(true);
                long start = System.nanoTime();
                hss1.close();
                DiameterRequestException e = failure(answer);
                assertThat(e.reason()).isEqualTo(DiameterRequestException.Reason.PEER_DOWN);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            }
        }
    }

    @Test
    void reconnectsWhenTheListenerComesBack() {
        DiameterNode hss = hss("hss1.localdomain");
        int port = port(hss);
        DiameterNode twag = twag();
        connect(twag, hss);
        hss.close();
        awaitState(twag, "hss1.localdomain", PeerState.CLOSED);
        DiameterNode again = track(DiameterNode.create(hssConfig("hss1.localdomain").listen("127.0.0.1", port).build()));
        again.addPeer(PeerConfig.acceptFrom(TWAG, REALM));
        awaitState(twag, "hss1.localdomain", PeerState.OPEN);
        awaitState(again, TWAG, PeerState.OPEN);
    }

    @Test
    void closingANodeSendsDprAndThePeerAnswersDpa() {
        DiameterNode hss = hss("hss1.localdomain");
        DiameterNode twag = track(DiameterNode.create(twagConfig().reconnectDelay(Duration.ofSeconds(30), Duration.ofSeconds(30)).build()));
        connect(twag, hss);
        awaitState(hss, TWAG, PeerState.OPEN);
        twag.close();
        assertThat(twag.messageCounts()).containsEntry(new MessageCountKey("base", "DPR", "out"), 1L)
                .containsEntry(new MessageCountKey("base", "DPA", "in"), 1L);
        assertThat(hss.messageCounts()).containsEntry(new MessageCountKey("base", "DPR", "in"), 1L);
        awaitState(hss, TWAG, PeerState.CLOSED);
        assertThatThrownBy(() -> twag.send(mar("x")).toCompletableFuture().get(2, TimeUnit.SECONDS))
                .hasCauseInstanceOf(DiameterRequestException.class).hasMessageContaining("shutting down");
    }

    @Test
    void removingAPeerAtRuntimeDisconnectsIt() {
        DiameterNode hss = hss("hss1.localdomain");
        DiameterNode twag = twag();
        connect(twag, hss);
        awaitState(hss, TWAG, PeerState.OPEN);
        assertThat(twag.removePeer("hss1.localdomain")).isTrue();
        assertThat(twag.peer("hss1.localdomain")).isEmpty();
        awaitState(hss, TWAG, PeerState.CLOSED);
        assertThat(hss.messageCounts()).containsEntry(new MessageCountKey("base", "DPR", "in"), 1L);
    }

    @Test
    void noCommonApplicationIsRefused() {
        DiameterNode ocs = track(DiameterNode.create(NodeConfig.builder("ocs.localdomain", REALM)
                .applications(ApplicationId.GY).listen("127.0.0.1", 0).workerThreads(1).build()));
        ocs.addPeer(PeerConfig.acceptFrom(TWAG, REALM));
        List<Long> ceaResults = new CopyOnWriteArrayList<>();
        DiameterNode twag = track(DiameterNode.create(twagConfig().reconnectDelay(Duration.ofSeconds(30), Duration.ofSeconds(30)).build()));
        twag.addMessageListener((direction, m, peer) -> {
            if (m.commandCode() == BaseProtocol.CAPABILITIES_EXCHANGE && !m.isRequest()) {
                ceaResults.add(m.resultCode().orElse(-1));
            }
        });
        twag.addPeer(PeerConfig.connectTo("ocs.localdomain", REALM, "127.0.0.1", port(ocs)));
        Await.until("a CEA", Duration.ofSeconds(5), () -> !ceaResults.isEmpty());
        assertThat(ceaResults).containsExactly(ResultCodes.DIAMETER_NO_COMMON_APPLICATION);
        awaitState(twag, "ocs.localdomain", PeerState.CLOSED);
        assertThat(ocs.peer(TWAG).orElseThrow().state()).isEqualTo(PeerState.CLOSED);
    }

    @Test
    void unknownPeerIsRefusedUnlessAccepted() throws Exception {
        DiameterNode hss = hss("hss1.localdomain");
        try (RawPeer stranger = RawPeer.connect(hss.listenAddress().orElseThrow(), "stranger.example")) {
            stranger.send(stranger.cer(SwxApplication.APPLICATION_ID));
            DiameterMessage cea = stranger.read();
            assertThat(cea.resultCode()).hasValue(ResultCodes.DIAMETER_UNKNOWN_PEER);
            assertThat(stranger.isClosedByPeer()).isTrue();
        }
        DiameterNode open = track(DiameterNode.create(hssConfig("hss2.localdomain").acceptUnknownPeers(true).build()));
        try (RawPeer stranger = RawPeer.connect(open.listenAddress().orElseThrow(), "stranger.example")) {
            stranger.send(stranger.cer(SwxApplication.APPLICATION_ID));
            assertThat(stranger.read().resultCode()).hasValue(ResultCodes.DIAMETER_SUCCESS);
            awaitState(open, "stranger.example", PeerState.OPEN);
            assertThat(open.peer("stranger.example").orElseThrow().configured()).isFalse();
        }
        Await.until("the stranger forgotten", Duration.ofSeconds(5), () -> open.peer("stranger.example").isEmpty());
    }

    @Test
    void retransmittedRequestIsAnsweredFromTheCache() throws Exception {
        DiameterNode hss = track(DiameterNode.create(hssConfig("hss1.localdomain").build()));
        hss.addPeer(PeerConfig.acceptFrom("raw.twag", REALM));
        AtomicInteger calls = new AtomicInteger();
        hss.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH, (r, f) ->
                CompletableFuture.completedFuture(DiameterMessage.answerTo(r).resultCode(ResultCodes.DIAMETER_SUCCESS)
                        .add(Avp.unsigned32(SwxApplication.SIP_NUMBER_AUTH_ITEMS, calls.incrementAndGet())).build()));
        try (RawPeer client = RawPeer.connect(hss.listenAddress().orElseThrow(), "raw.twag")) {
            client.send(client.cer(SwxApplication.APPLICATION_ID));
            assertThat(client.read().resultCode()).hasValue(ResultCodes.DIAMETER_SUCCESS);
            DiameterMessage first = mar("u").toBuilder().add(Avp.identity(BaseProtocol.ORIGIN_HOST, "raw.twag"))
                    .hopByHop(100).endToEnd(0x5000).build();
            client.send(first);
            DiameterMessage a1 = client.readSkippingWatchdogs(true);
            client.send(first.withHopByHop(101).withRetransmittedFlag());
            DiameterMessage a2 = client.readSkippingWatchdogs(true);
            assertThat(calls.get()).isEqualTo(1);
            assertThat(a1.hopByHop()).isEqualTo(100);
            assertThat(a2.hopByHop()).isEqualTo(101);
            assertThat(a2.endToEnd()).isEqualTo(0x5000);
            assertThat(a2.find(SwxApplication.SIP_NUMBER_AUTH_ITEMS).orElseThrow().unsigned32()).isEqualTo(1);
            // The answer again, byte for byte, but for the hop-by-hop id (header bytes 12..15): the cache keeps
            // what was sent, not a re-built message.
            byte[] w1 = a1.encode();
            byte[] w2 = a2.encode();
            assertThat(Arrays.copyOfRange(w2, 16, w2.length)).isEqualTo(Arrays.copyOfRange(w1, 16, w1.length));
            assertThat(Arrays.copyOf(w2, 12)).isEqualTo(Arrays.copyOf(w1, 12));
            // a new end-to-end id is a new request
            client.send(first.toBuilder().hopByHop(102).endToEnd(0x5001).build());
            assertThat(client.readSkippingWatchdogs(true).find(SwxApplication.SIP_NUMBER_AUTH_ITEMS).orElseThrow().unsigned32()).isEqualTo(2);
        }
    }

    @Test
    void malformedRequestIsAnsweredWithFailedAvp() throws Exception {
        DiameterNode hss = track(DiameterNode.create(hssConfig("hss1.localdomain").build()));
        hss.addPeer(PeerConfig.acceptFrom("raw.twag", REALM));
        try (RawPeer client = RawPeer.connect(hss.listenAddress().orElseThrow(), "raw.twag")) {
            client.send(client.cer(SwxApplication.APPLICATION_ID));
            client.read();
            byte[] bad = mar("u").toBuilder().hopByHop(7).endToEnd(8).build().encode();
            // the first AVP (Session-Id) now claims a length far beyond the message
            bad[20 + 5] = 0x7f;
            client.sendRaw(bad);
            DiameterMessage answer = client.readSkippingWatchdogs(true);
            assertThat(answer.resultCode()).hasValue(ResultCodes.DIAMETER_INVALID_AVP_LENGTH);
            assertThat(answer.hopByHop()).isEqualTo(7);
            Avp failed = answer.find(BaseProtocol.FAILED_AVP).orElseThrow();
            assertThat(failed.children().get(0).code()).isEqualTo(BaseProtocol.SESSION_ID.code());
            assertThat(answer.find(BaseProtocol.ERROR_MESSAGE).orElseThrow().utf8()).contains("Session-Id(263)");
        }
    }

    @Test
    void simultaneousConnectionsEndInOneOpenConnectionEachWay() {
        DiameterNode a = track(DiameterNode.create(hssConfig("a.localdomain").build()));
        DiameterNode b = track(DiameterNode.create(hssConfig("b.localdomain").build()));
        a.addPeer(PeerConfig.connectTo("b.localdomain", REALM, "127.0.0.1", port(b)));
        b.addPeer(PeerConfig.connectTo("a.localdomain", REALM, "127.0.0.1", port(a)));
        awaitState(a, "b.localdomain", PeerState.OPEN);
        awaitState(b, "a.localdomain", PeerState.OPEN);
        // the surviving connection is the same one seen from both sides
        PeerInfo atA = a.peer("b.localdomain").orElseThrow();
        PeerInfo atB = b.peer("a.localdomain").orElseThrow();
        assertThat(atA.role()).isNotEqualTo(atB.role());
    }

    @Test
    void roundRobinSpreadsRequestsOverPeersOfTheRealm() throws Exception {
        DiameterNode hss1 = hss("hss1.localdomain");
        DiameterNode hss2 = hss("hss2.localdomain");
        hss1.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH, answering());
        hss2.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH, answering());
        DiameterNode twag = twag();
        connect(twag, hss1);
        connect(twag, hss2);
        List<String> origins = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            origins.add(await(twag.send(mar("u" + i))).originHost().orElseThrow());
        }
        assertThat(origins).contains("hss1.localdomain", "hss2.localdomain");
    }

    @Test
    void defaultRouteTakesOtherRealms() throws Exception {
        DiameterNode dra = hss("dra.localdomain");
        dra.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH, answering());
        DiameterNode twag = twag();
        twag.addPeer(PeerConfig.connectTo("dra.localdomain", "dra.realm", "127.0.0.1", port(dra)).withDefaultRoute(true));
        awaitState(twag, "dra.localdomain", PeerState.OPEN);
        DiameterMessage other = DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH)
                .add(Avp.utf8(BaseProtocol.SESSION_ID, twag.newSessionId()))
                .add(Avp.identity(BaseProtocol.DESTINATION_REALM, "epc.mnc999.mcc999.3gppnetwork.org"))
                .add(Avp.utf8(BaseProtocol.USER_NAME, "999990000000001"))
                .build();
        assertThat(await(twag.send(other)).originHost()).contains("dra.localdomain");
    }

    // ------------------------------------------------------------------ DOIC (RFC 7683)

    /** A MAR handler answering success with a host-type OLR of {@code percent}, and counting the MARs it saw. */
    private static RequestHandler overloaded(int percent, AtomicInteger seen, List<DiameterMessage> requests) {
        return (request, from) -> {
            seen.incrementAndGet();
            requests.add(request);
            return CompletableFuture.completedFuture(DiameterMessage.answerTo(request)
                    .resultCode(ResultCodes.DIAMETER_SUCCESS)
                    .add(org.opentwag.diameter.codec.OverloadControl.supportedFeatures())
                    .add(new org.opentwag.diameter.codec.OverloadControl.Report(1,
                            org.opentwag.diameter.codec.OverloadControl.ReportType.HOST_REPORT, percent,
                            Duration.ofSeconds(30)).toAvp())
                    .build());
        };
    }

    private static DiameterMessage marTo(String user, String host) {
        return mar(user).toBuilder().add(Avp.identity(BaseProtocol.DESTINATION_HOST, host)).build();
    }

    @Test
    void requestsAdvertiseDoicAndAHostOverloadReportDropsItsShareOfNewRequests() throws Exception {
        DiameterNode hss = hss("hss1.localdomain");
        AtomicInteger seen = new AtomicInteger();
        List<DiameterMessage> requests = new CopyOnWriteArrayList<>();
        hss.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH, overloaded(50, seen, requests));
        DiameterNode twag = twag();
        connect(twag, hss);

        await(twag.send(marTo("first", "hss1.localdomain"))); // carries the report
        int ok = 0;
        int overloaded = 0;
        for (int i = 0; i < 40; i++) {
            try {
                await(twag.send(marTo("u" + i, "hss1.localdomain")));
                ok++;
            } catch (ExecutionException e) {
                assertThat(((DiameterRequestException) e.getCause()).reason()).isEqualTo(DiameterRequestException.Reason.OVERLOADED);
                overloaded++;
            }
        }
        assertThat(ok).isEqualTo(20);
        assertThat(overloaded).isEqualTo(20);
        assertThat(seen.get()).as("the HSS saw only what was sent").isEqualTo(21);
        assertThat(twag.overloadAbated()).containsEntry(new OverloadAbatedKey("hss1.localdomain", "swx"), 20L);
        assertThat(requests).allSatisfy(r -> assertThat(r.find(org.opentwag.diameter.codec.OverloadControl.OC_SUPPORTED_FEATURES)
                .flatMap(f -> f.find(org.opentwag.diameter.codec.OverloadControl.OC_FEATURE_VECTOR))
                .map(Avp::unsigned64)).contains(org.opentwag.diameter.codec.OverloadControl.OLR_DEFAULT_ALGO));
    }

    @Test
    void requestsWithoutADestinationHostGoToAnotherPeerOfTheRealmWhileOneIsOverloaded() throws Exception {
        DiameterNode hss1 = hss("hss1.localdomain");
        DiameterNode hss2 = hss("hss2.localdomain");
        AtomicInteger seen1 = new AtomicInteger();
        AtomicInteger seen2 = new AtomicInteger();
        hss1.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH,
                overloaded(100, seen1, new CopyOnWriteArrayList<>()));
        hss2.registerRequestHandler(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH, (request, from) -> {
            seen2.incrementAndGet();
            return answering().handle(request, from);
        });
        DiameterNode twag = twag();
        connect(twag, hss1);
        connect(twag, hss2);
        await(twag.send(marTo("first", "hss1.localdomain")));
        for (int i = 0; i < 10; i++) {
            assertThat(await(twag.send(mar("u" + i))).originHost()).contains("hss2.localdomain");
        }
        assertThat(seen1.get()).isEqualTo(1);
        assertThat(seen2.get()).isEqualTo(10);
        assertThat(twag.overloadAbated()).isEmpty();
        // a request that names the overloaded host has nowhere else to go
        assertThat(failure(twag.send(marTo("named", "hss1.localdomain"))).reason())
                .isEqualTo(DiameterRequestException.Reason.OVERLOADED);
    }
}
