package org.opentwag.charging.gy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.charging.Usage;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol;
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
import org.opentwag.support.test.Await;

/**
 * Exactly-once usage across a CCR-U whose answer comes after Tx, against a scripted OCS over a loopback Diameter
 * connection: the OCS holds the CCA of chosen CC-Request-Numbers until the test releases it (or never answers), so a
 * Tx expiry is certain without any timing guess. The client's other requests go through a backend with a Tx long
 * enough for any load; only the held CCR-U goes through one with a short Tx (the backend keeps no per-session state).
 *
 * <p>The OCS rates every CCR it receives (as SigScale OCS does) and also once per Session-Id and CC-Request-Number
 * (the duplicate detection RFC 4006 5.7 leaves to the server): the octets of the CCR-U, its retransmission and the
 * CCR-T must add up to exactly the session's usage.
 */
class GyLateAnswerTest {
    static final String REALM = "epc.mnc001.mcc001.3gppnetwork.org";
    static final String TWAG = "twag-late.localdomain";
    static final String OCS = "ocs-late.localdomain";
    static final long MB = 1024 * 1024;
    static final String IMSI = "001010000000021";
    static final Duration LONG_TX = Duration.ofSeconds(20);
    static final Duration SHORT_TX = Duration.ofMillis(200);

    private DiameterNode ocsNode;
    private DiameterNode twagNode;
    private final GyStatistics statistics = new GyStatistics();

    /** CCRs as the OCS received them, in order. */
    private final List<DiameterMessage> received = new CopyOnWriteArrayList<>();
    /** CC-Request-Numbers whose CCA the OCS holds; set before the request is sent. */
    private final Set<Long> hold = ConcurrentHashMap.newKeySet();
    /** Whether the OCS holds CCA-Is; set before the request is sent. */
    private volatile boolean holdInitial;
    private final BlockingQueue<Held> held = new LinkedBlockingQueue<>();
    /** CCAs that reached the client's node, late ones included. */
    private final AtomicInteger answersIn = new AtomicInteger();

    private record Held(DiameterMessage request, CompletableFuture<DiameterMessage> answer, DiameterMessage cca) {
        void release() {
            answer.complete(cca);
        }
    }

    @BeforeEach
    void start() {
        ocsNode = DiameterNode.create(NodeConfig.builder(OCS, REALM).applications(ApplicationId.GY)
                .listen("127.0.0.1", 0).workerThreads(2).build());
        ocsNode.addPeer(new PeerConfig(TWAG, null, null, PeerConfig.DEFAULT_PORT, null, false, null, false));
        // Every CCR on the wire, retransmissions included (the OCS node's stack answers a T-flagged copy of a request
        // it is still answering from its answer cache, RFC 6733 6.1.3, so the handler sees only the first).
        ocsNode.addMessageListener((direction, message, peer) -> {
            if (direction.equals("in") && message.isRequest() && message.commandCode() == 272) {
                received.add(message);
            }
        });
        ocsNode.registerRequestHandler(CreditControlApplication.APPLICATION_ID, 272, (request, from) -> {
            CreditControlRequest ccr = CreditControlRequest.from(request);
            DiameterMessage cca = CreditControlAnswer.answer(request, 2001, ccr.requestType() == 3 ? List.of()
                    : List.of(ServiceCredit.grant(1, ServiceCredit.ABSENT, ServiceUnits.total(10 * MB),
                    ServiceCredit.ABSENT, 2001, ServiceCredit.ABSENT)), ServiceCredit.ABSENT);
            if ((ccr.requestType() == 2 && hold.contains(ccr.requestNumber()))
                    || (ccr.requestType() == 1 && holdInitial)) {
                CompletableFuture<DiameterMessage> later = new CompletableFuture<>();
                held.add(new Held(request, later, cca));
                return later;
            }
            return CompletableFuture.completedFuture(cca);
        });
        twagNode = DiameterNode.create(NodeConfig.builder(TWAG, REALM).applications(ApplicationId.GY)
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(400)).workerThreads(2).build());
        twagNode.addMessageListener((direction, message, peer) -> {
            if (direction.equals("in") && !message.isRequest() && message.commandCode() == 272) {
                answersIn.incrementAndGet();
            }
        });
        connect();
    }

    private void connect() {
        twagNode.addPeer(PeerConfig.connectTo(OCS, REALM, "127.0.0.1", ocsNode.listenAddress().orElseThrow().getPort()));
        Await.until("OCS peer OPEN", Duration.ofSeconds(30),
                () -> twagNode.peer(OCS).map(p -> p.state() == PeerState.OPEN).orElse(false));
    }

    @AfterEach
    void stop() {
        held.forEach(Held::release);
        twagNode.close();
        ocsNode.close();
    }

    private GyChargingBackend backend(FailureHandling handling, Duration tx) {
        return new GyChargingBackend(twagNode, GySettings.defaults(REALM).withChunkOctets(10 * MB)
                .withFailureHandling(handling).withTxTimeout(tx), true, statistics, System::currentTimeMillis);
    }

    private GyChargingBackend backend(FailureHandling handling, Duration tx, GySessions sessions) {
        return new GyChargingBackend(twagNode, GySettings.defaults(REALM).withChunkOctets(10 * MB)
                .withFailureHandling(handling).withTxTimeout(tx), true, statistics, System::currentTimeMillis,
                sessions);
    }

    private static ChargingSession session() {
        return new ChargingSession("token-late", IMSI, "10.0.0.1", "AA-BB-CC-DD-EE-FF:OpenTWAG",
                "11-22-33-44-55-66", "online");
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static Usage usage(long in, long out) {
        return new Usage(in, out, 0, 0, 60);
    }

    private static long used(CreditControlRequest ccr) {
        return ccr.credits().stream().filter(c -> c.used() != null).mapToLong(c -> c.used().totalOctets()).sum();
    }

    /** Used octets of every CCR the OCS received: what an OCS without duplicate detection debits. */
    private long ratedEach() {
        return received.stream().map(CreditControlRequest::from).mapToLong(GyLateAnswerTest::used).sum();
    }

    /** Used octets rated once per Session-Id and CC-Request-Number: what a duplicate-detecting OCS debits. */
    private long ratedOnce() {
        Map<String, Long> once = new java.util.HashMap<>();
        received.stream().map(CreditControlRequest::from)
                .forEach(c -> once.putIfAbsent(c.sessionId() + "#" + c.requestNumber(), used(c)));
        return once.values().stream().mapToLong(Long::longValue).sum();
    }

    private Held nextHeld() throws InterruptedException {
        Held h = held.poll(30, TimeUnit.SECONDS);
        assertThat(h).as("a held CCR-U at the OCS").isNotNull();
        return h;
    }

    /** Releases a held CCA and waits, bounded, until it has reached the client (after the client's Tx). */
    private void releaseAndAwaitItsArrival(Held h) {
        int before = answersIn.get();
        h.release();
        Await.until("the late CCA at the client", Duration.ofSeconds(30), () -> answersIn.get() > before);
    }

    @Test
    void terminateAfterTxDoesNotReportTheTimedOutUpdatesUsageAgainInTheTermination() throws Exception {
        ChargingSession s = session();
        GyChargingBackend slow = backend(FailureHandling.TERMINATE, SHORT_TX);
        GyChargingBackend patient = backend(FailureHandling.TERMINATE, LONG_TX);
        assertThat(await(patient.start(s)).grantedOctets()).isEqualTo(10 * MB);

        hold.add(1L);
        ChargingDecision cut = await(slow.update(s, usage(2 * MB, 7 * MB)));
        assertThat(cut.allowed()).as("TERMINATE: the service ends at Tx").isFalse();
        Held ccru = nextHeld();
        assertThat(used(CreditControlRequest.from(ccru.request()))).isEqualTo(9 * MB);
        // The OCS has rated the CCR-U; its answer comes after Tx.
        releaseAndAwaitItsArrival(ccru);

        await(patient.stop(s, usage(2 * MB, 7 * MB + MB / 2)));
        CreditControlRequest ccrt = CreditControlRequest.from(received.get(received.size() - 1));
        assertThat(ccrt.requestType()).isEqualTo(3);
        assertThat(used(ccrt)).as("the CCR-T reports only what the CCR-U did not").isEqualTo(MB / 2);
        assertThat(ratedEach()).as("no octet rated twice, none lost").isEqualTo(9 * MB + MB / 2);
        assertThat(ratedOnce()).isEqualTo(9 * MB + MB / 2);
        Await.until("the late CCA counted", Duration.ofSeconds(30),
                () -> statistics.get("charging_cca_late_count{mode=\"online\",type=\"update\"}") == 1);
        assertThat(statistics.get("charging_usage_in_doubt_octets{mode=\"online\"}")).isEqualTo(9 * MB);
        assertThat(statistics.get("charging_ocs_failure_count{mode=\"online\",type=\"update\",handling=\"terminate\"}"))
                .isEqualTo(1);
    }

    @Test
    void continueAfterTxReportsOnlyNewUsageInTheNextUpdateAndTheTermination() throws Exception {
        ChargingSession s = session();
        GyChargingBackend slow = backend(FailureHandling.CONTINUE, SHORT_TX);
        GyChargingBackend patient = backend(FailureHandling.CONTINUE, LONG_TX);
        await(patient.start(s));

        hold.add(1L);
        ChargingDecision goesOn = await(slow.update(s, usage(2 * MB, 7 * MB)));
        assertThat(goesOn.allowed()).as("CONTINUE: the service goes on").isTrue();
        assertThat(goesOn.grantedOctets()).as("10 + 10 MB granted, 9 used").isEqualTo(11 * MB);
        releaseAndAwaitItsArrival(nextHeld());

        // 18 MB: 9 MB since the timed-out CCR-U, past 80 % of the 11 MB left: CCR-U #2 reports those 9 MB.
        ChargingDecision next = await(patient.update(s, usage(4 * MB, 14 * MB)));
        assertThat(next.allowed()).isTrue();
        CreditControlRequest ccru2 = CreditControlRequest.from(received.get(received.size() - 1));
        assertThat(ccru2.requestNumber()).isEqualTo(2);
        assertThat(used(ccru2)).isEqualTo(9 * MB);

        await(patient.stop(s, usage(4 * MB, 15 * MB)));
        assertThat(used(CreditControlRequest.from(received.get(received.size() - 1)))).isEqualTo(MB);
        assertThat(ratedEach()).as("no octet rated twice, none lost").isEqualTo(19 * MB);
        assertThat(ratedOnce()).isEqualTo(19 * MB);
    }

    @Test
    void retryAndTerminateRetransmitsTheSameRequestAndNothingElseRepeatsItsUsage() throws Exception {
        ChargingSession s = session();
        GyChargingBackend slow = backend(FailureHandling.RETRY_AND_TERMINATE, SHORT_TX);
        GyChargingBackend patient = backend(FailureHandling.RETRY_AND_TERMINATE, LONG_TX);
        await(patient.start(s));

        hold.add(1L); // no CCA within either Tx: the OCS answers the CCR-U (and so its retransmission) after both
        ChargingDecision cut = await(slow.update(s, usage(2 * MB, 7 * MB)));
        assertThat(cut.allowed()).as("no CCA within two Tx: the service ends").isFalse();
        Held ccru = nextHeld();
        Await.until("the retransmission at the OCS", Duration.ofSeconds(30), () -> received.size() == 3);
        DiameterMessage first = received.get(1);
        DiameterMessage again = received.get(2);
        assertThat(first.isRetransmitted()).isFalse();
        assertThat(again.isRetransmitted()).as("T flag").isTrue();
        assertThat(again.endToEnd()).as("same End-to-End Identifier").isEqualTo(first.endToEnd());
        CreditControlRequest a = CreditControlRequest.from(first);
        CreditControlRequest b = CreditControlRequest.from(again);
        assertThat(b.sessionId()).isEqualTo(a.sessionId());
        assertThat(b.requestNumber()).as("same CC-Request-Number").isEqualTo(a.requestNumber()).isEqualTo(1);
        assertThat(used(b)).isEqualTo(used(a)).isEqualTo(9 * MB);
        // One CCA to each copy, both after failure handling acted: counted as late, not acted on.
        int before = answersIn.get();
        ccru.release();
        Await.until("both late CCAs at the client", Duration.ofSeconds(30), () -> answersIn.get() == before + 2);

        await(patient.stop(s, usage(2 * MB, 8 * MB)));
        assertThat(used(CreditControlRequest.from(received.get(received.size() - 1)))).isEqualTo(MB);
        assertThat(ratedOnce()).as("an OCS that detects the retransmission debits exactly the usage")
                .isEqualTo(10 * MB);
        assertThat(ratedEach()).as("only the T-flagged retransmission repeats octets").isEqualTo(19 * MB);
        Await.until("the late CCAs counted", Duration.ofSeconds(30),
                () -> statistics.get("charging_cca_late_count{mode=\"online\",type=\"update\"}") == 2);
    }

    @Test
    void anUpdateThatNeverLeftThisNodeIsReportedWithTheNextOne() throws Exception {
        ChargingSession s = session();
        GyChargingBackend patient = backend(FailureHandling.CONTINUE, LONG_TX);
        await(patient.start(s));

        twagNode.removePeer(OCS);
        ChargingDecision goesOn = await(patient.update(s, usage(2 * MB, 7 * MB)));
        assertThat(goesOn.allowed()).isTrue();
        assertThat(statistics.get("charging_usage_in_doubt_octets{mode=\"online\"}")).as("no route: not in doubt")
                .isZero();
        connect();

        ChargingDecision back = await(patient.update(s, usage(4 * MB, 14 * MB)));
        assertThat(back.allowed()).isTrue();
        CreditControlRequest ccru = CreditControlRequest.from(received.get(received.size() - 1));
        assertThat(used(ccru)).as("the usage the OCS never saw goes with the next CCR-U").isEqualTo(18 * MB);
        await(patient.stop(s, usage(4 * MB, 15 * MB)));
        assertThat(ratedEach()).as("no octet rated twice, none lost").isEqualTo(19 * MB);
    }

    @Test
    void aCcaInitialAfterTxIsFollowedByATerminationThatClosesTheOcsSession() throws Exception {
        GyChargingBackend slow = backend(FailureHandling.TERMINATE, SHORT_TX);
        holdInitial = true;
        ChargingDecision refused = await(slow.start(session()));
        assertThat(refused.allowed()).as("TERMINATE: no CCA-I within Tx, login refused").isFalse();
        Held ccri = nextHeld();
        ccri.release(); // the OCS opened the session and reserved a chunk; its CCA-I comes too late
        Await.until("a CCR-T for the orphaned session", Duration.ofSeconds(30), () -> received.size() == 2);
        CreditControlRequest initial = CreditControlRequest.from(received.get(0));
        CreditControlRequest ccrt = CreditControlRequest.from(received.get(1));
        assertThat(ccrt.requestType()).isEqualTo(3);
        assertThat(ccrt.sessionId()).isEqualTo(initial.sessionId());
        assertThat(ccrt.requestNumber()).isEqualTo(1);
        assertThat(used(ccrt)).isZero();
        assertThat(received.get(1).destinationHost()).hasValue(OCS);
    }

    // ------------------------------------------------------------------ RAR-CCR collision (RFC 4006 5.5)

    /** The charging core's part of an RAR, reduced to what it does: a re-authorisation through the backend. */
    private final List<String> reauthorized = new CopyOnWriteArrayList<>();

    private GyServerRequests fromOcs(GySessions sessions, GyChargingBackend gy, ChargingSession s) {
        org.opentwag.api.charging.ChargingActions core = new org.opentwag.api.charging.ChargingActions() {
            @Override
            public boolean reauthorize(String sessionId, String why) {
                reauthorized.add(sessionId);
                gy.reauthorize(s, usage(3 * MB, 3 * MB));
                return sessionId.equals(s.sessionId());
            }

            @Override
            public boolean abort(String sessionId, String why) {
                return sessionId.equals(s.sessionId());
            }
        };
        GyServerRequests requests = new GyServerRequests(sessions, () -> core, statistics);
        twagNode.registerRequestHandler(CreditControlApplication.APPLICATION_ID, BaseProtocol.RE_AUTH,
                requests::reAuth);
        return requests;
    }

    private DiameterMessage reAuthRequest(String gySession) throws Exception {
        return await(ocsNode.send(DiameterMessage.request(CreditControlApplication.APPLICATION_ID, BaseProtocol.RE_AUTH)
                .add(Avp.utf8(BaseProtocol.SESSION_ID, gySession))
                .add(Avp.identity(BaseProtocol.DESTINATION_REALM, REALM))
                .add(Avp.identity(BaseProtocol.DESTINATION_HOST, TWAG))
                .add(Avp.unsigned32(BaseProtocol.AUTH_APPLICATION_ID, CreditControlApplication.APPLICATION_ID))
                .add(Avp.enumerated(BaseProtocol.RE_AUTH_REQUEST_TYPE, 0)).build()));
    }

    @Test
    void anRarWhileACcrUpdateAwaitsItsAnswerStartsNoSecondUpdate() throws Exception {
        ChargingSession s = session();
        GySessions sessions = new GySessions(new GyChargingBackendTest.MapStore());
        GyChargingBackend gy = backend(FailureHandling.TERMINATE, LONG_TX, sessions);
        await(gy.start(s));
        String gySession = CreditControlRequest.from(received.get(0)).sessionId();
        fromOcs(sessions, gy, s);

        hold.add(1L);
        CompletableFuture<ChargingDecision> update = gy.update(s, usage(2 * MB, 7 * MB)).toCompletableFuture();
        Held ccru = nextHeld(); // CCR-U #1 is at the OCS, its CCA held: the client is in PendingU
        DiameterMessage raa = reAuthRequest(gySession);
        assertThat(raa.resultCode()).as("RFC 4006 5.5: DIAMETER_SUCCESS, re-authorisation already ongoing")
                .hasValue(2001);
        // The handler answers after it has (or has not) asked the core: nothing may be pending here.
        assertThat(reauthorized).as("no re-authorisation started").isEmpty();
        assertThat(sessions.updatePending(gySession)).isTrue();

        ccru.release();
        assertThat(await(update).allowed()).as("the pending CCR-U's CCA serves").isTrue();
        Await.until("CCR-U #1 no longer pending", Duration.ofSeconds(30), () -> !sessions.updatePending(gySession));
        await(gy.stop(s, usage(2 * MB, 8 * MB)));
        List<CreditControlRequest> ccrs = received.stream().map(CreditControlRequest::from).toList();
        assertThat(ccrs).extracting(CreditControlRequest::requestType).as("CCR-I, one CCR-U, CCR-T")
                .containsExactly(1, 2, 3);
        assertThat(ccrs.get(2).requestNumber()).as("no other CCR was numbered in between").isEqualTo(2);
        assertThat(statistics.get("charging_ocs_request_count{request=\"rar\",result=\"2001\"}")).isEqualTo(1);
    }

    @Test
    void anRarAfterTxWhileTheLateAnswerIsAwaitedStartsNoUpdateButOneAfterItDoes() throws Exception {
        ChargingSession s = session();
        GySessions sessions = new GySessions(new GyChargingBackendTest.MapStore());
        GyChargingBackend patient = backend(FailureHandling.CONTINUE, LONG_TX, sessions);
        GyChargingBackend slow = backend(FailureHandling.CONTINUE, SHORT_TX, sessions);
        await(patient.start(s));
        String gySession = CreditControlRequest.from(received.get(0)).sessionId();
        fromOcs(sessions, patient, s);

        hold.add(1L);
        assertThat(await(slow.update(s, usage(2 * MB, 7 * MB))).allowed()).as("CONTINUE at Tx").isTrue();
        Held late = nextHeld();
        // RFC 4006 section 7: after Tx with CONTINUE the client stays in PendingU until the request's timeout.
        assertThat(reAuthRequest(gySession).resultCode()).hasValue(2001);
        assertThat(reauthorized).as("no re-authorisation while CCR-U #1 may still be answered").isEmpty();

        releaseAndAwaitItsArrival(late);
        Await.until("CCR-U #1 answered: Open again", Duration.ofSeconds(30), () -> !sessions.updatePending(gySession));
        int before = received.size();
        assertThat(reAuthRequest(gySession).resultCode()).hasValue(2001);
        assertThat(reauthorized).as("Open: the RAR re-authorises").containsExactly(s.sessionId());
        Await.until("CCR-U #2 at the OCS", Duration.ofSeconds(30), () -> received.size() == before + 1);
        CreditControlRequest ccru2 = CreditControlRequest.from(received.get(before));
        assertThat(ccru2.requestType()).isEqualTo(2);
        assertThat(ccru2.requestNumber()).isEqualTo(2);
        assertThat(ccru2.credits().get(0).reportingReason()).as("FORCED_REAUTHORISATION").isEqualTo(7);
    }
}
