package org.opentwag.dashboard.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.api.accounting.AccountingStatus;
import org.opentwag.api.charging.ChargedSession;
import org.opentwag.api.charging.ChargingQueries;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.charging.Usage;
import org.opentwag.api.state.ClientState;
import org.opentwag.api.state.ClientState.Status;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.api.vectors.VectorSourceException;

class RestApiTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final long NOW = Instant.parse("2025-03-01T12:00:00Z").toEpochMilli();
    private final ObjectMapper json = new ObjectMapper();
    private FakeBackend backend;
    private RestApi api;

    @BeforeEach
    void setUp() {
        backend = new FakeBackend();
        api = new RestApi(backend, json, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), Duration.ofSeconds(2));
    }

    private JsonNode body(ApiResponse r) {
        return json.valueToTree(r.body());
    }

    private static ClientState client(String identity, Status status, long lastUpdate, long acceptedAt) {
        return new ClientState(identity, "001010123456789", status, "EAP-AKA", "192.0.2.10",
                "00-11-22-33-44-55:OpenTWAG", "AA-BB-CC-DD-EE-FF", NOW - 600_000, lastUpdate, acceptedAt,
                status == Status.REJECTED ? "USER_UNKNOWN" : null);
    }

    @Test
    void clientsListCountsStatusesAndOrdersByLastUpdate() {
        backend.store = new FakeBackend.MapStore();
        backend.store.put(client("0001010123456789@wlan.mnc001.mcc001.3gppnetwork.org", Status.ACCEPTED,
                NOW - 5_000, NOW - 125_000));
        backend.store.put(client("0001010000000002@wlan", Status.AUTHENTICATING, NOW - 1_000, 0));
        backend.store.put(client("0001010000000003@wlan", Status.REJECTED, NOW - 9_000, 0));
        backend.store.put(client("0001010000000004@wlan", Status.ACCEPTED, NOW - 7_000, NOW - 7_000));

        ApiResponse r = api.handle("GET", "/clients", new byte[0]);

        assertThat(r.status()).isEqualTo(200);
        JsonNode b = body(r);
        assertThat(b.get("counts").get("Accepted").asLong()).isEqualTo(2);
        assertThat(b.get("counts").get("Authenticating").asLong()).isEqualTo(1);
        assertThat(b.get("counts").get("Rejected").asLong()).isEqualTo(1);
        assertThat(b.get("total").asInt()).isEqualTo(4);
        JsonNode rows = b.get("clients");
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).get("identity").asText()).isEqualTo("0001010000000002@wlan");
        assertThat(rows.get(0).get("sessionDurationSeconds").isNull()).isTrue();
        JsonNode accepted = rows.get(1);
        assertThat(accepted.get("status").asText()).isEqualTo("Accepted");
        assertThat(accepted.get("sessionDurationSeconds").asLong()).isEqualTo(125);
        assertThat(accepted.get("accessPoint").asText()).isEqualTo("192.0.2.10");
        assertThat(accepted.get("calledStationId").asText()).isEqualTo("00-11-22-33-44-55:OpenTWAG");
        assertThat(accepted.get("callingStationId").asText()).isEqualTo("AA-BB-CC-DD-EE-FF");
        assertThat(accepted.get("lastUpdate").asText()).isEqualTo("2025-03-01T11:59:55Z");
        assertThat(rows.get(3).get("status").asText()).isEqualTo("Rejected");
        assertThat(rows.get(3).get("reason").asText()).isEqualTo("USER_UNKNOWN");
    }

    @Test
    void oneClientByPercentEncodedIdentity() {
        backend.store = new FakeBackend.MapStore();
        backend.store.put(client("0001010123456789@wlan.mnc001.mcc001.3gppnetwork.org", Status.ACCEPTED, NOW, NOW));
        backend.store.put(client("a+b/c@realm", Status.ACCEPTED, NOW, NOW));

        ApiResponse r = api.handle("GET", "/clients/0001010123456789%40wlan.mnc001.mcc001.3gppnetwork.org",
                new byte[0]);
        assertThat(r.status()).isEqualTo(200);
        assertThat(body(r).get("client").get("identity").asText())
                .isEqualTo("0001010123456789@wlan.mnc001.mcc001.3gppnetwork.org");
        // Without accounting the details still answer, saying what is unknown.
        assertThat(body(r).get("accessPoint").isNull()).isTrue();
        assertThat(body(r).get("sessions").isNull()).isTrue();

        assertThat(api.handle("GET", "/clients/a+b%2Fc@realm", new byte[0]).status()).isEqualTo(200);
        assertThat(api.handle("GET", "/clients/unknown", new byte[0]).status()).isEqualTo(404);
        assertThat(api.handle("GET", "/clients/%zz", new byte[0]).status()).isEqualTo(400);
        assertThat(api.handle("GET", "/clients//x", new byte[0]).status()).isEqualTo(400);
    }

    private static AccountingSession session(String id, String userName, String imsi, boolean open, Usage usage) {
        return new AccountingSession(id, "192.0.2.10", userName, imsi, "00-11-22-33-44-55:OpenTWAG",
                "AA-BB-CC-DD-EE-FF", "10.0.0.7", NOW - 90_000, NOW - 30_000, usage, open, open ? 0 : 1);
    }

    private static AccessPoint accessPoint(String nasIp, int clients) {
        return new AccessPoint(nasIp, "ap-lobby", "00-11-22-33-44-55", "OpenTWAG", 19, 1400, NOW - 3_600_000,
                NOW - 2_000, clients);
    }

    @Test
    void clientDetailsShowTheAccessPointAndOnlyTheClientsSessions() {
        String identity = "0001010123456789@wlan.mnc001.mcc001.3gppnetwork.org";
        backend.store = new FakeBackend.MapStore();
        backend.store.put(client(identity, Status.ACCEPTED, NOW, NOW - 60_000));
        backend.accounting = new FakeBackend.FakeAccounting();
        backend.accounting.accessPoints.add(accessPoint("192.0.2.10", 2));
        // A pseudonym in the accounting User-Name: tied to the client through the IMSI (from Class).
        backend.accounting.sessions.add(session("s1", "pseudonym@realm", "001010123456789", true,
                new Usage(1000, 250_000, 10, 200, 0)));
        backend.accounting.sessions.add(session("s2", "someone-else@realm", "001010999999999", true, Usage.NONE));
        backend.accounting.sessions.add(session("s3", identity, "001010123456789", false, Usage.NONE));

        JsonNode b = body(api.handle("GET", "/clients/" + identity.replace("@", "%40"), new byte[0]));

        assertThat(b.get("accessPoint").get("nasIdentifier").asText()).isEqualTo("ap-lobby");
        assertThat(b.get("accessPoint").get("ssid").asText()).isEqualTo("OpenTWAG");
        assertThat(b.get("sessions")).hasSize(1);
        JsonNode s = b.get("sessions").get(0);
        assertThat(s.get("acctSessionId").asText()).isEqualTo("s1");
        assertThat(s.get("downloadOctets").asLong()).isEqualTo(250_000);
        assertThat(s.get("uploadOctets").asLong()).isEqualTo(1000);
        // No Acct-Session-Time: the duration runs from the Start.
        assertThat(s.get("durationSeconds").asLong()).isEqualTo(90);
        assertThat(b.toString()).doesNotContainIgnoringCase("key").doesNotContainIgnoringCase("msk");
    }

    @Test
    void clientDetailsShowTheHomeRoutedPdnConnectionOrNone() {
        String identity = "0001010123456789@wlan.mnc001.mcc001.3gppnetwork.org";
        backend.store = new FakeBackend.MapStore();
        backend.store.put(client(identity, Status.ACCEPTED, NOW, NOW - 60_000));
        String uri = "/clients/" + identity.replace("@", "%40");
        assertThat(body(api.handle("GET", uri, new byte[0])).get("pdnConnection").isNull()).isTrue();

        backend.pdnConnections = List.of(new org.opentwag.api.s2a.HomeRouting.PdnConnectionView("001010999999999",
                "other", "10.45.0.9", "127.0.0.4:2123", 1, 2, 3, "0x4@127.0.0.7", NOW),
                new org.opentwag.api.s2a.HomeRouting.PdnConnectionView("001010123456789", "wlan.operator",
                        "10.45.0.2", "127.0.0.4:2123", 0x1234, 0xabcd, 0x5678, "0xef01@127.0.0.7", NOW - 1000));
        JsonNode p = body(api.handle("GET", uri, new byte[0])).get("pdnConnection");
        assertThat(p.get("apn").asText()).isEqualTo("wlan.operator");
        assertThat(p.get("address").asText()).isEqualTo("10.45.0.2");
        assertThat(p.get("pgw").asText()).isEqualTo("127.0.0.4:2123");
        assertThat(p.get("localTeid").asLong()).isEqualTo(0x1234);
        assertThat(p.get("pgwTeid").asLong()).isEqualTo(0xabcd);
        assertThat(p.get("localUserTeid").asLong()).isEqualTo(0x5678);
        assertThat(p.get("pgwUserTeid").asText()).isEqualTo("0xef01@127.0.0.7");
    }

    @Test
    void aSessionsStoredRecordsComeWithItsLatestStateWhileItIsKnown() {
        backend.accounting = new FakeBackend.FakeAccounting();
        backend.accounting.sessions.add(session("s1", "a@realm", "001010123456789", false,
                new Usage(100, 2000, 1, 2, 42)));
        backend.accounting.records.add(new AccountingRecord(AccountingStatus.START, NOW - 90_000, "192.0.2.10",
                "ap-lobby", "s1", "a@realm", "001010123456789", "token", null, "AA-BB-CC-DD-EE-FF", null, Usage.NONE,
                0));
        backend.accounting.records.add(new AccountingRecord(AccountingStatus.STOP, NOW - 30_000, "192.0.2.10",
                "ap-lobby", "s1", "a@realm", "001010123456789", "token", null, "AA-BB-CC-DD-EE-FF", null,
                new Usage(100, 2000, 1, 2, 42), 4));
        backend.accounting.records.add(new AccountingRecord(AccountingStatus.START, NOW - 10_000, "192.0.2.77",
                null, "old", "b@realm", null, null, null, null, null, Usage.NONE, 0));

        JsonNode b = body(api.handle("GET", "/sessions/192.0.2.10/s1", new byte[0]));
        assertThat(b.get("session").get("open").asBoolean()).isFalse();
        assertThat(b.get("records")).hasSize(2);
        JsonNode stop = b.get("records").get(1);
        assertThat(stop.get("status").asText()).isEqualTo("Stop");
        assertThat(stop.get("received").asText()).isEqualTo(Instant.ofEpochMilli(NOW - 30_000).toString());
        assertThat(stop.get("downloadOctets").asLong()).as("Acct-Output-Octets").isEqualTo(2000);
        assertThat(stop.get("uploadOctets").asLong()).isEqualTo(100);
        assertThat(stop.get("terminateCause").asInt()).isEqualTo(4);
        assertThat(stop.has("authSessionId")).as("the Class token stays inside").isFalse();
        assertThat(b.get("records").get(0).get("status").asText()).isEqualTo("Start");

        // No longer known, but still stored: the records without a session.
        JsonNode old = body(api.handle("GET", "/sessions/192.0.2.77/old", new byte[0]));
        assertThat(old.get("session").isNull()).isTrue();
        assertThat(old.get("records")).hasSize(1);
        assertThat(api.handle("GET", "/sessions/192.0.2.10/nope", new byte[0]).status()).isEqualTo(404);
        assertThat(api.handle("POST", "/sessions/192.0.2.10/s1", new byte[0]).status()).isEqualTo(405);
        // A database that fails or is too slow is an error the caller sees, not an empty history.
        backend.accounting.historyFailure =
                "the accounting database did not answer within 10 s (historyReadTimeoutSeconds)";
        ApiResponse unreadable = api.handle("GET", "/sessions/192.0.2.10/s1", new byte[0]);
        assertThat(unreadable.status()).isEqualTo(503);
        assertThat(body(unreadable).toString()).contains("did not answer");
        backend.accounting = null;
        assertThat(api.handle("GET", "/sessions/192.0.2.10/s1", new byte[0]).status()).isEqualTo(503);
    }

    @Test
    void accessPointsAndUsage() {
        backend.accounting = new FakeBackend.FakeAccounting();
        backend.accounting.accessPoints.add(accessPoint("192.0.2.10", 1));
        backend.accounting.accessPoints.add(accessPoint("192.0.2.11", 0));
        backend.accounting.sessions.add(session("s1", "a@realm", null, true, new Usage(100, 2000, 1, 2, 42)));
        backend.accounting.sessions.add(session("s2", "b@realm", null, true, new Usage(300, 4000, 3, 4, 0)));
        backend.accounting.sessions.add(session("s3", "c@realm", null, false, new Usage(9, 9, 9, 9, 9)));

        JsonNode aps = body(api.handle("GET", "/aps", new byte[0])).get("accessPoints");
        assertThat(aps).hasSize(2);
        assertThat(aps.get(0).get("nasIp").asText()).isEqualTo("192.0.2.10");
        assertThat(aps.get(0).get("clientCount").asInt()).isEqualTo(1);
        assertThat(aps.get(0).get("lastSeen").asText()).isEqualTo(Instant.ofEpochMilli(NOW - 2_000).toString());

        JsonNode one = body(api.handle("GET", "/aps/192.0.2.10", new byte[0]));
        assertThat(one.get("accessPoint").get("framedMtu").asInt()).isEqualTo(1400);
        assertThat(one.get("sessions")).hasSize(2);
        assertThat(api.handle("GET", "/aps/192.0.2.99", new byte[0]).status()).isEqualTo(404);

        JsonNode usage = body(api.handle("GET", "/sessions", new byte[0]));
        assertThat(usage.get("open").asInt()).isEqualTo(2);
        assertThat(usage.get("downloadOctets").asLong()).isEqualTo(6000);
        assertThat(usage.get("uploadOctets").asLong()).isEqualTo(400);
        // Acct-Session-Time wins over the wall clock when the AP sent it.
        assertThat(usage.get("sessions").get(0).get("durationSeconds").asLong()).isEqualTo(42);
        assertThat(usage.get("sessions").get(1).get("durationSeconds").asLong()).isEqualTo(90);
    }

    @Test
    void chargingShowsModeAndSessionsWithoutBackendState() {
        ChargingSession cs = new ChargingSession("tok-1", "001010123456789", "192.0.2.10", null, null, "online",
                new java.util.HashMap<>(Map.of("gy.session-id", "secret-looking-state")));
        ChargedSession charged = new ChargedSession(cs, "s1", "a@realm", NOW - 10_000, NOW, 1_000_000,
                new Usage(100, 200, 1, 1, 5), 0, false);
        backend.charging = new ChargingQueries() {
            public String mode() { return "online"; }
            public java.util.Set<String> availableModes() { return java.util.Set.of("online", "disabled"); }
            public List<ChargedSession> sessions(int limit) { return List.of(charged); }
        };
        JsonNode b = body(api.handle("GET", "/charging", new byte[0]));
        assertThat(b.get("mode").asText()).isEqualTo("online");
        assertThat(b.get("availableModes").toString()).isEqualTo("[\"disabled\",\"online\"]");
        assertThat(b.get("sessions").get(0).get("leftOctets").asLong()).isEqualTo(1_000_000 - 300);
        assertThat(b.toString()).doesNotContain("secret-looking-state");
    }

    @Test
    void missingPartsAnswerNotInstalled() {
        for (String path : List.of("/clients", "/clients/x", "/peers", "/config", "/aps", "/aps/192.0.2.10",
                "/sessions", "/charging")) {
            ApiResponse r = api.handle("GET", path, new byte[0]);
            assertThat(r.status()).as(path).isEqualTo(503);
            assertThat(body(r).get("installed").asBoolean()).isFalse();
        }
        ApiResponse mar = api.handle("POST", "/mar", "{\"imsi\":\"001010123456789\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(mar.status()).isEqualTo(503);
        assertThat(body(mar).get("error").asText()).contains("swx");
    }

    @Test
    void unknownPathsAndWrongMethods() {
        assertThat(api.handle("GET", "/nothing", new byte[0]).status()).isEqualTo(404);
        assertThat(api.handle("GET", "", new byte[0]).status()).isEqualTo(404);
        assertThat(api.handle("POST", "/clients", new byte[0]).status()).isEqualTo(405);
        assertThat(api.handle("GET", "/mar", new byte[0]).status()).isEqualTo(405);
        assertThat(api.handle("DELETE", "/peers", new byte[0]).status()).isEqualTo(405);
        assertThat(api.handle("POST", "/clients/x/reboot", new byte[0]).status()).isEqualTo(404);
    }

    @Test
    void peersWithCounts() {
        backend.peers = List.of(
                new PeerView("hss.lab", "lab", "127.0.0.1", 3868, "TCP", "INITIATOR", "Connected", true,
                        "2025-03-01T11:00:00Z", "OpenTWAG HSS", List.of(16777265L), List.of(16777265L), false, 0),
                new PeerView("ocs.lab", "lab", "127.0.0.1", 3869, "TCP", "INITIATOR", "CLOSED", false, null, null,
                        List.of(), List.of(), false, 0));
        JsonNode b = body(api.handle("GET", "/peers", new byte[0]));
        assertThat(b.get("connected").asLong()).isEqualTo(1);
        assertThat(b.get("disconnected").asLong()).isEqualTo(1);
        assertThat(b.get("peers").get(0).get("host").asText()).isEqualTo("hss.lab");
        assertThat(b.get("peers").get(0).get("advertisedApplications").get(0).asLong()).isEqualTo(16777265L);
        assertThat(b.get("peers").get(1).get("status").asText()).isEqualTo("CLOSED");
    }

    @Test
    void configIsListedMasked() {
        backend.configurations = List.of(ConfigurationView.of("org.opentwag.radius", null,
                Map.of("secret", "testing123", "authPort", 1812)));
        ApiResponse r = api.handle("GET", "/config", new byte[0]);
        assertThat(r.status()).isEqualTo(200);
        assertThat(body(r).toString()).doesNotContain("testing123").contains("1812");
    }

    @Test
    void resourcesDescribeTheJvm() {
        JsonNode b = body(api.handle("GET", "/resources", new byte[0]));
        assertThat(b.get("heap").get("used").asLong()).isPositive();
        assertThat(b.get("threads").asInt()).isPositive();
        assertThat(b.get("availableProcessors").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    /** TS 35.208 test set 1: the vector an HSS would send for it. AUTN = SQN xor AK || AMF || MAC-A. */
    private static Map<String, String> milenageSet1() throws Exception {
        String dir = System.getProperty("opentwag.vectors.dir", "../../../vectors");
        JsonNode set = new ObjectMapper().readTree(Files.readString(Path.of(dir, "milenage.json"))).get("sets").get(0);
        byte[] sqn = HEX.parseHex(set.get("sqn").asText());
        byte[] ak = HEX.parseHex(set.get("f5").asText());
        byte[] sqnXorAk = new byte[6];
        for (int i = 0; i < 6; i++) {
            sqnXorAk[i] = (byte) (sqn[i] ^ ak[i]);
        }
        String autn = HEX.formatHex(sqnXorAk) + set.get("amf").asText() + set.get("f1").asText();
        return Map.of("rand", set.get("rand").asText(), "autn", autn, "xres", set.get("f2").asText(),
                "ck", set.get("f3").asText(), "ik", set.get("f4").asText());
    }

    private static String fingerprint(String hex) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(HEX.parseHex(hex));
        return "sha256:" + HEX.formatHex(d, 0, 4);
    }

    private static AuthVectorSource source(java.util.function.Function<VectorRequest, CompletionStage<AuthVector>> f) {
        return new AuthVectorSource() {
            @Override
            public CompletionStage<AuthVector> fetch(VectorRequest request) {
                return f.apply(request);
            }

            @Override
            public CompletionStage<AuthVector> resynchronize(VectorRequest request, byte[] rand, byte[] auts) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void vectorTestShowsRandAutnAndOnlyFingerprintsOfKeys() throws Exception {
        Map<String, String> v = milenageSet1();
        VectorRequest[] asked = new VectorRequest[1];
        backend.sources.put("swx", source(req -> {
            asked[0] = req;
            return CompletableFuture.completedFuture(new AuthVector(HEX.parseHex(v.get("rand")),
                    HEX.parseHex(v.get("autn")), HEX.parseHex(v.get("xres")), HEX.parseHex(v.get("ck")),
                    HEX.parseHex(v.get("ik"))));
        }));

        ApiResponse r = api.handle("POST", "/mar",
                "{\"imsi\":\"001010123456789\",\"akaPrime\":true}".getBytes(StandardCharsets.UTF_8));

        assertThat(r.status()).isEqualTo(200);
        assertThat(asked[0].imsi()).isEqualTo("001010123456789");
        assertThat(asked[0].scheme()).isEqualTo(AuthScheme.EAP_AKA_PRIME);
        assertThat(asked[0].accessNetworkName()).isEqualTo("WLAN");
        JsonNode b = body(r);
        assertThat(b.get("result").asText()).isEqualTo("success");
        assertThat(b.get("rand").asText()).isEqualTo("23553cbe9637a89d218ae64dae47bf35");
        assertThat(b.get("autn").asText()).isEqualTo(v.get("autn"));
        assertThat(b.get("xres").get("length").asInt()).isEqualTo(8);
        assertThat(b.get("xres").get("fingerprint").asText()).isEqualTo(fingerprint(v.get("xres")));
        assertThat(b.get("ck").get("fingerprint").asText()).isEqualTo(fingerprint(v.get("ck")));
        assertThat(b.get("ik").get("length").asInt()).isEqualTo(16);
        String text = json.writeValueAsString(r.body());
        assertThat(text).doesNotContainIgnoringCase(v.get("xres")).doesNotContainIgnoringCase(v.get("ck"))
                .doesNotContainIgnoringCase(v.get("ik"));
    }

    @Test
    void vectorTestReportsTheSourcesFailureReason() {
        backend.sources.put("local", source(req -> CompletableFuture.failedFuture(
                new VectorSourceException(VectorSourceException.Reason.USER_UNKNOWN, "no such subscriber"))));
        ApiResponse r = api.handle("POST", "/mar",
                "{\"imsi\":\"001019999999999\",\"source\":\"local\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(200);
        assertThat(body(r).get("result").asText()).isEqualTo("USER_UNKNOWN");
        assertThat(body(r).get("scheme").asText()).isEqualTo(AuthScheme.EAP_AKA.wireName());
    }

    @Test
    void vectorTestTimesOut() {
        backend.sources.put("swx", source(req -> new CompletableFuture<>()));
        ApiResponse r = api.handle("POST", "/mar", "{\"imsi\":\"001010123456789\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(504);
        assertThat(body(r).get("result").asText()).isEqualTo("TIMEOUT");
    }

    @Test
    void vectorTestRejectsBadRequests() {
        backend.sources.put("swx", source(req -> new CompletableFuture<>()));
        for (String bad : List.of("", "not json", "{\"imsi\":\"12ab\"}", "{\"imsi\":\"1234\"}",
                "{\"imsi\":\"1234567890123456\"}", "{}", "{\"imsi\":\"001010123456789\",\"source\":\"../x\"}",
                "{\"imsi\":\"001010123456789\",\"extra\":1}", "[1,2]")) {
            ApiResponse r = api.handle("POST", "/mar", bad.getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as(bad).isEqualTo(400);
        }
    }

    @Test
    void disconnectGoesToTheClientsAccessPoint() {
        backend.store = new FakeBackend.MapStore();
        backend.disconnectInstalled = true;
        ClientState c = client("0001010123456789@wlan", Status.ACCEPTED, NOW, NOW);
        backend.store.put(c);

        ApiResponse r = api.handle("POST", "/clients/0001010123456789%40wlan/disconnect", new byte[0]);

        assertThat(r.status()).isEqualTo(200);
        assertThat(backend.disconnected).containsExactly(c);
        assertThat(body(r).get("outcome").asText()).isEqualTo("ACK");
        assertThat(api.handle("POST", "/clients/nobody/disconnect", new byte[0]).status()).isEqualTo(404);
        backend.disconnectInstalled = false;
        assertThat(api.handle("POST", "/clients/0001010123456789%40wlan/disconnect", new byte[0]).status())
                .isEqualTo(503);
    }

    /** A Passpoint generator that hands out fixed files, to see what the REST layer makes of them. */
    private static org.opentwag.passpoint.PasspointProfiles passpointWith(java.util.List<org.opentwag.passpoint.Finding> findings) {
        return new org.opentwag.passpoint.PasspointProfiles() {
            @Override
            public org.opentwag.passpoint.PasspointProfile profile() {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.util.List<org.opentwag.passpoint.Finding> validate() {
                return findings;
            }

            @Override
            public org.opentwag.passpoint.GeneratedFile generate(org.opentwag.passpoint.PasspointFormat format) {
                return new org.opentwag.passpoint.GeneratedFile("file-" + format.label(), "type/" + format.label(),
                        ("content of " + format.label()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        };
    }

    @Test
    void passpointFilesDownloadAsIsWithTheHeadersPhonesNeed() {
        assertThat(api.handle("GET", "/passpoint/android", new byte[0]).status()).isEqualTo(503);
        backend.passpoint = passpointWith(java.util.List.of());

        ApiResponse android = api.handle("GET", "/passpoint/android", new byte[0]);
        assertThat(android.status()).isEqualTo(200);
        ApiResponse.Download file = (ApiResponse.Download) android.body();
        assertThat(file.contentType()).isEqualTo("type/android");
        assertThat(new String(file.content(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("content of android");
        // Android's installer refuses a Content-Disposition and needs the transfer encoding named.
        assertThat(file.headers()).containsEntry("Content-Transfer-Encoding", "base64")
                .doesNotContainKey("Content-Disposition");

        ApiResponse.Download apple = (ApiResponse.Download) api.handle("GET", "/passpoint/apple", new byte[0]).body();
        assertThat(apple.headers()).containsEntry("Content-Disposition", "attachment; filename=\"file-apple\"");

        assertThat(api.handle("GET", "/passpoint/windows", new byte[0]).status()).isEqualTo(404);
        assertThat(api.handle("POST", "/passpoint/ap", new byte[0]).status()).isEqualTo(405);
    }

    @Test
    void passpointFindingsAndFormatsAreListed() {
        backend.passpoint = passpointWith(java.util.List.of(new org.opentwag.passpoint.Finding(
                org.opentwag.passpoint.Finding.Severity.WARNING, org.opentwag.passpoint.Finding.Code.values()[0],
                "something to fix")));
        ApiResponse r = api.handle("GET", "/passpoint", new byte[0]);
        assertThat(r.status()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> body = (java.util.Map<String, Object>) r.body();
        assertThat(body.get("formats")).asList().containsExactly("ap", "cisco", "android", "apple");
        assertThat(body.get("findings").toString()).contains("something to fix").contains("WARNING");
    }

    @Test
    void checkListsEveryChecksFindingsUnsafeFirst() {
        assertThat(body(api.handle("GET", "/check", new byte[0])).get("findings")).isEmpty();
        backend.checks.add(() -> List.of(
                org.opentwag.api.check.Finding.warning("simulators", "The embedded HSS simulator runs.",
                        "feature:uninstall opentwag-hss-sim"),
                org.opentwag.api.check.Finding.unsafe("radius", "A client group for 10.0.0.0/8 has the shipped "
                        + "placeholder secret.", "Set secret in etc/org.opentwag.radius.client-lan.cfg")));
        backend.checks.add(List::of);
        backend.checks.add(() -> List.of(org.opentwag.api.check.Finding.unsafe("metrics",
                "Metrics listen on 0.0.0.0 without login.", "Set bindAddress in etc/org.opentwag.metrics.cfg")));
        ApiResponse r = api.handle("GET", "/check", new byte[0]);
        assertThat(r.status()).isEqualTo(200);
        JsonNode b = body(r);
        assertThat(b.get("unsafe").asInt()).isEqualTo(2);
        assertThat(b.get("warnings").asInt()).isEqualTo(1);
        assertThat(b.get("docs").asText()).isEqualTo("docs/before-you-expose-it.md");
        JsonNode f = b.get("findings");
        assertThat(f).hasSize(3);
        // UNSAFE before WARNING whatever the order of the checks and of their findings.
        assertThat(f.get(0).get("severity").asText()).isEqualTo("UNSAFE");
        assertThat(f.get(0).get("area").asText()).isEqualTo("metrics");
        assertThat(f.get(1).get("area").asText()).isEqualTo("radius");
        assertThat(f.get(2).get("severity").asText()).isEqualTo("WARNING");
        assertThat(f.get(2).get("remedy").asText()).isEqualTo("feature:uninstall opentwag-hss-sim");
        assertThat(api.handle("POST", "/check", new byte[0]).status()).isEqualTo(405);
    }

    @Test
    void aBrokenCheckIsReportedWithoutHidingTheOthers() {
        backend.checks.add(() -> {
            throw new IllegalStateException("config unreadable");
        });
        backend.checks.add(() -> List.of(org.opentwag.api.check.Finding.unsafe("radius", "p", "r")));
        JsonNode b = body(api.handle("GET", "/check", new byte[0]));
        assertThat(b.get("unsafe").asInt()).isEqualTo(1);
        assertThat(b.get("warnings").asInt()).isEqualTo(1);
        assertThat(b.get("findings").get(1).get("problem").asText()).contains("failed", "config unreadable");
    }

    /** The REST face of IMSI privacy: routes, not-installed answer, body checks; the keys are the service's. */
    @Test
    void privacyRoutesPublishKeysAndTheCarrierDocumentAndGenerateOnPost() {
        assertThat(api.handle("GET", "/privacy/keys", new byte[0]).status()).isEqualTo(503);
        java.util.List<String> generated = new java.util.ArrayList<>();
        org.opentwag.api.eap.ImsiPrivacy.Key key = new org.opentwag.api.eap.ImsiPrivacy.Key("k1",
                "CertificateSerialNumber=7", "-----BEGIN CERTIFICATE-----\n...", 2048,
                Instant.parse("2027-01-01T00:00:00Z"), true, "ab");
        backend.privacy = new org.opentwag.api.eap.ImsiPrivacy() {
            @Override
            public java.util.List<Key> keys() {
                return java.util.List.of(key);
            }

            @Override
            public String carrierKeysJson() {
                return "{\"carrier-keys\": []}";
            }

            @Override
            public Key generate(String name, int bits, int validDays, String keyIdentifier) {
                if (bits < 2048) {
                    throw new IllegalArgumentException("at least 2048 bits");
                }
                generated.add(name + "/" + bits + "/" + validDays);
                return key;
            }

            @Override
            public Key importKey(String name, String privateKeyPem, String certificatePem, String keyIdentifier) {
                throw new UnsupportedOperationException();
            }
        };
        ApiResponse keys = api.handle("GET", "/privacy/keys", new byte[0]);
        assertThat(keys.status()).isEqualTo(200);
        assertThat(body(keys).get(0).get("keyIdentifier").asText()).isEqualTo("CertificateSerialNumber=7");
        assertThat(body(keys).toString()).doesNotContain("PRIVATE");
        ApiResponse doc = api.handle("GET", "/privacy/carrier-keys", new byte[0]);
        assertThat(doc.status()).isEqualTo(200);
        assertThat(api.handle("POST", "/privacy/keys", new byte[0]).status()).isEqualTo(405);
        assertThat(api.handle("POST", "/privacy/generate", "{}".getBytes()).status()).isEqualTo(400);
        assertThat(api.handle("POST", "/privacy/generate", "{\"name\":\"k2\",\"bits\":1024}".getBytes()).status())
                .isEqualTo(400);
        assertThat(api.handle("POST", "/privacy/generate", "{\"name\":\"k2\"}".getBytes()).status()).isEqualTo(200);
        assertThat(generated).containsExactly("k2/2048/730");
    }
}
