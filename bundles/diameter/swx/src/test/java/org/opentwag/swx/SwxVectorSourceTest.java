package org.opentwag.swx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opentwag.diameter.codec.SwxApplication.CONFIDENTIALITY_KEY;
import static org.opentwag.diameter.codec.SwxApplication.INTEGRITY_KEY;
import static org.opentwag.diameter.codec.SwxApplication.SIP_AUTHENTICATE;
import static org.opentwag.diameter.codec.SwxApplication.SIP_AUTHENTICATION_SCHEME;
import static org.opentwag.diameter.codec.SwxApplication.SIP_AUTHORIZATION;
import static org.opentwag.diameter.codec.SwxApplication.SIP_AUTH_DATA_ITEM;
import static org.opentwag.diameter.codec.SwxApplication.SIP_ITEM_NUMBER;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.api.vectors.VectorSourceException;
import org.opentwag.api.vectors.VectorSourceException.Reason;
import org.opentwag.diameter.codec.Avp;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.CreditControlApplication;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.codec.SwxApplication;
import org.opentwag.diameter.codec.Vendors;
import org.opentwag.api.vectors.Non3gppUserData;

/** The SWx client against a scripted HSS node over loopback (real Diameter stack, no OSGi). */
class SwxVectorSourceTest {
    static final String IMSI = "001010123456789";
    static final HexFormat HEX = HexFormat.of();

    private FakeHss net;
    private final List<SwxVectorSource> sources = new ArrayList<>();
    private final List<String> terminations = new CopyOnWriteArrayList<>();
    private final List<String> profiles = new CopyOnWriteArrayList<>();
    /** Whether the profile listener knows the subscriber (a client here). */
    private volatile boolean subscriberKnown = true;
    /** Whether the termination listener knows the subscriber (a client or a registration here). */
    private volatile boolean subscriberRegistered = true;
    private final MutableClock clock = new MutableClock();

    @BeforeEach
    void start() {
        net = new FakeHss();
    }

    @AfterEach
    void stop() {
        sources.forEach(SwxVectorSource::close);
        net.close();
    }

    private SwxVectorSource source(SwxSettings settings) {
        SwxVectorSource s = new SwxVectorSource(net.twag, settings,
                () -> List.of((imsi, reason) -> terminations.add(imsi + " " + reason) && subscriberRegistered),
                () -> List.of((imsi, data) -> {
                    profiles.add(imsi + " " + data);
                    return subscriberKnown;
                }), clock);
        sources.add(s);
        return s;
    }

    private SwxVectorSource source() {
        return source(SwxSettings.defaults(FakeHss.REALM));
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

    /** A MAA item carrying the RAND, AUTN, RES, CK and IK of a published case. */
    private static Avp item(int number, String scheme, JsonNode v) {
        return item(number, scheme, v, 0, 0, 0);
    }

    /**
     * A MAA item from a published case with the last byte of RAND, AUTN and RES changed by these amounts: RFC 5448
     * has two distinct challenges only, a batch of three needs a third (the cache does not check them).
     */
    private static Avp item(int number, String scheme, JsonNode v, int randDelta, int autnDelta, int resDelta) {
        byte[] rand = Vectors.hex(v, "RAND");
        byte[] autn = Vectors.hex(v, "AUTN");
        byte[] res = Vectors.hex(v, "RES");
        rand[15] += (byte) randDelta;
        autn[15] += (byte) autnDelta;
        res[res.length - 1] += (byte) resDelta;
        byte[] randAutn = new byte[32];
        System.arraycopy(rand, 0, randAutn, 0, 16);
        System.arraycopy(autn, 0, randAutn, 16, 16);
        return Avp.grouped(SIP_AUTH_DATA_ITEM, Avp.unsigned32(SIP_ITEM_NUMBER, number),
                Avp.utf8(SIP_AUTHENTICATION_SCHEME, scheme), Avp.octets(SIP_AUTHENTICATE, randAutn),
                Avp.octets(SIP_AUTHORIZATION, res), Avp.octets(CONFIDENTIALITY_KEY, Vectors.hex(v, "CK")),
                Avp.octets(INTEGRITY_KEY, Vectors.hex(v, "IK")));
    }

    private static DiameterMessage success(DiameterMessage mar, Avp... items) {
        return DiameterMessage.answerTo(mar).resultCode(ResultCodes.DIAMETER_SUCCESS)
                .add(SwxMessages.swxApplicationId())
                .add(Avp.enumerated(BaseProtocol.AUTH_SESSION_STATE, 1))
                .add(Avp.unsigned32(SwxApplication.SIP_NUMBER_AUTH_ITEMS, items.length))
                .add(items).build();
    }

    private static Avp avp(DiameterMessage m, String name) throws Exception {
        Vectors.AvpRow row = Vectors.swxAvp(name);
        return m.find(row.code(), row.vendorId()).orElseThrow(() -> new AssertionError(name + " missing"));
    }

    private static void assertFlags(Avp avp, String name) throws Exception {
        Vectors.AvpRow row = Vectors.swxAvp(name);
        assertThat(avp.isVendorSpecific()).as(name + " V bit").isEqualTo(row.flagsMust().contains("V"));
        if (row.flagsMust().contains("M")) {
            assertThat(avp.isMandatory()).as(name + " M bit").isTrue();
        }
        if (row.flagsMustNot().contains("M")) {
            assertThat(avp.isMandatory()).as(name + " M bit").isFalse();
        }
    }

    // ----------------------------------------------------------------- MAR on the wire

    @Test
    void akaPrimeMarCarriesWhatHssExpect() throws Exception {
        SwxVectorSource swx = source();
        net.answerMar(mar -> success(mar));
        swx.fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA_PRIME, "WLAN"));
        DiameterMessage mar = net.nextMar();

        assertThat(mar.isRequest()).isTrue();
        assertThat(mar.isProxiable()).isTrue();
        assertThat(mar.commandCode()).isEqualTo(303);
        assertThat(mar.applicationId()).isEqualTo(16777265L);
        assertThat(mar.avps().get(0).code()).as("Session-Id first").isEqualTo(263);
        assertThat(mar.sessionId()).get().asString().startsWith(FakeHss.TWAG + ";");
        Avp vsai = mar.find(260, 0).orElseThrow();
        assertThat(vsai.find(BaseProtocol.VENDOR_ID).orElseThrow().unsigned32()).isEqualTo(10415L);
        assertThat(vsai.find(BaseProtocol.AUTH_APPLICATION_ID).orElseThrow().unsigned32()).isEqualTo(16777265L);
        assertThat(mar.find(277, 0).orElseThrow().enumerated()).as("Auth-Session-State NO_STATE_MAINTAINED").isEqualTo(1);
        assertThat(mar.originHost()).contains(FakeHss.TWAG);
        assertThat(mar.originRealm()).contains(FakeHss.REALM);
        assertThat(mar.destinationRealm()).contains(FakeHss.REALM);
        assertThat(mar.destinationHost()).isEmpty();
        assertThat(mar.find(1, 0).orElseThrow().utf8()).as("User-Name = IMSI").isEqualTo(IMSI);

        Avp rat = avp(mar, "RAT-Type");
        assertThat(rat.enumerated()).as("RAT-Type WLAN").isZero();
        assertFlags(rat, "RAT-Type");
        Avp items = avp(mar, "SIP-Number-Auth-Items");
        assertThat(items.unsigned32()).isEqualTo(1L);
        assertFlags(items, "SIP-Number-Auth-Items");
        Avp anid = avp(mar, "ANID");
        assertThat(anid.code()).isEqualTo(1504);
        assertThat(anid.utf8()).isEqualTo("WLAN");
        assertFlags(anid, "ANID");
        assertThat(mar.find(1263, 10415)).as("no Access-Network-Information (1263)").isEmpty();

        Avp item = avp(mar, "SIP-Auth-Data-Item");
        assertFlags(item, "SIP-Auth-Data-Item");
        assertThat(item.children()).hasSize(1);
        Avp scheme = item.children().get(0);
        assertThat(scheme.code()).isEqualTo(Vectors.swxAvp("SIP-Authentication-Scheme").code());
        assertThat(scheme.octets()).as("EAP-AKA' with an ASCII apostrophe")
                .isEqualTo(new byte[] {'E', 'A', 'P', '-', 'A', 'K', 'A', 0x27});
    }

    @Test
    void akaMarHasNoAnidAndHonoursDestinationHost() throws Exception {
        SwxVectorSource swx = source(SwxSettings.defaults(FakeHss.REALM).withHssHost(FakeHss.HSS));
        net.answerMar(mar -> success(mar));
        swx.fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA, "WLAN"));
        DiameterMessage mar = net.nextMar();
        assertThat(mar.find(1504, 10415)).isEmpty();
        assertThat(mar.destinationHost()).contains(FakeHss.HSS);
        Avp item = avp(mar, "SIP-Auth-Data-Item");
        assertThat(item.find(SIP_AUTHENTICATION_SCHEME).orElseThrow().utf8()).isEqualTo("EAP-AKA");
        assertThat(item.find(SIP_AUTHORIZATION)).isEmpty();
    }

    @Test
    void firstMarGoesByRealmAndLaterOnesNameTheHssThatAnswered() throws Exception {
        JsonNode c = Vectors.akaPrimeCase(3);
        net.answerMar(mar -> success(mar, item(1, "EAP-AKA", c)));
        SwxVectorSource swx = source();
        await(swx.fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null)));
        assertThat(net.nextMar().destinationHost()).as("first MAR: Destination-Realm only").isEmpty();
        await(swx.fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null)));
        DiameterMessage second = net.nextMar();
        assertThat(second.destinationHost()).as("learnt from the MAA's Origin-Host").contains(FakeHss.HSS);
        assertThat(second.destinationRealm()).contains(FakeHss.REALM);
        await(swx.registered(IMSI, AuthScheme.EAP_AKA));
        assertThat(net.nextSar().destinationHost()).contains(FakeHss.HSS);
        await(swx.fetch(new VectorRequest("001010000000002", AuthScheme.EAP_AKA, null)));
        assertThat(net.nextMar().destinationHost()).as("another subscriber: realm only").isEmpty();
    }

    @Test
    void aFailedMarForgetsTheLearntHss() throws Exception {
        JsonNode c = Vectors.akaPrimeCase(3);
        net.answerMar(mar -> success(mar, item(1, "EAP-AKA", c)));
        SwxVectorSource swx = source(SwxSettings.defaults(FakeHss.REALM).withRequestTimeout(Duration.ofMillis(500)));
        await(swx.fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null)));
        net.nextMar();
        net.marAnswer = mar -> new CompletableFuture<>(); // silent HSS
        failure(swx.fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null)));
        assertThat(net.nextMar().destinationHost()).contains(FakeHss.HSS);
        net.answerMar(mar -> success(mar, item(1, "EAP-AKA", c)));
        await(swx.fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null)));
        assertThat(net.nextMar().destinationHost()).as("back to realm routing").isEmpty();
    }

    // ----------------------------------------------------------------- MAA to vector

    @Test
    void maaItemBecomesTheVector() throws Exception {
        JsonNode c = Vectors.akaPrimeCase(3);
        net.answerMar(mar -> success(mar, item(1, "EAP-AKA", c)));
        AuthVector v = await(source().fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null)));
        assertThat(v.rand()).isEqualTo(Vectors.hex(c, "RAND"));
        assertThat(v.autn()).isEqualTo(Vectors.hex(c, "AUTN"));
        assertThat(v.xres()).isEqualTo(Vectors.hex(c, "RES"));
        assertThat(v.ck()).isEqualTo(Vectors.hex(c, "CK"));
        assertThat(v.ik()).isEqualTo(Vectors.hex(c, "IK"));
    }

    @Test
    void akaPrimeKeysFromTheHssAreUsedAsSuch() throws Exception {
        JsonNode c = Vectors.akaPrimeCase(1);
        net.answerMar(mar -> success(mar, item(1, "EAP-AKA'", c)));
        AuthVector v = await(source().fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA_PRIME, "WLAN")));
        // The HSS already bound them to the ANID (TS 29.273): deriving again would break the UE's keys.
        assertThat(v.ck()).isEqualTo(Vectors.hex(c, "CK"));
        assertThat(v.ik()).isEqualTo(Vectors.hex(c, "IK"));
    }

    @Test
    void plainCkIkFromAnOldHssAreBoundToTheNetworkNameHere() throws Exception {
        SwxVectorSource swx = source(SwxSettings.defaults(FakeHss.REALM).withHssDerivesCkIkPrime(false));
        for (int n : new int[] {1, 2}) { // RFC 5448 App. C: case 1 "WLAN", case 2 "HRPD"
            JsonNode c = Vectors.akaPrimeCase(n);
            net.answerMar(mar -> success(mar, item(1, "EAP-AKA'", c)));
            String name = c.get("Network_Name").asText();
            AuthVector v = await(swx.fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA_PRIME, name)));
            assertThat(net.nextMar().find(1504, 10415).orElseThrow().utf8()).isEqualTo(name);
            assertThat(v.ck()).as("CK' case " + n).isEqualTo(Vectors.hex(c, "CK_prime"));
            assertThat(v.ik()).as("IK' case " + n).isEqualTo(Vectors.hex(c, "IK_prime"));
            assertThat(v.xres()).isEqualTo(Vectors.hex(c, "RES"));
        }
    }

    @Test
    void malformedMaaIsRefusedWithAClearReason() throws Exception {
        net.answerMar(mar -> DiameterMessage.answerTo(mar).resultCode(ResultCodes.DIAMETER_SUCCESS)
                .add(Avp.grouped(SIP_AUTH_DATA_ITEM, Avp.octets(SIP_AUTHENTICATE, new byte[20]),
                        Avp.octets(SIP_AUTHORIZATION, new byte[8]), Avp.octets(CONFIDENTIALITY_KEY, new byte[16]),
                        Avp.octets(INTEGRITY_KEY, new byte[16]))).build());
        VectorSourceException e = failure(source().fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null)));
        assertThat(e.reason()).isEqualTo(Reason.OTHER);
        assertThat(e.getMessage()).contains("SIP-Authenticate").contains("20");

        net.answerMar(mar -> success(mar));
        e = failure(source().fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null)));
        assertThat(e.getMessage()).contains("no SIP-Auth-Data-Item");

        net.answerMar(mar -> success(mar, Avp.grouped(SIP_AUTH_DATA_ITEM, Avp.octets(SIP_AUTHENTICATE, new byte[32]))));
        e = failure(source().fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null)));
        assertThat(e.getMessage()).contains("SIP-Authorization");
    }

    // ----------------------------------------------------------------- resync

    @Test
    void resyncMarCarriesRandAndAuts() throws Exception {
        JsonNode c = Vectors.akaPrimeCase(3);
        net.answerMar(mar -> success(mar, item(1, "EAP-AKA", c)));
        byte[] rand = HEX.parseHex("23553cbe9637a89d218ae64dae47bf35");
        byte[] auts = HEX.parseHex("451e8beca43b01cfaf9ec4e871e9");
        AuthVector v = await(source().resynchronize(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null), rand, auts));
        assertThat(v.rand()).isEqualTo(Vectors.hex(c, "RAND"));
        Avp item = avp(net.nextMar(), "SIP-Auth-Data-Item");
        byte[] info = item.find(SIP_AUTHORIZATION).orElseThrow().octets();
        assertThat(info).hasSize(30);
        assertThat(HEX.formatHex(info)).isEqualTo("23553cbe9637a89d218ae64dae47bf35" + "451e8beca43b01cfaf9ec4e871e9");
        assertThat(item.find(SIP_AUTHENTICATION_SCHEME).orElseThrow().utf8()).isEqualTo("EAP-AKA");
    }

    @Test
    void resyncRefusedByTheHssIsResyncFailed() throws Exception {
        net.answerMar(mar -> DiameterMessage.answerTo(mar)
                .resultCode(ResultCodes.DIAMETER_AUTHENTICATION_REJECTED).build());
        VectorSourceException e = failure(source().resynchronize(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null),
                new byte[16], new byte[14]));
        assertThat(e.reason()).isEqualTo(Reason.RESYNC_FAILED);
        assertThat(e.getMessage()).contains("4001");
    }

    @Test
    void resyncWithWrongLengthsFailsWithoutAMar() throws Exception {
        VectorSourceException e = failure(source().resynchronize(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null),
                new byte[16], new byte[13]));
        assertThat(e.getMessage()).contains("AUTS");
        assertThat(net.mars.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    // ----------------------------------------------------------------- error mapping

    @Test
    void experimentalResultsMapToReasons() throws Exception {
        SwxVectorSource swx = source();
        long[][] cases = {{5001, 0}, {5006, 1}, {5450, 2}, {5420, 2}, {4181, 3}, {5011, 4}};
        Reason[] expected = {Reason.USER_UNKNOWN, Reason.SCHEME_NOT_SUPPORTED, Reason.NOT_AUTHORIZED, Reason.UNAVAILABLE,
                Reason.OTHER};
        for (long[] c : cases) {
            net.answerMar(mar -> DiameterMessage.answerTo(mar).experimentalResult(Vendors.THREE_GPP, c[0]).build());
            VectorSourceException e = failure(swx.fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA_PRIME, "WLAN")));
            assertThat(e.reason()).as("Experimental-Result " + c[0]).isEqualTo(expected[(int) c[1]]);
            assertThat(e.getMessage()).contains(String.valueOf(c[0])).contains(IMSI);
        }
    }

    @Test
    void baseResultCode5001IsNotUserUnknown() throws Exception {
        // As a Result-Code 5001 is DIAMETER_AVP_UNSUPPORTED: the HSS did not understand us, the user may well exist.
        net.answerMar(mar -> DiameterMessage.answerTo(mar).resultCode(ResultCodes.DIAMETER_AVP_UNSUPPORTED).build());
        VectorSourceException e = failure(source().fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null)));
        assertThat(e.reason()).isEqualTo(Reason.OTHER);
        assertThat(e.getMessage()).contains("Result-Code 5001");
    }

    @Test
    void silentHssIsUnavailable() throws Exception {
        net.marAnswer = mar -> new CompletableFuture<>(); // never answers
        SwxVectorSource swx = source(SwxSettings.defaults(FakeHss.REALM).withRequestTimeout(Duration.ofMillis(300)));
        VectorSourceException e = failure(swx.fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null)));
        assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(e.getMessage()).contains("timeout");
    }

    @Test
    void noHssPeerForTheRealmIsUnavailable() throws Exception {
        VectorSourceException e = failure(source(SwxSettings.defaults("other.realm.example"))
                .fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null)));
        assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(e.getMessage()).contains("no HSS peer");
    }

    // ----------------------------------------------------------------- cache

    @Test
    void batchedVectorsAreCachedUntilTheirTtl() throws Exception {
        SwxVectorSource swx = source(SwxSettings.defaults(FakeHss.REALM).withCache(3, Duration.ofSeconds(60)));
        JsonNode c1 = Vectors.akaPrimeCase(1);
        JsonNode c3 = Vectors.akaPrimeCase(3);
        // Items out of order on purpose: SIP-Item-Number decides.
        net.answerMar(mar -> success(mar, item(3, "EAP-AKA", c1, 1, 1, 1), item(1, "EAP-AKA", c3),
                item(2, "EAP-AKA", c1)));
        VectorRequest req = new VectorRequest(IMSI, AuthScheme.EAP_AKA, null);

        assertThat(await(swx.fetch(req)).rand()).isEqualTo(Vectors.hex(c3, "RAND"));
        assertThat(avp(net.nextMar(), "SIP-Number-Auth-Items").unsigned32()).isEqualTo(3L);
        assertThat(swx.cachedVectors()).isEqualTo(2);
        assertThat(await(swx.fetch(req)).rand()).isEqualTo(Vectors.hex(c1, "RAND"));
        await(swx.fetch(req));
        assertThat(net.mars).as("two vectors from the cache, no MAR").isEmpty();
        assertThat(swx.cachedVectors()).isZero();

        await(swx.fetch(req));
        net.nextMar();
        assertThat(swx.cachedVectors()).isEqualTo(2);
        // An AKA' request is another key: not served from the AKA vectors.
        net.answerMar(mar -> success(mar, item(1, "EAP-AKA'", c1)));
        await(swx.fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA_PRIME, "WLAN")));
        net.nextMar();

        clock.advance(Duration.ofSeconds(61));
        net.answerMar(mar -> success(mar, item(1, "EAP-AKA", c3)));
        await(swx.fetch(req));
        net.nextMar(); // the expired ones were not used
    }

    @Test
    void resyncDropsTheSubscribersCachedVectors() throws Exception {
        SwxVectorSource swx = source(SwxSettings.defaults(FakeHss.REALM).withCache(3, Duration.ofSeconds(60)));
        JsonNode c = Vectors.akaPrimeCase(3);
        net.answerMar(mar -> success(mar, item(1, "EAP-AKA", c), item(2, "EAP-AKA", c, 1, 1, 1),
                item(3, "EAP-AKA", c, 2, 2, 2)));
        VectorRequest req = new VectorRequest(IMSI, AuthScheme.EAP_AKA, null);
        await(swx.fetch(req));
        assertThat(swx.cachedVectors()).isEqualTo(2);
        net.answerMar(mar -> success(mar, item(1, "EAP-AKA", c)));
        await(swx.resynchronize(req, new byte[16], new byte[14]));
        assertThat(swx.cachedVectors()).isZero();
    }

    @Test
    void withoutCacheOnlyOneVectorIsAskedFor() throws Exception {
        SwxVectorSource swx = source(SwxSettings.defaults(FakeHss.REALM).withCache(5, Duration.ZERO));
        JsonNode c = Vectors.akaPrimeCase(3);
        net.answerMar(mar -> success(mar, item(1, "EAP-AKA", c)));
        await(swx.fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null)));
        assertThat(avp(net.nextMar(), "SIP-Number-Auth-Items").unsigned32()).isEqualTo(1L);
    }

    // ----------------------------------------------------------------- SAR

    @Test
    void registeredSendsSarRegistrationAndReadsTheUserData() throws Exception {
        SwxVectorSource swx = source();
        net.sarAnswer = sar -> DiameterMessage.answerTo(sar).resultCode(ResultCodes.DIAMETER_SUCCESS)
                .add(Avp.grouped(SwxApplication.NON_THREE_GPP_USER_DATA,
                        Avp.grouped(CreditControlApplication.SUBSCRIPTION_ID,
                                Avp.enumerated(CreditControlApplication.SUBSCRIPTION_ID_TYPE, 0),
                                Avp.utf8(CreditControlApplication.SUBSCRIPTION_ID_DATA, "33612345678")),
                        Avp.enumerated(SwxApplication.NON_THREE_GPP_IP_ACCESS, 0),
                        Avp.enumerated(SwxApplication.NON_THREE_GPP_IP_ACCESS_APN, 0),
                        Avp.grouped(SwxApplication.AMBR,
                                Avp.unsigned32(SwxApplication.MAX_REQUESTED_BANDWIDTH_UL, 50_000_000),
                                Avp.unsigned32(SwxApplication.MAX_REQUESTED_BANDWIDTH_DL, 100_000_000)),
                        Avp.unsigned32(SwxApplication.CONTEXT_IDENTIFIER, 1),
                        Avp.grouped(SwxApplication.APN_CONFIGURATION,
                                Avp.unsigned32(SwxApplication.CONTEXT_IDENTIFIER, 1),
                                Avp.utf8(SwxApplication.SERVICE_SELECTION, "internet"),
                                Avp.grouped(SwxApplication.AMBR,
                                        Avp.unsigned32(SwxApplication.MAX_REQUESTED_BANDWIDTH_UL, 1000),
                                        Avp.unsigned32(SwxApplication.MAX_REQUESTED_BANDWIDTH_DL, 2000))))).build();
        Optional<Non3gppUserData> data = await(swx.registered(IMSI, AuthScheme.EAP_AKA));
        DiameterMessage sar = net.nextSar();
        assertThat(sar.commandCode()).isEqualTo(301);
        assertThat(sar.find(1, 0).orElseThrow().utf8()).isEqualTo(IMSI);
        assertThat(avp(sar, "Server-Assignment-Type").enumerated()).as("REGISTRATION").isEqualTo(1);
        assertThat(sar.find(277, 0).orElseThrow().enumerated()).isEqualTo(1);
        assertThat(sar.find(260, 0)).isPresent();
        assertThat(sar.destinationRealm()).contains(FakeHss.REALM);

        Non3gppUserData d = data.orElseThrow();
        assertThat(d.msisdn()).isEqualTo("33612345678");
        assertThat(d.barred()).isFalse();
        assertThat(d.ipAccess()).isEqualTo(Non3gppUserData.IpAccess.NON_3GPP_SUBSCRIPTION_ALLOWED);
        assertThat(d.ambr()).isEqualTo(new Non3gppUserData.Ambr(50_000_000, 100_000_000));
        assertThat(d.defaultContextId()).isEqualTo(1L);
        assertThat(d.apns()).containsExactly(new Non3gppUserData.ApnConfiguration(1, "internet",
                new Non3gppUserData.Ambr(1000, 2000)));
        assertThat(d.toString()).doesNotContain("33612345678");

        Optional<Non3gppUserData> again = await(swx.serverAssignment(IMSI,
                SwxApplication.ServerAssignmentType.AAA_USER_DATA_REQUEST));
        assertThat(avp(net.nextSar(), "Server-Assignment-Type").enumerated()).isEqualTo(12);
        assertThat(again).contains(d);
    }

    @Test
    void barredUserDataIsReadAsBarred() throws Exception {
        net.sarAnswer = sar -> DiameterMessage.answerTo(sar).resultCode(ResultCodes.DIAMETER_SUCCESS)
                .add(Avp.grouped(SwxApplication.NON_THREE_GPP_USER_DATA,
                        Avp.enumerated(SwxApplication.NON_THREE_GPP_IP_ACCESS, 1))).build();
        assertThat(await(source().registered(IMSI, AuthScheme.EAP_AKA)).orElseThrow().barred()).isTrue();
        net.sarAnswer = sar -> DiameterMessage.answerTo(sar).resultCode(ResultCodes.DIAMETER_SUCCESS)
                .add(Avp.grouped(SwxApplication.NON_THREE_GPP_USER_DATA,
                        Avp.enumerated(SwxApplication.NON_THREE_GPP_IP_ACCESS_APN, 1))).build();
        assertThat(await(source().registered(IMSI, AuthScheme.EAP_AKA)).orElseThrow().barred())
                .as("Non-3GPP-IP-Access-APN NON_3GPP_APNS_DISABLE").isTrue();
    }

    @Test
    void deregisteredSendsSarUserDeregistration() throws Exception {
        await(source().deregistered(IMSI));
        // USER_DEREGISTRATION is 5 in TS 29.229 6.3.15 (vectors/diameter-swx.json enumerations).
        assertThat(avp(net.nextSar(), "Server-Assignment-Type").enumerated()).isEqualTo(5);
    }

    @Test
    void sarRefusalsFailWithTheReasonTheSessionLayerDecidesOn() throws Exception {
        net.sarAnswer = sar -> DiameterMessage.answerTo(sar)
                .experimentalResult(Vendors.THREE_GPP, ResultCodes.ThreeGpp.DIAMETER_ERROR_USER_UNKNOWN).build();
        assertThat(failure(source().registered(IMSI, AuthScheme.EAP_AKA)).reason())
                .isEqualTo(VectorSourceException.Reason.USER_UNKNOWN);
        for (long code : new long[] {ResultCodes.ThreeGpp.DIAMETER_ERROR_USER_NO_NON_3GPP_SUBSCRIPTION,
                ResultCodes.ThreeGpp.DIAMETER_ERROR_ROAMING_NOT_ALLOWED}) {
            net.sarAnswer = sar -> DiameterMessage.answerTo(sar).experimentalResult(Vendors.THREE_GPP, code).build();
            assertThat(failure(source().registered(IMSI, AuthScheme.EAP_AKA)).reason()).as("code " + code)
                    .isEqualTo(VectorSourceException.Reason.NOT_AUTHORIZED);
        }
        SwxVectorSource toNowhere = source(SwxSettings.defaults("other.realm.example"));
        assertThat(failure(toNowhere.registered(IMSI, AuthScheme.EAP_AKA)).reason())
                .as("no route: the HSS could not be asked").isEqualTo(VectorSourceException.Reason.UNAVAILABLE);
    }

    @Test
    void sarCanBeSwitchedOff() throws Exception {
        await(source(SwxSettings.defaults(FakeHss.REALM).withSendSar(false)).registered(IMSI, AuthScheme.EAP_AKA));
        assertThat(net.sars.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    // ----------------------------------------------------------------- RTR, PPR

    private DiameterMessage fromHss(int command, Avp... avps) {
        return DiameterMessage.request(SwxApplication.APPLICATION_ID, command)
                .add(Avp.utf8(BaseProtocol.SESSION_ID, net.hss.newSessionId()))
                .add(SwxMessages.swxApplicationId())
                .add(Avp.enumerated(BaseProtocol.AUTH_SESSION_STATE, 1))
                .add(Avp.identity(BaseProtocol.DESTINATION_REALM, FakeHss.REALM))
                .add(Avp.identity(BaseProtocol.DESTINATION_HOST, FakeHss.TWAG))
                .add(avps).build();
    }

    @Test
    void registrationTerminationOfEveryReasonReachesTheListenersWithoutASar() throws Exception {
        source();
        String[] names = {"PERMANENT_TERMINATION", "NEW_SERVER_ASSIGNED", "SERVER_CHANGE", "REMOVE_S-CSCF"};
        for (int code = 0; code < names.length; code++) {
            terminations.clear();
            DiameterMessage rta = await(net.hss.send(fromHss(SwxApplication.REGISTRATION_TERMINATION,
                    Avp.utf8(BaseProtocol.USER_NAME, IMSI),
                    Avp.grouped(SwxApplication.DEREGISTRATION_REASON, Avp.enumerated(SwxApplication.REASON_CODE, code),
                            Avp.utf8(SwxApplication.REASON_INFO, "subscription cancelled")))));
            assertThat(rta.isRequest()).isFalse();
            assertThat(rta.commandCode()).isEqualTo(304);
            assertThat(rta.resultCode()).as(names[code]).hasValue(2001);
            assertThat(rta.find(277, 0).orElseThrow().enumerated()).isEqualTo(1);
            assertThat(terminations).containsExactly(IMSI + " " + names[code] + " (subscription cancelled)");
        }
        assertThat(net.sars.poll(200, TimeUnit.MILLISECONDS)).as("the HSS deregistered us: no SAR back").isNull();
    }

    @Test
    void registrationTerminationForASubscriberUnknownHereIsUserUnknown() throws Exception {
        SwxVectorSource swx = source();
        subscriberRegistered = false;
        DiameterMessage rta = await(net.hss.send(fromHss(SwxApplication.REGISTRATION_TERMINATION,
                Avp.utf8(BaseProtocol.USER_NAME, IMSI),
                Avp.grouped(SwxApplication.DEREGISTRATION_REASON,
                        Avp.enumerated(SwxApplication.REASON_CODE, SwxApplication.ReasonCode.PERMANENT_TERMINATION)))));
        assertThat(rta.commandCode()).isEqualTo(304);
        assertThat(rta.isRequest()).isFalse();
        assertThat(rta.resultCode()).as("no Result-Code beside the Experimental-Result").isEmpty();
        assertThat(rta.experimentalResultCode()).hasValue(ResultCodes.ThreeGpp.DIAMETER_ERROR_USER_UNKNOWN);
        assertThat(rta.experimentalResultVendorId()).hasValue((long) Vendors.THREE_GPP);
        assertThat(rta.find(277, 0).orElseThrow().enumerated()).as("NO_STATE_MAINTAINED").isEqualTo(1);
        assertThat(terminations).as("the listeners were still asked").hasSize(1);
        assertThat(swx.registrationTerminations(SwxVectorSource.RegistrationTerminationOutcome.USER_UNKNOWN))
                .isEqualTo(1);
        assertThat(swx.registrationTerminations(SwxVectorSource.RegistrationTerminationOutcome.ENDED)).isZero();

        subscriberRegistered = true;
        DiameterMessage known = await(net.hss.send(fromHss(SwxApplication.REGISTRATION_TERMINATION,
                Avp.utf8(BaseProtocol.USER_NAME, IMSI))));
        assertThat(known.resultCode()).hasValue(ResultCodes.DIAMETER_SUCCESS);
        assertThat(known.experimentalResultCode()).isEmpty();
        assertThat(swx.registrationTerminations(SwxVectorSource.RegistrationTerminationOutcome.ENDED)).isEqualTo(1);
    }

    @Test
    void registrationTerminationWithNoListenerIsUserUnknown() throws Exception {
        SwxVectorSource swx = new SwxVectorSource(net.twag, SwxSettings.defaults(FakeHss.REALM), List::of, List::of,
                clock);
        sources.add(swx);
        DiameterMessage rta = await(net.hss.send(fromHss(SwxApplication.REGISTRATION_TERMINATION,
                Avp.utf8(BaseProtocol.USER_NAME, IMSI))));
        assertThat(rta.experimentalResultCode()).hasValue(ResultCodes.ThreeGpp.DIAMETER_ERROR_USER_UNKNOWN);
    }

    @Test
    void registrationTerminationWithoutUserNameIsRefused() throws Exception {
        SwxVectorSource swx = source();
        DiameterMessage rta = await(net.hss.send(fromHss(SwxApplication.REGISTRATION_TERMINATION)));
        assertThat(rta.resultCode()).hasValue(ResultCodes.DIAMETER_MISSING_AVP);
        assertThat(terminations).isEmpty();
        assertThat(swx.registrationTerminations(SwxVectorSource.RegistrationTerminationOutcome.REFUSED)).isEqualTo(1);
    }

    @Test
    void pushProfileHandsTheTypedDataToTheSessionOwner() throws Exception {
        SwxVectorSource swx = source();
        DiameterMessage ppa = await(net.hss.send(fromHss(SwxApplication.PUSH_PROFILE,
                Avp.utf8(BaseProtocol.USER_NAME, IMSI),
                Avp.grouped(SwxApplication.NON_THREE_GPP_USER_DATA, Avp.enumerated(SwxApplication.NON_THREE_GPP_IP_ACCESS, 1)))));
        assertThat(ppa.commandCode()).isEqualTo(305);
        assertThat(ppa.isRequest()).isFalse();
        assertThat(ppa.resultCode()).hasValue(2001);
        assertThat(profiles).containsExactly(IMSI + " " + new Non3gppUserData(
                Non3gppUserData.IpAccess.NON_3GPP_SUBSCRIPTION_BARRED, null, null, null, null, null));
        assertThat(swx.pushProfiles(SwxVectorSource.PushProfileOutcome.UPDATED)).isEqualTo(1);
    }

    @Test
    void pushProfileForASubscriberWithoutAClientIsUserUnknown() throws Exception {
        SwxVectorSource swx = source();
        subscriberKnown = false;
        DiameterMessage ppa = await(net.hss.send(fromHss(SwxApplication.PUSH_PROFILE,
                Avp.utf8(BaseProtocol.USER_NAME, IMSI),
                Avp.grouped(SwxApplication.NON_THREE_GPP_USER_DATA, Avp.enumerated(SwxApplication.NON_THREE_GPP_IP_ACCESS, 0)))));
        assertThat(ppa.resultCode()).isEmpty();
        assertThat(ppa.experimentalResultCode()).hasValue(ResultCodes.ThreeGpp.DIAMETER_ERROR_USER_UNKNOWN);
        assertThat(ppa.experimentalResultVendorId()).hasValue((long) Vendors.THREE_GPP);
        assertThat(swx.pushProfiles(SwxVectorSource.PushProfileOutcome.USER_UNKNOWN)).isEqualTo(1);
        DiameterMessage noUser = await(net.hss.send(fromHss(SwxApplication.PUSH_PROFILE)));
        assertThat(noUser.resultCode()).hasValue(ResultCodes.DIAMETER_MISSING_AVP);
    }

    // ----------------------------------------------------------------- vector sanity

    @Test
    void aBatchRepeatingARandIsDroppedCountedAndAskedForOnceMore() throws Exception {
        SwxVectorSource swx = source(SwxSettings.defaults(FakeHss.REALM).withCache(3, Duration.ofSeconds(60)));
        JsonNode c1 = Vectors.akaPrimeCase(1);
        JsonNode c3 = Vectors.akaPrimeCase(3);
        // Same RAND, another AUTN and RES (another SQN): the pyHSS fault.
        // Both answers are scripted before the fetch: the second MAR follows the first at once, before a test
        // thread could swap the answer in between.
        AtomicInteger marsSeen = new AtomicInteger();
        net.answerMar(mar -> marsSeen.getAndIncrement() == 0
                ? success(mar, item(1, "EAP-AKA", c1), item(2, "EAP-AKA", c1, 0, 1, 1))
                : success(mar, item(1, "EAP-AKA", c3), item(2, "EAP-AKA", c1)));
        VectorRequest req = new VectorRequest(IMSI, AuthScheme.EAP_AKA, null);
        CompletableFuture<AuthVector> first = swx.fetch(req).toCompletableFuture();
        net.nextMar();
        net.nextMar();
        assertThat(first.get(10, TimeUnit.SECONDS).rand()).as("the second, sound batch serves")
                .isEqualTo(Vectors.hex(c3, "RAND"));
        assertThat(swx.rejectedBatches(SwxMessages.BatchDefect.DUPLICATE_RAND)).isEqualTo(1);
        assertThat(swx.cachedVectors()).as("nothing of the bad batch cached").isEqualTo(1);
    }

    @Test
    void twoBadBatchesInARowFailTheAuthentication() throws Exception {
        SwxVectorSource swx = source(SwxSettings.defaults(FakeHss.REALM).withCache(3, Duration.ofSeconds(60)));
        JsonNode c3 = Vectors.akaPrimeCase(3);
        net.answerMar(mar -> success(mar, item(1, "EAP-AKA", c3), item(2, "EAP-AKA", c3, 1, 0, 1)));
        VectorSourceException e = failure(swx.fetch(new VectorRequest(IMSI, AuthScheme.EAP_AKA, null)));
        assertThat(e.getMessage()).contains("duplicate_autn").doesNotContainIgnoringCase(c3.get("RES").asText());
        assertThat(swx.rejectedBatches(SwxMessages.BatchDefect.DUPLICATE_AUTN)).isEqualTo(2);
        net.nextMar();
        net.nextMar();
        assertThat(net.mars.poll(200, TimeUnit.MILLISECONDS)).as("asked again once only").isNull();
    }

    @Test
    void batchDefectsAreFoundInRandAutnAndXres() throws Exception {
        byte[] k = new byte[16];
        AuthVector a = new AuthVector(bytes(1), bytes(2), bytes(3), k, k);
        assertThat(SwxMessages.batchDefect(List.of(a))).isEmpty();
        assertThat(SwxMessages.batchDefect(List.of(a, new AuthVector(bytes(9), bytes(8), bytes(7), k, k)))).isEmpty();
        assertThat(SwxMessages.batchDefect(List.of(a, new AuthVector(bytes(1), bytes(8), bytes(7), k, k))))
                .contains(SwxMessages.BatchDefect.DUPLICATE_RAND);
        assertThat(SwxMessages.batchDefect(List.of(a, new AuthVector(bytes(9), bytes(2), bytes(7), k, k))))
                .contains(SwxMessages.BatchDefect.DUPLICATE_AUTN);
        assertThat(SwxMessages.batchDefect(List.of(a, new AuthVector(bytes(9), bytes(8), bytes(3), k, k))))
                .contains(SwxMessages.BatchDefect.DUPLICATE_XRES);
    }

    private static byte[] bytes(int fill) {
        byte[] b = new byte[16];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    @Test
    void msisdnAvpIsReadAsTbcd() {
        assertThat(SwxMessages.tbcd(new byte[] {0x33, 0x16, 0x32, 0x54, 0x76, (byte) 0xF8})).isEqualTo("33612345678");
    }

    @Test
    void closedSourceNoLongerAnswersRtr() throws Exception {
        source().close();
        sources.clear();
        DiameterMessage rta = await(net.hss.send(fromHss(SwxApplication.REGISTRATION_TERMINATION,
                Avp.utf8(BaseProtocol.USER_NAME, IMSI))));
        assertThat(rta.resultCode()).hasValue(ResultCodes.DIAMETER_COMMAND_UNSUPPORTED);
        assertThat(terminations).isEmpty();
    }

    @Test
    void secretsStayOutOfMessagesToString() throws Exception {
        JsonNode c = Vectors.akaPrimeCase(3);
        DiameterMessage maa = success(SwxMessages.multimediaAuthRequest("s;1", SwxSettings.defaults(FakeHss.REALM),
                new VectorRequest(IMSI, AuthScheme.EAP_AKA, null), 1, null), item(1, "EAP-AKA", c));
        assertThat(maa.toString()).doesNotContainIgnoringCase(c.get("CK").asText())
                .doesNotContainIgnoringCase(c.get("RES").asText());
        assertThat(new String(maa.encode(), StandardCharsets.ISO_8859_1)).isNotEmpty();
    }

    /** A clock the cache test moves forward. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-11-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
