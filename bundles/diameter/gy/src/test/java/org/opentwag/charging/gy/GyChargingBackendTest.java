package org.opentwag.charging.gy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.charging.Usage;
import org.opentwag.diameter.codec.CreditControlRequest;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.diameter.stack.PeerState;
import org.opentwag.ocssim.BalanceBook;
import org.opentwag.ocssim.OcsBehaviour;
import org.opentwag.ocssim.OcsSimulator;
import org.opentwag.support.test.Await;

/**
 * Both Gy modes against the OCS simulator over a real loopback Diameter connection (two nodes, ephemeral port).
 * What the OCS received is read back from its side of the wire.
 */
class GyChargingBackendTest {
    static final String REALM = "epc.mnc001.mcc001.3gppnetwork.org";
    static final String TWAG = "twag.localdomain";
    static final String OCS = "ocs.localdomain";
    static final long MB = 1024 * 1024;
    static final String RICH = "001010000000001";
    static final String POOR = "001010000000002";
    static final String BROKE = "001010000000011";

    @TempDir
    Path dir;

    private DiameterNode ocsNode;
    private DiameterNode twagNode;
    private OcsSimulator ocs;
    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private final GyStatistics statistics = new GyStatistics();
    /** CCRs as the OCS received them. */
    private final List<CreditControlRequest> received = new CopyOnWriteArrayList<>();
    private final List<DiameterMessage> receivedMessages = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path file = dir.resolve("ocs-balances.csv");
        Files.write(file, List.of("imsi,balance_octets", RICH + "," + (1000 * MB), POOR + "," + (25 * MB),
                BROKE + ",0"));
        ocsNode = DiameterNode.create(NodeConfig.builder(OCS, REALM).applications(ApplicationId.GY)
                .listen("127.0.0.1", 0).workerThreads(2).build());
        ocsNode.addPeer(new PeerConfig(TWAG, null, null, PeerConfig.DEFAULT_PORT, null, false, null, false));
        ocsNode.addMessageListener((direction, message, peer) -> {
            if (direction.equals("in") && message.isRequest() && message.commandCode() == 272) {
                receivedMessages.add(message);
                received.add(CreditControlRequest.from(message));
            }
        });
        ocs = new OcsSimulator(ocsNode, new BalanceBook(file), OcsBehaviour.defaults().withValidityTimeSeconds(600));
        twagNode = DiameterNode.create(NodeConfig.builder(TWAG, REALM).applications(ApplicationId.SWX, ApplicationId.GY)
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(400)).workerThreads(2).build());
        twagNode.addPeer(PeerConfig.connectTo(OCS, REALM, "127.0.0.1", ocsNode.listenAddress().orElseThrow().getPort()));
        Await.until("OCS peer OPEN", Duration.ofSeconds(5),
                () -> twagNode.peer(OCS).map(p -> p.state() == PeerState.OPEN).orElse(false));
    }

    @AfterEach
    void stop() {
        ocs.close();
        twagNode.close();
        ocsNode.close();
    }

    private GyChargingBackend backend(boolean online, GySettings settings) {
        return new GyChargingBackend(twagNode, settings, online, statistics, now::get);
    }

    private static GySettings settings() {
        return GySettings.defaults(REALM);
    }

    private static ChargingSession session(String imsi, String mode) {
        return new ChargingSession("token-" + imsi, imsi, "10.0.0.1", "AA-BB-CC-DD-EE-FF:OpenTWAG",
                "11-22-33-44-55-66", mode);
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Usage usage(long in, long out) {
        return new Usage(in, out, 0, 0, 60);
    }

    @Test
    void onlineAsksChunksAtTheThresholdAndHonoursFinalUnitAndCreditLimit() throws Exception {
        GyChargingBackend gy = backend(true, settings());
        ChargingSession s = session(POOR, "online");

        ChargingDecision i = await(gy.start(s));
        assertThat(i.allowed()).isTrue();
        assertThat(i.grantedOctets()).isEqualTo(10 * MB);
        assertThat(i.validitySeconds()).isEqualTo(600);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).requestType()).isEqualTo(1);
        assertThat(received.get(0).imsi()).isEqualTo(POOR);
        assertThat(received.get(0).credits().get(0).requested().totalOctets()).isEqualTo(10 * MB);
        assertThat(received.get(0).credits().get(0).ratingGroup()).isEqualTo(1);

        // 70 % used: below the 80 % threshold, no CCR-U; 3 MB left.
        ChargingDecision quiet = await(gy.update(s, usage(2 * MB, 5 * MB)));
        assertThat(received).hasSize(1);
        assertThat(quiet.grantedOctets()).isEqualTo(3 * MB);

        // 80 %: CCR-U reporting 8 MB as THRESHOLD (0), new 10 MB grant.
        ChargingDecision u1 = await(gy.update(s, usage(2 * MB, 6 * MB)));
        assertThat(received).hasSize(2);
        CreditControlRequest ccru = received.get(1);
        assertThat(ccru.requestType()).isEqualTo(2);
        assertThat(ccru.requestNumber()).isEqualTo(1);
        assertThat(ccru.sessionId()).isEqualTo(received.get(0).sessionId());
        assertThat(ccru.credits().get(0).used().totalOctets()).isEqualTo(8 * MB);
        assertThat(ccru.credits().get(0).used().inputOctets()).isEqualTo(2 * MB);
        assertThat(ccru.credits().get(0).reportingReason()).isZero();
        assertThat(u1.allowed()).isTrue();
        assertThat(u1.grantedOctets()).isEqualTo(10 * MB);
        assertThat(ocs.balance(POOR)).hasValue(17 * MB);

        // Next 8 MB: CCR-U; the OCS has 17 - 8 = 9 MB left, so it grants 9 MB as the final units.
        ChargingDecision u2 = await(gy.update(s, usage(2 * MB, 14 * MB)));
        assertThat(received).hasSize(3);
        assertThat(u2.grantedOctets()).isEqualTo(9 * MB);
        assertThat(u2.finalUnit()).isTrue();

        // After the final units no CCR-U, even past the threshold; the core cuts the session when it is used.
        ChargingDecision after = await(gy.update(s, usage(2 * MB, 23 * MB)));
        assertThat(received).hasSize(3);
        assertThat(after.finalUnit()).isTrue();
        assertThat(after.grantedOctets()).isZero();

        await(gy.stop(s, usage(2 * MB, 24 * MB)));
        CreditControlRequest ccrt = received.get(3);
        assertThat(ccrt.requestType()).isEqualTo(3);
        assertThat(ccrt.requestNumber()).isEqualTo(3);
        assertThat(ccrt.terminationCause()).isEqualTo(1);
        assertThat(ccrt.credits().get(0).used().totalOctets()).isEqualTo(10 * MB);
        assertThat(ocs.balance(POOR)).hasValue(0);
        assertThat(ocs.openSessions()).isZero();
        assertThat(statistics.get("charging_ccr_count{mode=\"online\",type=\"update\"}")).isEqualTo(2);
        assertThat(statistics.get("charging_cca_result_count{mode=\"online\",result=\"2001\"}")).isEqualTo(4);
    }

    @Test
    void creditLimitReachedAtUpdateRefusesTheSession() throws Exception {
        GyChargingBackend gy = backend(true, settings().withChunkOctets(25 * MB));
        ChargingSession first = session(POOR, "online");
        assertThat(await(gy.start(first)).finalUnit()).isTrue();
        // A second session of the same subscriber finds nothing left: 4012 at CCR-I.
        ChargingDecision second = await(gy.start(session(POOR, "online")));
        assertThat(second.allowed()).isFalse();
        assertThat(second.reason()).contains("4012");
        // The first uses its 25 MB; the core disconnects it (final unit); CCR-U is never sent.
        assertThat(await(gy.update(first, usage(0, 25 * MB))).grantedOctets()).isZero();
    }

    @Test
    void zeroBalanceIsRefusedInBothModes() throws Exception {
        for (boolean online : new boolean[] {true, false}) {
            ChargingDecision d = await(backend(online, settings()).start(session(BROKE, online ? "online" : "authorization-only")));
            assertThat(d.allowed()).isFalse();
            assertThat(d.reason()).contains("DIAMETER_CREDIT_LIMIT_REACHED");
        }
        assertThat(ocs.openSessions()).isZero();
    }

    @Test
    void authorizationOnlySendsNoUpdateAndReportsTheTotalAtTheEnd() throws Exception {
        GyChargingBackend gy = backend(false, settings());
        ChargingSession s = session(RICH, "authorization-only");
        ChargingDecision i = await(gy.start(s));
        assertThat(i.allowed()).isTrue();
        assertThat(i.grantedOctets()).isEqualTo(ChargingDecision.UNLIMITED);
        assertThat(await(gy.update(s, usage(50 * MB, 500 * MB))).allowed()).isTrue();
        assertThat(received).hasSize(1);
        await(gy.stop(s, usage(50 * MB, 500 * MB)));
        assertThat(received).hasSize(2);
        assertThat(received.get(1).requestType()).isEqualTo(3);
        assertThat(received.get(1).credits().get(0).used()).satisfies(u -> {
            assertThat(u.inputOctets()).isEqualTo(50 * MB);
            assertThat(u.outputOctets()).isEqualTo(500 * MB);
        });
        assertThat(ocs.balance(RICH)).hasValue(450 * MB);
    }

    @Test
    void validityTimeExpiryTriggersAnUpdate() throws Exception {
        GyChargingBackend gy = backend(true, settings());
        ChargingSession s = session(RICH, "online");
        await(gy.start(s));
        await(gy.update(s, usage(0, MB)));
        assertThat(received).hasSize(1);
        now.addAndGet(601_000);
        ChargingDecision d = await(gy.update(s, usage(0, MB)));
        assertThat(received).hasSize(2);
        assertThat(received.get(1).credits().get(0).reportingReason()).as("VALIDITY_TIME").isEqualTo(4);
        assertThat(d.grantedOctets()).isEqualTo(10 * MB);
    }

    @Test
    void slowOcsAtInitialRequestPerFailureHandling() throws Exception {
        ocs.behaviour(ocs.behaviour().withAnswerDelayMillis(1500));
        GySettings slowTx = settings().withTxTimeout(Duration.ofMillis(300));

        ChargingDecision terminate = await(backend(true, slowTx.withFailureHandling(FailureHandling.TERMINATE))
                .start(session(RICH, "online")));
        assertThat(terminate.allowed()).isFalse();
        assertThat(terminate.reason()).contains("timeout");

        ChargingSession continued = session(RICH, "online");
        GyChargingBackend cont = backend(true, slowTx.withFailureHandling(FailureHandling.CONTINUE));
        ChargingDecision c = await(cont.start(continued));
        assertThat(c.allowed()).isTrue();
        assertThat(c.grantedOctets()).isEqualTo(ChargingDecision.UNLIMITED);
        assertThat(await(cont.update(continued, usage(0, 100 * MB))).allowed()).isTrue();
        await(cont.stop(continued, usage(0, 100 * MB)));

        ChargingDecision retry = await(backend(true, slowTx.withFailureHandling(FailureHandling.RETRY_AND_TERMINATE))
                .start(session(RICH, "online")));
        assertThat(retry.allowed()).isFalse();
        // Three CCR-Is (the last one twice), and for each, once its CCA-I has come late, a CCR-T closing the OCS's
        // session; never a CCR-U: the sessions run without credit control or not at all.
        Await.until("the retransmission and the three CCR-Ts at the OCS", Duration.ofSeconds(30),
                () -> received.stream().filter(r -> r.requestType() == 3).count() == 3 && received.size() == 7);
        List<DiameterMessage> initials = receivedMessages.stream().filter(m -> CreditControlRequest.from(m)
                .requestType() == 1).toList();
        assertThat(initials).hasSize(4);
        DiameterMessage again = initials.stream().filter(DiameterMessage::isRetransmitted).findFirst().orElseThrow();
        DiameterMessage original = initials.stream().filter(m -> !m.isRetransmitted()
                && m.endToEnd() == again.endToEnd()).findFirst().orElseThrow();
        assertThat(CreditControlRequest.from(original).sessionId()).isEqualTo(CreditControlRequest.from(again)
                .sessionId());
        assertThat(received).noneMatch(r -> r.requestType() == 2);
        assertThat(received.stream().filter(r -> r.requestType() == 3).map(CreditControlRequest::sessionId))
                .containsExactlyInAnyOrderElementsOf(initials.stream().filter(m -> !m.isRetransmitted())
                        .map(m -> CreditControlRequest.from(m).sessionId()).toList());
        assertThat(statistics.get("charging_ocs_failure_count{mode=\"online\",type=\"initial\",handling=\"retry_and_terminate\"}"))
                .isEqualTo(1);
    }

    @Test
    void slowOcsAtUpdatePerFailureHandling() throws Exception {
        GySettings slowTx = settings().withTxTimeout(Duration.ofMillis(300));
        GyChargingBackend terminate = backend(true, slowTx.withFailureHandling(FailureHandling.TERMINATE));
        GyChargingBackend cont = backend(true, slowTx.withFailureHandling(FailureHandling.CONTINUE));
        ChargingSession a = session(RICH, "online");
        ChargingSession b = session(RICH, "online");
        await(terminate.start(a));
        await(cont.start(b));
        ocs.behaviour(ocs.behaviour().withAnswerDelayMillis(1500));

        ChargingDecision cut = await(terminate.update(a, usage(0, 9 * MB)));
        assertThat(cut.allowed()).isFalse();

        ChargingDecision goesOn = await(cont.update(b, usage(0, 9 * MB)));
        assertThat(goesOn.allowed()).isTrue();
        assertThat(goesOn.grantedOctets()).as("10 + 10 MB granted locally, 9 used").isEqualTo(11 * MB);

        // The slow OCS did receive the 9 MB (its answer came after Tx): the next CCR-U reports only what came since.
        ocs.behaviour(ocs.behaviour().withAnswerDelayMillis(0));
        int sent = received.size();
        ChargingDecision back = await(cont.update(b, usage(0, 18 * MB)));
        assertThat(back.allowed()).isTrue();
        assertThat(received).hasSize(sent + 1);
        CreditControlRequest last = received.get(received.size() - 1);
        assertThat(last.requestNumber()).isEqualTo(2);
        assertThat(last.credits().get(0).used().totalOctets()).isEqualTo(9 * MB);
    }

    @Test
    void ocsPeerDownIsAFailureToo() throws Exception {
        twagNode.removePeer(OCS);
        ChargingDecision d = await(backend(true, settings()).start(session(RICH, "online")));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("no_route");
        ChargingDecision c = await(backend(true, settings().withFailureHandling(FailureHandling.CONTINUE))
                .start(session(RICH, "online")));
        assertThat(c.allowed()).isTrue();
    }

    @Test
    void anOcsOverloadReportDropsCcrsHereAndEachIsAFailurePerFailureHandling() throws Exception {
        ocs.reportOverload(100, Duration.ofSeconds(30));
        GyChargingBackend terminate = backend(true, settings().withFailureHandling(FailureHandling.TERMINATE));
        assertThat(await(terminate.start(session(RICH, "online"))).allowed())
                .as("the CCA that brings the report").isTrue();
        assertThat(receivedMessages.get(0).has(org.opentwag.diameter.codec.OverloadControl.OC_SUPPORTED_FEATURES))
                .as("the CCR says DOIC").isTrue();
        int seen = received.size();

        ChargingDecision cut = await(terminate.start(session(RICH, "online")));
        assertThat(cut.allowed()).isFalse();
        assertThat(cut.reason()).contains("overloaded");
        ChargingDecision goesOn = await(backend(true, settings().withFailureHandling(FailureHandling.CONTINUE))
                .start(session(RICH, "online")));
        assertThat(goesOn.allowed()).isTrue();
        assertThat(received).as("neither CCR left this node").hasSize(seen);
        assertThat(twagNode.overloadAbated())
                .containsEntry(new org.opentwag.diameter.stack.OverloadAbatedKey(OCS, "gy"), 2L);
    }

    /** A map as the state store: enough for the Gy Session-Id index. */
    static final class MapStore implements org.opentwag.api.state.StateStore {
        final java.util.Map<String, java.io.Serializable> entries = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void put(String map, String key, java.io.Serializable value, Duration ttl) {
            entries.put(map + "/" + key, value);
        }

        @Override
        public <V extends java.io.Serializable> V get(String map, String key, Class<V> type) {
            return type.cast(entries.get(map + "/" + key));
        }

        @Override
        public <V extends java.io.Serializable> V remove(String map, String key, Class<V> type) {
            return type.cast(entries.remove(map + "/" + key));
        }

        @Override
        public int size(String map) {
            return (int) entries.keySet().stream().filter(k -> k.startsWith(map + "/")).count();
        }

        @Override
        public <V extends java.io.Serializable> java.util.Map<String, V> snapshot(String map, Class<V> type) {
            throw new UnsupportedOperationException();
        }
    }

    private DiameterMessage fromOcs(int command, String gySession) throws Exception {
        DiameterMessage.Builder b = DiameterMessage.request(4, command)
                .add(org.opentwag.diameter.codec.Avp.utf8(org.opentwag.diameter.codec.BaseProtocol.SESSION_ID, gySession))
                .add(org.opentwag.diameter.codec.Avp.identity(org.opentwag.diameter.codec.BaseProtocol.DESTINATION_REALM,
                        REALM))
                .add(org.opentwag.diameter.codec.Avp.identity(org.opentwag.diameter.codec.BaseProtocol.DESTINATION_HOST,
                        TWAG))
                .add(org.opentwag.diameter.codec.Avp.unsigned32(
                        org.opentwag.diameter.codec.BaseProtocol.AUTH_APPLICATION_ID, 4));
        if (command == org.opentwag.diameter.codec.BaseProtocol.RE_AUTH) {
            b.add(org.opentwag.diameter.codec.Avp.enumerated(
                    org.opentwag.diameter.codec.BaseProtocol.RE_AUTH_REQUEST_TYPE, 0));
        }
        return await(ocsNode.send(b.build()));
    }

    @Test
    void aReAuthRequestIsAnsweredAndFollowedByACcrUpdateWithTheUsageSoFarAndAnAbortByADisconnect() throws Exception {
        GySessions sessions = new GySessions(new MapStore());
        GyChargingBackend gy = new GyChargingBackend(twagNode, settings(), true, statistics, now::get, sessions);
        ChargingSession s = session(RICH, "online");
        await(gy.start(s));
        String gySession = received.get(0).sessionId();
        assertThat(sessions.chargingSession(gySession)).isEqualTo(s.sessionId());
        // The charging core's part, reduced to what it hands the backend: the session and its last usage.
        List<String> actions = new CopyOnWriteArrayList<>();
        org.opentwag.api.charging.ChargingActions core = new org.opentwag.api.charging.ChargingActions() {
            @Override
            public boolean reauthorize(String sessionId, String why) {
                actions.add("reauthorize " + sessionId);
                gy.reauthorize(s, usage(MB, 2 * MB));
                return sessionId.equals(s.sessionId());
            }

            @Override
            public boolean abort(String sessionId, String why) {
                actions.add("abort " + sessionId);
                return sessionId.equals(s.sessionId());
            }
        };
        GyServerRequests fromOcs = new GyServerRequests(sessions, () -> core, statistics);
        twagNode.registerRequestHandler(4, org.opentwag.diameter.codec.BaseProtocol.RE_AUTH, fromOcs::reAuth);
        twagNode.registerRequestHandler(4, org.opentwag.diameter.codec.BaseProtocol.ABORT_SESSION,
                fromOcs::abortSession);

        DiameterMessage raa = fromOcs(org.opentwag.diameter.codec.BaseProtocol.RE_AUTH, gySession);
        assertThat(raa.resultCode()).hasValue(2001);
        Await.until("CCR-U after the RAR", Duration.ofSeconds(5), () -> received.size() == 2);
        CreditControlRequest ccru = received.get(1);
        assertThat(ccru.requestType()).isEqualTo(2);
        assertThat(ccru.credits().get(0).reportingReason()).as("FORCED_REAUTHORISATION").isEqualTo(7);
        assertThat(ccru.credits().get(0).used().totalOctets()).isEqualTo(3 * MB);

        DiameterMessage asa = fromOcs(org.opentwag.diameter.codec.BaseProtocol.ABORT_SESSION, gySession);
        assertThat(asa.resultCode()).hasValue(2001);
        assertThat(actions).containsExactly("reauthorize " + s.sessionId(), "abort " + s.sessionId());

        await(gy.stop(s, usage(MB, 2 * MB)));
        assertThat(sessions.chargingSession(gySession)).as("closed with the CCR-T").isNull();
        assertThat(fromOcs(org.opentwag.diameter.codec.BaseProtocol.RE_AUTH, gySession).resultCode())
                .as("DIAMETER_UNKNOWN_SESSION_ID").hasValue(5002);
        assertThat(statistics.get("charging_ocs_request_count{request=\"rar\",result=\"5002\"}")).isEqualTo(1);
    }

    @Test
    void aSessionsUpdatesAndTerminationGoToTheOcsThatAnsweredItsInitialRequest() throws Exception {
        ChargingSession s = session(RICH, "online");
        await(backend(true, settings()).start(s));
        // The operator points new sessions elsewhere; this session's reservation is still at ocs.localdomain.
        GyChargingBackend moved = backend(true, new GySettings("elsewhere.example", null, "32251@3gpp.org", 10 * MB,
                1, -1, 80, Duration.ofSeconds(1), FailureHandling.TERMINATE));
        ChargingDecision u = await(moved.update(s, usage(MB, 8 * MB)));
        assertThat(u.allowed()).isTrue();
        await(moved.stop(s, usage(MB, 9 * MB)));
        assertThat(received).hasSize(3);
        for (DiameterMessage m : receivedMessages.subList(1, 3)) {
            assertThat(m.destinationHost()).hasValue(OCS);
            assertThat(m.destinationRealm()).hasValue(REALM);
        }
        assertThat(receivedMessages.get(0).destinationHost()).as("the CCR-I follows the configuration").isEmpty();
    }
}
