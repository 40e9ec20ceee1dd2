package org.opentwag.hsssim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.api.vectors.VectorSourceException;
import org.opentwag.api.vectors.VectorSourceException.Reason;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.codec.SwxApplication;
import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.diameter.stack.PeerState;
import org.opentwag.milenage.AkaPrimeKeys;
import org.opentwag.milenage.Milenage;
import org.opentwag.milenage.Sqn;
import org.opentwag.milenage.UsimSimulator;
import org.opentwag.support.test.Await;
import org.opentwag.swx.SwxMessages;
import org.opentwag.swx.SwxSettings;
import org.opentwag.swx.SwxVectorSource;
import org.opentwag.vectors.local.subscribers.SubscriberDatabase;

/**
 * The SWx client against the simulator over loopback, with real Milenage: vectors checked against TS 35.208 and by
 * an independent USIM (milenage's UsimSimulator).
 */
class HssSimulatorTest {
    static final String REALM = "epc.mnc001.mcc001.3gppnetwork.org";
    static final String TWAG = "twag.localdomain";
    static final String HSS = "hss.epc.mnc001.mcc001.3gppnetwork.org";
    static final String IMSI_SET1 = "001010000000001";
    static final String IMSI_SET3 = "001010000000003";
    static final String IMSI_SET4 = "001010000000004";
    static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    private JsonNode set1;
    private JsonNode set3;
    private JsonNode set4;
    private DiameterNode hssNode;
    private DiameterNode twagNode;
    private HssSimulator hss;
    private SwxVectorSource swx;
    private final Queue<byte[]> rands = new ConcurrentLinkedQueue<>();
    private final SecureRandom random = new SecureRandom();
    private final List<String> terminations = new CopyOnWriteArrayList<>();
    private final List<String> reasons = new CopyOnWriteArrayList<>();
    private final List<org.opentwag.api.vectors.Non3gppUserData> pushed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        set1 = Vectors.milenageSet(1);
        set3 = Vectors.milenageSet(3);
        set4 = Vectors.milenageSet(4);
        long sqn1 = Sqn.fromBytes(Vectors.hex(set1, "sqn"));
        // The file holds the last SQN issued: set 1's published SQN is the first one the HSS issues.
        Files.write(dir.resolve("hss-subscribers.csv"), List.of(
                "imsi,ki,opc,amf,sqn",
                line(IMSI_SET1, set1, Long.toHexString(sqn1 - SubscriberDatabase.SQN_STEP)),
                line(IMSI_SET3, set3, "20"),
                line(IMSI_SET4, set4, "20")));
        hssNode = DiameterNode.create(NodeConfig.builder(HSS, REALM).productName("hss-sim")
                .applications(ApplicationId.SWX).listen("127.0.0.1", 0).workerThreads(2).build());
        hssNode.addPeer(new PeerConfig(TWAG, null, null, PeerConfig.DEFAULT_PORT, null, false, null, false));
        twagNode = DiameterNode.create(NodeConfig.builder(TWAG, REALM).applications(ApplicationId.SWX)
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(400)).workerThreads(2).build());
        twagNode.addPeer(PeerConfig.connectTo(HSS, REALM, "127.0.0.1", hssNode.listenAddress().orElseThrow().getPort()));
        Await.until("HSS peer OPEN", Duration.ofSeconds(5),
                () -> twagNode.peer(HSS).map(p -> p.state() == PeerState.OPEN).orElse(false));
        startSimulator(HssBehaviour.defaults(TWAG));
        swx = swx(SwxSettings.defaults(REALM));
    }

    private SwxVectorSource swx(SwxSettings settings) {
        if (swx != null) {
            swx.close();
        }
        // No test here is about timeouts: a generous one keeps a loaded machine from failing a MAR the HSS answers.
        return new SwxVectorSource(twagNode, settings.withRequestTimeout(Duration.ofSeconds(8)),
                () -> List.of((imsi, reason) -> {
                    terminations.add(imsi);
                    reasons.add(reason);
                    return !imsi.equals(IMSI_SET1); // set 1 plays a subscriber unknown at the TWAG
                }),
                () -> List.of((imsi, data) -> {
                    pushed.add(data);
                    return !imsi.equals(IMSI_SET1); // set 1 plays a subscriber without a client at the TWAG
                }), Clock.systemUTC());
    }

    private void startSimulator(HssBehaviour behaviour) {
        if (hss != null) {
            hss.close();
        }
        SubscriberDatabase db = new SubscriberDatabase(dir.resolve("hss-subscribers.csv"),
                dir.resolve("sqn-hss.properties"));
        hss = new HssSimulator(hssNode, db, behaviour, () -> {
            byte[] queued = rands.poll();
            return queued != null ? queued : UsimSimulator.randomRand(random);
        }, imsi -> imsi.equals(IMSI_SET3) ? Optional.of("33612345678") : Optional.empty());
    }

    private static String line(String imsi, JsonNode set, String sqnHex) {
        return String.join(",", imsi, set.get("k").asText(), set.get("opc").asText(), set.get("amf").asText(), sqnHex);
    }

    @AfterEach
    void stop() {
        swx.close();
        hss.close();
        twagNode.close();
        hssNode.close();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static VectorSourceException failure(CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(VectorSourceException.class);
            return (VectorSourceException) e.getCause();
        }
        throw new AssertionError("the stage did not fail");
    }

    private static UsimSimulator usim(JsonNode set, long highestSqn) {
        return new UsimSimulator(Vectors.hex(set, "k"), Vectors.hex(set, "opc"), highestSqn);
    }

    /** The SQN inside AUTN, recovered with the subscriber's AK (f5). */
    private static long sqnOf(JsonNode set, AuthVector v) {
        byte[] ak = new Milenage(Vectors.hex(set, "k"), Vectors.hex(set, "opc")).f2345(v.rand()).ak();
        byte[] sqn = Arrays.copyOfRange(v.autn(), 0, 6);
        for (int i = 0; i < 6; i++) {
            sqn[i] ^= ak[i];
        }
        return Sqn.fromBytes(sqn);
    }

    // ------------------------------------------------------------------ vectors

    @Test
    void akaVectorIsTs35208TestSet1() throws Exception {
        rands.add(Vectors.hex(set1, "rand"));
        AuthVector v = await(swx.fetch(new VectorRequest(IMSI_SET1, AuthScheme.EAP_AKA, null)));

        byte[] sqn = Vectors.hex(set1, "sqn");
        byte[] ak = Vectors.hex(set1, "f5");
        byte[] sqnXorAk = new byte[6];
        for (int i = 0; i < 6; i++) {
            sqnXorAk[i] = (byte) (sqn[i] ^ ak[i]);
        }
        String autn = HEX.formatHex(sqnXorAk) + set1.get("amf").asText() + set1.get("f1").asText();
        assertThat(HEX.formatHex(v.rand())).isEqualTo(set1.get("rand").asText());
        assertThat(HEX.formatHex(v.autn())).isEqualTo(autn);
        assertThat(HEX.formatHex(v.xres())).isEqualTo(set1.get("f2").asText());
        assertThat(HEX.formatHex(v.ck())).isEqualTo(set1.get("f3").asText());
        assertThat(HEX.formatHex(v.ik())).isEqualTo(set1.get("f4").asText());
    }

    @Test
    void akaVectorIsAcceptedByTheUsim() throws Exception {
        UsimSimulator usim = usim(set4, 0x20);
        AuthVector v = await(swx.fetch(new VectorRequest(IMSI_SET4, AuthScheme.EAP_AKA, null)));
        UsimSimulator.Answer answer = usim.authenticate(v.rand(), v.autn());
        assertThat(answer).isInstanceOf(UsimSimulator.Answer.Success.class);
        UsimSimulator.Answer.Success ok = (UsimSimulator.Answer.Success) answer;
        assertThat(ok.res()).isEqualTo(v.xres());
        assertThat(ok.ck()).isEqualTo(v.ck());
        assertThat(ok.ik()).isEqualTo(v.ik());
        assertThat(usim.highestSqn()).isEqualTo(0x40);

        AuthVector next = await(swx.fetch(new VectorRequest(IMSI_SET4, AuthScheme.EAP_AKA, null)));
        assertThat(usim.authenticate(next.rand(), next.autn())).isInstanceOf(UsimSimulator.Answer.Success.class);
        assertThat(usim.highestSqn()).as("SEQ + 1, IND 0").isEqualTo(0x60);
    }

    @Test
    void akaPrimeVectorCarriesCkIkPrimeBoundToTheAnid() throws Exception {
        for (String name : List.of("WLAN", "HRPD")) {
            UsimSimulator usim = usim(set3, 0);
            AuthVector v = await(swx.fetch(new VectorRequest(IMSI_SET3, AuthScheme.EAP_AKA_PRIME, name)));
            assertThat(v.autn()[6] & 0x80).as("AMF separation bit set for EAP-AKA'").isEqualTo(0x80);
            UsimSimulator.Answer.Success ok = (UsimSimulator.Answer.Success) usim.authenticate(v.rand(), v.autn());
            assertThat(ok.res()).isEqualTo(v.xres());
            byte[][] prime = AkaPrimeKeys.deriveCkIkPrime(ok.ck(), ok.ik(), name, Arrays.copyOfRange(v.autn(), 0, 6));
            assertThat(v.ck()).as("CK' for " + name).isEqualTo(prime[0]);
            assertThat(v.ik()).as("IK' for " + name).isEqualTo(prime[1]);
            assertThat(v.ck()).isNotEqualTo(ok.ck());
        }
    }

    @Test
    void anidFromAvp1263IsUsedAndMissingAnidMeansWlan() throws Exception {
        for (Avp anid : new Avp[] {Avp.octets(SwxApplication.ACCESS_NETWORK_INFORMATION, "HRPD".getBytes()), null}) {
            DiameterMessage.Builder mar = DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH)
                    .add(Avp.utf8(org.opentwag.diameter.codec.BaseProtocol.SESSION_ID, twagNode.newSessionId()))
                    .add(Avp.identity(org.opentwag.diameter.codec.BaseProtocol.DESTINATION_REALM, REALM))
                    .add(Avp.utf8(org.opentwag.diameter.codec.BaseProtocol.USER_NAME, IMSI_SET3))
                    .add(Avp.grouped(SwxApplication.SIP_AUTH_DATA_ITEM,
                            Avp.utf8(SwxApplication.SIP_AUTHENTICATION_SCHEME, "EAP-AKA'")));
            if (anid != null) {
                mar.add(anid);
            }
            DiameterMessage maa = await(twagNode.send(mar.build()));
            AuthVector v = SwxMessages.vectors(maa, AuthScheme.EAP_AKA_PRIME, "unused", false).get(0);
            UsimSimulator.Answer.Success ok = (UsimSimulator.Answer.Success) usim(set3, 0).authenticate(v.rand(), v.autn());
            String expected = anid != null ? "HRPD" : "WLAN";
            byte[][] prime = AkaPrimeKeys.deriveCkIkPrime(ok.ck(), ok.ik(), expected, Arrays.copyOfRange(v.autn(), 0, 6));
            assertThat(v.ck()).as("bound to " + expected).isEqualTo(prime[0]);
        }
    }

    @Test
    void batchIsCappedAndSqnsIncrease() throws Exception {
        DiameterMessage mar = SwxMessages.multimediaAuthRequest(twagNode.newSessionId(), SwxSettings.defaults(REALM),
                new VectorRequest(IMSI_SET4, AuthScheme.EAP_AKA, null), 10, null);
        DiameterMessage maa = await(twagNode.send(mar));
        assertThat(maa.find(SwxApplication.SIP_NUMBER_AUTH_ITEMS).orElseThrow().unsigned32()).isEqualTo(5L);
        List<AuthVector> vectors = SwxMessages.vectors(maa, AuthScheme.EAP_AKA, null, false);
        assertThat(vectors).hasSize(5);
        List<Long> sqns = new ArrayList<>();
        vectors.forEach(v -> sqns.add(sqnOf(set4, v)));
        assertThat(sqns).containsExactly(0x40L, 0x60L, 0x80L, 0xa0L, 0xc0L);
        UsimSimulator usim = usim(set4, 0x20);
        for (AuthVector v : vectors) {
            assertThat(usim.authenticate(v.rand(), v.autn())).isInstanceOf(UsimSimulator.Answer.Success.class);
        }
    }

    // ------------------------------------------------------------------ resync

    @Test
    void resyncWithUsimAutsMovesTheSqnAndTheNextVectorIsAccepted() throws Exception {
        long usimSqn = 0x12345620L;
        UsimSimulator usim = usim(set4, usimSqn);
        VectorRequest req = new VectorRequest(IMSI_SET4, AuthScheme.EAP_AKA, null);
        AuthVector stale = await(swx.fetch(req));
        UsimSimulator.Answer answer = usim.authenticate(stale.rand(), stale.autn());
        assertThat(answer).isInstanceOf(UsimSimulator.Answer.SyncFailure.class);
        byte[] auts = ((UsimSimulator.Answer.SyncFailure) answer).auts();

        AuthVector fresh = await(swx.resynchronize(req, stale.rand(), auts));
        assertThat(sqnOf(set4, fresh)).as("SQN_MS + 32").isEqualTo(usimSqn + 32);
        assertThat(usim.authenticate(fresh.rand(), fresh.autn())).isInstanceOf(UsimSimulator.Answer.Success.class);
        AuthVector after = await(swx.fetch(req));
        assertThat(usim.authenticate(after.rand(), after.autn())).isInstanceOf(UsimSimulator.Answer.Success.class);
    }

    @Test
    void resyncStepIsConfigurableLikeOpen5gs() throws Exception {
        startSimulator(HssBehaviour.defaults(TWAG).withResyncSqnStep(33));
        long usimSqn = 0x5000L;
        UsimSimulator usim = usim(set3, usimSqn);
        VectorRequest req = new VectorRequest(IMSI_SET3, AuthScheme.EAP_AKA_PRIME, "WLAN");
        AuthVector stale = await(swx.fetch(req));
        byte[] auts = ((UsimSimulator.Answer.SyncFailure) usim.authenticate(stale.rand(), stale.autn())).auts();
        AuthVector fresh = await(swx.resynchronize(req, stale.rand(), auts));
        assertThat(sqnOf(set3, fresh)).isEqualTo(usimSqn + 33);
        assertThat(usim.authenticate(fresh.rand(), fresh.autn())).isInstanceOf(UsimSimulator.Answer.Success.class);
    }

    @Test
    void autsOfAnotherSubscriberIsRefused() throws Exception {
        VectorRequest req = new VectorRequest(IMSI_SET4, AuthScheme.EAP_AKA, null);
        AuthVector stale = await(swx.fetch(req));
        // A USIM with set 3's keys cannot make a MAC-S that verifies with set 4's.
        UsimSimulator wrong = usim(set3, Sqn.MAX - 64);
        byte[] rand = stale.rand();
        AuthVector forWrong = await(swx.fetch(new VectorRequest(IMSI_SET3, AuthScheme.EAP_AKA, null)));
        byte[] auts = ((UsimSimulator.Answer.SyncFailure) wrong.authenticate(forWrong.rand(), forWrong.autn())).auts();
        VectorSourceException e = failure(swx.resynchronize(req, rand, auts));
        assertThat(e.reason()).isEqualTo(Reason.RESYNC_FAILED);
    }

    @Test
    void resyncInfoOfTheWrongLengthIsInvalidAvpValue() throws Exception {
        DiameterMessage mar = DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH)
                .add(Avp.utf8(org.opentwag.diameter.codec.BaseProtocol.SESSION_ID, twagNode.newSessionId()))
                .add(Avp.identity(org.opentwag.diameter.codec.BaseProtocol.DESTINATION_REALM, REALM))
                .add(Avp.utf8(org.opentwag.diameter.codec.BaseProtocol.USER_NAME, IMSI_SET4))
                .add(Avp.grouped(SwxApplication.SIP_AUTH_DATA_ITEM,
                        Avp.utf8(SwxApplication.SIP_AUTHENTICATION_SCHEME, "EAP-AKA"),
                        Avp.octets(SwxApplication.SIP_AUTHORIZATION, new byte[20])))
                .build();
        DiameterMessage maa = await(twagNode.send(mar));
        assertThat(maa.resultCode()).hasValue(ResultCodes.DIAMETER_INVALID_AVP_VALUE);
        assertThat(maa.find(org.opentwag.diameter.codec.BaseProtocol.FAILED_AVP)).isPresent();
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void unknownImsiIsUserUnknown() throws Exception {
        VectorSourceException e = failure(swx.fetch(new VectorRequest("001019999999999", AuthScheme.EAP_AKA, null)));
        assertThat(e.reason()).isEqualTo(Reason.USER_UNKNOWN);
    }

    @Test
    void refuseAkaPrimeMimicsOpen5gs() throws Exception {
        startSimulator(HssBehaviour.defaults(TWAG).withRefuseAkaPrime(true));
        VectorSourceException e = failure(swx.fetch(new VectorRequest(IMSI_SET3, AuthScheme.EAP_AKA_PRIME, "WLAN")));
        assertThat(e.reason()).isEqualTo(Reason.SCHEME_NOT_SUPPORTED);
        AuthVector v = await(swx.fetch(new VectorRequest(IMSI_SET3, AuthScheme.EAP_AKA, null)));
        assertThat(usim(set3, 0).authenticate(v.rand(), v.autn())).isInstanceOf(UsimSimulator.Answer.Success.class);
    }

    @Test
    void unknownSchemeIsSchemeNotSupported() throws Exception {
        DiameterMessage mar = DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH)
                .add(Avp.utf8(org.opentwag.diameter.codec.BaseProtocol.SESSION_ID, twagNode.newSessionId()))
                .add(Avp.identity(org.opentwag.diameter.codec.BaseProtocol.DESTINATION_REALM, REALM))
                .add(Avp.utf8(org.opentwag.diameter.codec.BaseProtocol.USER_NAME, IMSI_SET4))
                .add(Avp.grouped(SwxApplication.SIP_AUTH_DATA_ITEM,
                        Avp.utf8(SwxApplication.SIP_AUTHENTICATION_SCHEME, "Digest-AKAv1-MD5")))
                .build();
        DiameterMessage maa = await(twagNode.send(mar));
        assertThat(maa.experimentalResultCode()).hasValue(ResultCodes.ThreeGpp.DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED);
        DiameterMessage noItem = DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH)
                .add(Avp.utf8(org.opentwag.diameter.codec.BaseProtocol.SESSION_ID, twagNode.newSessionId()))
                .add(Avp.identity(org.opentwag.diameter.codec.BaseProtocol.DESTINATION_REALM, REALM))
                .add(Avp.utf8(org.opentwag.diameter.codec.BaseProtocol.USER_NAME, IMSI_SET4))
                .build();
        assertThat(await(twagNode.send(noItem)).resultCode()).hasValue(ResultCodes.DIAMETER_MISSING_AVP);
    }

    // ------------------------------------------------------------------ SAR, RTR

    @Test
    void sarReturnsUserDataWithTheMsisdn() throws Exception {
        var data = await(swx.serverAssignment(IMSI_SET3, SwxApplication.ServerAssignmentType.REGISTRATION));
        assertThat(data).isPresent();
        assertThat(data.get().msisdn()).isEqualTo("33612345678");
        assertThat(data.get().barred()).isFalse();
        var none = await(swx.serverAssignment(IMSI_SET4, SwxApplication.ServerAssignmentType.REGISTRATION));
        assertThat(none.orElseThrow().msisdn()).isNull();
        assertThat(failure(swx.serverAssignment("001019999999999", SwxApplication.ServerAssignmentType.REGISTRATION))
                .reason()).as("unknown subscriber: SAR refused").isEqualTo(VectorSourceException.Reason.USER_UNKNOWN);
        assertThat(await(swx.serverAssignment(IMSI_SET3, SwxApplication.ServerAssignmentType.USER_DEREGISTRATION)))
                .as("a deregistration SAA has no user data").isEmpty();
        assertThat(hss.serverAssignments(IMSI_SET3, SwxApplication.ServerAssignmentType.REGISTRATION)).isEqualTo(1);
        assertThat(hss.serverAssignments(IMSI_SET3, SwxApplication.ServerAssignmentType.USER_DEREGISTRATION))
                .isEqualTo(1);
    }

    @Test
    void aBarredSubscribersSaaSaysSoAndAPprCarriesTheBar() throws Exception {
        hss.setBarred(IMSI_SET4, true);
        assertThat(await(swx.registered(IMSI_SET4, AuthScheme.EAP_AKA)).orElseThrow().barred()).isTrue();
        hss.setBarred(IMSI_SET4, false);
        assertThat(await(swx.registered(IMSI_SET4, AuthScheme.EAP_AKA)).orElseThrow().barred()).isFalse();

        assertThat(await(hss.sendPushProfile(IMSI_SET4, true))).isEqualTo(ResultCodes.DIAMETER_SUCCESS);
        assertThat(pushed).hasSize(1);
        assertThat(pushed.get(0).ipAccess())
                .isEqualTo(org.opentwag.api.vectors.Non3gppUserData.IpAccess.NON_3GPP_SUBSCRIPTION_BARRED);
        assertThat(await(hss.sendPushProfile(IMSI_SET1, true))).as("no client at the TWAG")
                .isEqualTo(ResultCodes.ThreeGpp.DIAMETER_ERROR_USER_UNKNOWN);
    }

    @Test
    void everyDeregistrationReasonReachesTheTwag() throws Exception {
        for (int reason = 0; reason <= 3; reason++) {
            assertThat(await(hss.sendRegistrationTermination(IMSI_SET4, reason))).isEqualTo(ResultCodes.DIAMETER_SUCCESS);
        }
        assertThat(reasons).hasSize(4);
        assertThat(reasons.get(0)).startsWith("PERMANENT_TERMINATION");
        assertThat(reasons.get(1)).startsWith("NEW_SERVER_ASSIGNED");
        assertThat(reasons.get(2)).startsWith("SERVER_CHANGE");
        assertThat(reasons.get(3)).startsWith("REMOVE_S-CSCF");
    }

    @Test
    void duplicateRandBatchesAreDroppedByTheSwxClient() throws Exception {
        swx = swx(SwxSettings.defaults(REALM).withCache(3, Duration.ofSeconds(60)));
        hss.setDuplicateRands(true);
        VectorSourceException e = failure(swx.fetch(new VectorRequest(IMSI_SET4, AuthScheme.EAP_AKA, null)));
        assertThat(e.getMessage()).contains("duplicate_rand");
        assertThat(swx.rejectedBatches(org.opentwag.swx.SwxMessages.BatchDefect.DUPLICATE_RAND)).isEqualTo(2);
        hss.setDuplicateRands(false);
        assertThat(await(swx.fetch(new VectorRequest(IMSI_SET4, AuthScheme.EAP_AKA, null)))).isNotNull();
        assertThat(swx.cachedVectors()).isEqualTo(2);
    }

    @Test
    void registrationTerminationReachesTheTwag() throws Exception {
        await(swx.registered(IMSI_SET4, AuthScheme.EAP_AKA));
        assertThat(await(hss.sendRegistrationTermination(IMSI_SET4))).isEqualTo(ResultCodes.DIAMETER_SUCCESS);
        assertThat(terminations).containsExactly(IMSI_SET4);
        // Not registered by SAR: the RTR goes to the configured TWAG peer.
        assertThat(await(hss.sendRegistrationTermination(IMSI_SET3))).isEqualTo(ResultCodes.DIAMETER_SUCCESS);
        assertThat(terminations).containsExactly(IMSI_SET4, IMSI_SET3);
        assertThat(await(hss.sendRegistrationTermination(IMSI_SET1))).as("no client or registration at the TWAG")
                .isEqualTo(ResultCodes.ThreeGpp.DIAMETER_ERROR_USER_UNKNOWN);
    }

    @Test
    void sqnsSurviveASimulatorRestart() throws Exception {
        AuthVector before = await(swx.fetch(new VectorRequest(IMSI_SET4, AuthScheme.EAP_AKA, null)));
        startSimulator(HssBehaviour.defaults(TWAG)); // new database on the same state file
        AuthVector after = await(swx.fetch(new VectorRequest(IMSI_SET4, AuthScheme.EAP_AKA, null)));
        assertThat(sqnOf(set4, after)).isGreaterThan(sqnOf(set4, before));
        assertThat(Files.readString(dir.resolve("sqn-hss.properties"))).contains(IMSI_SET4);
    }
}
