package org.opentwag.session.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;
import org.opentwag.api.charging.ChargingControl;
import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.session.AccessGrant;
import org.opentwag.api.session.AccessPath;
import org.opentwag.api.session.AccessSessions.DisconnectOutcome;
import org.opentwag.api.state.AuthorizedSession;
import org.opentwag.api.state.ClientState;
import org.opentwag.support.state.ForwardingStateStore;
import org.opentwag.api.state.StateStore;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.Non3gppUserData;
import org.opentwag.api.vectors.VectorSourceException;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.server.DynamicAuthorizationClient;
import org.opentwag.radius.server.DynamicAuthorizationResult;
import org.opentwag.state.memory.InMemoryStateStore;

class AccessSessionBookTest {

    private static final String IMSI = "001010000000001";
    private static final String PERMANENT = "0" + IMSI + "@wlan.mnc001.mcc001.3gppnetwork.org";
    private static final String PSEUDONYM = "2pseudonym@wlan.mnc001.mcc001.3gppnetwork.org";
    private static final NasContext AP1 = new NasContext("10.0.0.1", "ap1", "AA-BB-CC-DD-EE-FF:ONS",
            "11-22-33-44-55-66");
    private static final NasContext AP2 = new NasContext("10.0.0.2", "ap2", "AA-BB-CC-DD-EE-00:ONS",
            "11-22-33-44-55-66");

    /** Records the registrations it is told of, as the HSS would see them on SWx. */
    static final class RecordingHss implements AuthVectorSource {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile RuntimeException failure;
        /** The Non-3GPP-User-Data the SAA carries, or null for none. */
        volatile Non3gppUserData userData;

        @Override
        public CompletionStage<AuthVector> fetch(VectorRequest request) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("not in this test"));
        }

        @Override
        public CompletionStage<AuthVector> resynchronize(VectorRequest request, byte[] rand, byte[] auts) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("not in this test"));
        }

        @Override
        public CompletionStage<Optional<Non3gppUserData>> registered(String imsi, AuthScheme scheme) {
            calls.add("SAR REGISTRATION " + imsi + " " + scheme.wireName());
            return failure == null ? CompletableFuture.completedFuture(Optional.ofNullable(userData))
                    : CompletableFuture.failedFuture(failure);
        }

        @Override
        public CompletionStage<Void> deregistered(String imsi) {
            calls.add("SAR USER_DEREGISTRATION " + imsi);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** The AP's Dynamic Authorization Server, acknowledging every Disconnect-Request. */
    static final class RecordingDas implements DynamicAuthorizationClient {
        final List<String> nasIps = new CopyOnWriteArrayList<>();
        final List<List<RadiusAttribute>> requests = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<DynamicAuthorizationResult> disconnect(String nasIp, List<RadiusAttribute> attrs) {
            nasIps.add(nasIp);
            requests.add(attrs);
            return CompletableFuture.completedFuture(new DynamicAuthorizationResult(
                    DynamicAuthorizationResult.Outcome.ACK, List.of(), "Disconnect-ACK"));
        }

        @Override
        public CompletionStage<DynamicAuthorizationResult> changeOfAuthorization(String nasIp,
                                                                                 List<RadiusAttribute> attrs) {
            throw new UnsupportedOperationException();
        }
    }

    /** A store that counts whole-map reads: a lookup by IMSI must not need one. */
    static final class CountingStore extends ForwardingStateStore {
        final StateStore inner;
        final Map<String, LongAdder> snapshots = new ConcurrentHashMap<>();

        CountingStore(StateStore inner) {
            this.inner = inner;
        }

        @Override
        protected StateStore delegate() {
            return inner;
        }

        @Override
        public <V extends Serializable> Map<String, V> snapshot(String map, Class<V> type) {
            snapshots.computeIfAbsent(map, m -> new LongAdder()).increment();
            return super.snapshot(map, type);
        }

        /** Reads and writes of values, as "map op", e.g. "authorized-sessions get". */
        final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

        long calls(String map, String op) {
            LongAdder n = calls.get(map + " " + op);
            return n == null ? 0 : n.sum();
        }

        private void count(String map, String op) {
            calls.computeIfAbsent(map + " " + op, k -> new LongAdder()).increment();
        }

        @Override
        public void put(String map, String key, Serializable value, Duration ttl) {
            count(map, "put");
            super.put(map, key, value, ttl);
        }

        @Override
        public <V extends Serializable> V get(String map, String key, Class<V> type) {
            count(map, "get");
            return super.get(map, key, type);
        }
    }

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InMemoryStateStore memory = new InMemoryStateStore(1000, now::get);
    private final CountingStore store = new CountingStore(memory);
    private final AtomicReference<ChargingControl> charging = new AtomicReference<>();
    private final RecordingHss hss = new RecordingHss();
    private final RecordingDas das = new RecordingDas();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private AccessSessionBook.Settings settings = new AccessSessionBook.Settings(Duration.ofHours(1), 3600, 300);
    private final AccessSessionBook book = new AccessSessionBook(store, () -> settings, now::get, charging::get,
            () -> hss, () -> das, new AccessSessionBook.RegistrationCounters(
                    name -> counters.computeIfAbsent(name, n -> new LongAdder())));

    private static EapAuthentication auth(String identity, String method, boolean fastReauth) {
        return new EapAuthentication(IMSI, identity, method, fastReauth, new byte[64], new byte[64], new byte[]{1});
    }

    private AccessGrant login(String identity, NasContext ap, String method) {
        book.authenticating(identity, ap, method);
        return book.authorize(auth(identity, method, false), ap).toCompletableFuture().join();
    }

    private static String token(AccessGrant grant) {
        return ((AccessGrant.Granted) grant).classValue().substring(AuthorizedSession.CLASS_PREFIX.length());
    }

    private long counter(String kind, String result) {
        LongAdder a = counters.get("hss_registration_count{kind=\"" + kind + "\",result=\"" + result + "\"}");
        return a == null ? 0 : a.sum();
    }

    @Test
    void withoutChargingTheGrantCarriesTheConfiguredTimersAndAClassThatFindsTheSubscriber() {
        AccessGrant.Granted g = (AccessGrant.Granted) login(PERMANENT, AP1, "EAP-AKA");
        assertThat(g.sessionTimeoutSeconds()).isEqualTo(3600);
        assertThat(g.interimIntervalSeconds()).isEqualTo(300);
        assertThat(g.charging()).isNull();
        assertThat(g.classValue()).startsWith(AuthorizedSession.CLASS_PREFIX);
        AuthorizedSession s = book.authorization(token(g)).orElseThrow();
        assertThat(s.imsi()).isEqualTo(IMSI);
        assertThat(s.identity()).isEqualTo(PERMANENT);
        assertThat(s.nasIp()).isEqualTo("10.0.0.1");
        assertThat(s.callingStationId()).isEqualTo("11-22-33-44-55-66");
        ClientState c = book.client(IMSI).orElseThrow();
        assertThat(c.status()).isEqualTo(ClientState.Status.ACCEPTED);
        assertThat(c.method()).isEqualTo("EAP-AKA");
    }

    @Test
    void chargingSeesTheSubscriberAndTheAccessPointAndItsValidityShortensTheInterimInterval() {
        AtomicReference<ChargingSession> asked = new AtomicReference<>();
        charging.set(s -> {
            asked.set(s);
            return CompletableFuture.completedFuture(new ChargingDecision(true, 10_000_000, 120, false, null));
        });
        AccessGrant.Granted g = (AccessGrant.Granted) login(PERMANENT, AP1, "EAP-AKA");
        assertThat(asked.get().sessionId()).isEqualTo(token(g));
        assertThat(asked.get().imsi()).isEqualTo(IMSI);
        assertThat(asked.get().nasIp()).isEqualTo("10.0.0.1");
        assertThat(asked.get().calledStationId()).isEqualTo("AA-BB-CC-DD-EE-FF:ONS");
        assertThat(g.charging().grantedOctets()).isEqualTo(10_000_000);
        // A quota valid for 120 s must be reported on at least that often (configured: 300 s).
        assertThat(g.interimIntervalSeconds()).isEqualTo(120);
        assertThat(AccessSessionBook.interimInterval(0, g.charging())).isEqualTo(120);
        assertThat(AccessSessionBook.interimInterval(60, g.charging())).isEqualTo(60);
    }

    @Test
    void whatChargingRefusesIsNeitherGrantedNorRegistered() {
        charging.set(s -> CompletableFuture.completedFuture(ChargingDecision.refused("credit limit reached")));
        AccessGrant g = login(PERMANENT, AP1, "EAP-AKA");
        assertThat(g).isInstanceOf(AccessGrant.Refused.class);
        assertThat(((AccessGrant.Refused) g).reason()).contains("credit limit reached");
        assertThat(book.client(PERMANENT).orElseThrow().status()).isEqualTo(ClientState.Status.REJECTED);
        assertThat(memory.size(AccessSessionBook.AUTHORIZATIONS)).isZero();
        // The HSS decides first; a login charging then refuses is deregistered at once.
        assertThat(hss.calls).containsExactly("SAR REGISTRATION " + IMSI + " EAP-AKA", "SAR USER_DEREGISTRATION " + IMSI);
        hss.calls.clear();

        charging.set(s -> CompletableFuture.failedFuture(new IllegalStateException("backend bug")));
        assertThat(((AccessGrant.Refused) login(PERMANENT, AP1, "EAP-AKA")).reason()).contains("backend bug");
        charging.set(s -> {
            throw new IllegalStateException("thrown, not failed");
        });
        assertThat(login(PERMANENT, AP1, "EAP-AKA")).isInstanceOf(AccessGrant.Refused.class);
        assertThat(hss.calls).filteredOn(c -> c.startsWith("SAR REGISTRATION")).hasSize(2);
        assertThat(hss.calls).filteredOn(c -> c.startsWith("SAR USER_DEREGISTRATION")).hasSize(2);
    }

    @Test
    void whatTheHssRefusesIsRejectedBeforeChargingIsAsked() {
        AtomicLong charged = new AtomicLong();
        charging.set(s -> {
            charged.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
        hss.failure = new VectorSourceException(VectorSourceException.Reason.USER_UNKNOWN, "HSS does not know it");
        AccessGrant g = login(PERMANENT, AP1, "EAP-AKA");
        assertThat(g).isInstanceOf(AccessGrant.Refused.class);
        assertThat(((AccessGrant.Refused) g).reason()).contains("HSS does not know it");
        assertThat(book.client(PERMANENT).orElseThrow().status()).isEqualTo(ClientState.Status.REJECTED);

        hss.failure = new java.util.concurrent.CompletionException(new VectorSourceException(
                VectorSourceException.Reason.NOT_AUTHORIZED, "Experimental-Result 5450"));
        assertThat(login(PERMANENT, AP1, "EAP-AKA")).isInstanceOf(AccessGrant.Refused.class);

        hss.failure = null;
        hss.userData = new Non3gppUserData(Non3gppUserData.IpAccess.NON_3GPP_SUBSCRIPTION_BARRED, null, null, null,
                null, null);
        assertThat(login(PERMANENT, AP1, "EAP-AKA")).as("Non-3GPP-IP-Access barred in the SAA")
                .isInstanceOf(AccessGrant.Refused.class);
        hss.userData = new Non3gppUserData(null, Non3gppUserData.ApnAccess.NON_3GPP_APNS_DISABLE, null, null,
                null, null);
        assertThat(login(PERMANENT, AP1, "EAP-AKA")).as("Non-3GPP-IP-Access-APN disabled in the SAA")
                .isInstanceOf(AccessGrant.Refused.class);
        assertThat(counter("register", "refused")).isEqualTo(4);
        assertThat(charged.get()).isZero();
        assertThat(memory.size(AccessSessionBook.AUTHORIZATIONS)).isZero();
        assertThat(das.nasIps).isEmpty();
    }

    @Test
    void theUserDataOfTheSaaIsKeptWithTheSessionAndDecidesAFastReauthentication() {
        Non3gppUserData data = new Non3gppUserData(null, null, "33612345678",
                new Non3gppUserData.Ambr(1000, 2000), 1L,
                List.of(new Non3gppUserData.ApnConfiguration(1, "internet", null)));
        hss.userData = data;
        assertThat(login(PERMANENT, AP1, "EAP-AKA")).isInstanceOf(AccessGrant.Granted.class);
        assertThat(book.userData(IMSI)).contains(data);

        Non3gppUserData barred = new Non3gppUserData(Non3gppUserData.IpAccess.NON_3GPP_SUBSCRIPTION_BARRED, null,
                null, null, null, null);
        memory.put(AccessSessionBook.USER_DATA, IMSI, barred, Duration.ofHours(1));
        assertThat(book.authorize(auth("4reauth@realm", "EAP-AKA", true), AP1).toCompletableFuture().join())
                .as("a fast re-authentication of a subscriber barred since").isInstanceOf(AccessGrant.Refused.class);
    }

    @Test
    void aPprBarringAnAdmittedSubscriberDisconnectsItAndDeregistersOnce() {
        login(PERMANENT, AP1, "EAP-AKA");
        hss.calls.clear();
        Non3gppUserData barred = new Non3gppUserData(Non3gppUserData.IpAccess.NON_3GPP_SUBSCRIPTION_BARRED, null,
                null, null, null, null);
        assertThat(book.profileUpdated(IMSI, barred)).isTrue();
        assertThat(das.nasIps).containsExactly("10.0.0.1");
        assertThat(das.requests.get(0).stream().filter(a -> a.is(RadiusDictionary.USER_NAME))
                .map(RadiusAttribute::asString)).containsExactly(PERMANENT);
        assertThat(book.client(IMSI).orElseThrow().status()).isEqualTo(ClientState.Status.ENDED);
        assertThat(book.userData(IMSI)).contains(barred);
        assertThat(hss.calls).containsExactly("SAR USER_DEREGISTRATION " + IMSI);
        assertThat(counters.get("hss_disconnect_count{cause=\"ppr\"}").sum()).isEqualTo(1);

        book.ended(IMSI, AP1.nasIp(), "accounting Stop");
        assertThat(hss.calls).as("the AP's Stop after the Disconnect deregisters no more").hasSize(1);
        assertThat(book.authorize(auth("4reauth@realm", "EAP-AKA", true), AP1).toCompletableFuture().join())
                .isInstanceOf(AccessGrant.Refused.class);
    }

    @Test
    void aSessionPastItsTimeoutOrItsRowsLifetimeWithoutAStopIsDeregistered() {
        Duration grace = Duration.ofMinutes(5);
        settings = new AccessSessionBook.Settings(Duration.ofHours(24), 3600, 300);
        login(PERMANENT, AP1, "EAP-AKA");
        hss.calls.clear();
        now.addAndGet(3600_000 + grace.toMillis());
        assertThat(book.endSilentSessions(grace)).as("at Session-Timeout + grace: the AP may still send its Stop")
                .isZero();
        now.addAndGet(1);
        assertThat(book.endSilentSessions(grace)).isEqualTo(1);
        assertThat(hss.calls).containsExactly("SAR USER_DEREGISTRATION " + IMSI);
        assertThat(book.client(IMSI).orElseThrow().status()).isEqualTo(ClientState.Status.ENDED);
        assertThat(book.endSilentSessions(grace)).as("once").isZero();

        settings = new AccessSessionBook.Settings(Duration.ofHours(1), 0, 300);
        login(PERMANENT, AP1, "EAP-AKA");
        hss.calls.clear();
        now.addAndGet(Duration.ofMinutes(30).toMillis());
        assertThat(book.endSilentSessions(grace)).as("no Session-Timeout, row far from expiry").isZero();
        now.addAndGet(Duration.ofMinutes(26).toMillis());
        assertThat(book.endSilentSessions(grace)).as("row within the grace of its lifetime").isEqualTo(1);
        assertThat(hss.calls).containsExactly("SAR USER_DEREGISTRATION " + IMSI);
    }

    @Test
    void aPprThatStillAllowsAccessIsStoredAndKeepsTheSession() {
        login(PERMANENT, AP1, "EAP-AKA");
        hss.calls.clear();
        Non3gppUserData data = new Non3gppUserData(null, null, null, new Non3gppUserData.Ambr(1, 2), null, null);
        assertThat(book.profileUpdated(IMSI, data)).isTrue();
        assertThat(book.userData(IMSI)).contains(data);
        assertThat(das.nasIps).isEmpty();
        assertThat(hss.calls).isEmpty();
        assertThat(book.client(IMSI).orElseThrow().status()).isEqualTo(ClientState.Status.ACCEPTED);

        assertThat(book.profileUpdated("001019999999999", data)).as("no client: user unknown").isFalse();
    }

    @Test
    void aNewerAcceptSupersedesTheOlderClassAfterAGracePeriod() {
        String first = token(login(PERMANENT, AP1, "EAP-AKA"));
        store.calls.clear();
        String second = token(login(PERMANENT, AP1, "EAP-AKA"));
        assertThat(second).isNotEqualTo(first);
        // The first authorization's expiry moves; its value is neither read nor written again.
        assertThat(store.calls(AccessSessionBook.AUTHORIZATIONS, "get")).isZero();
        assertThat(store.calls(AccessSessionBook.AUTHORIZATIONS, "put")).as("the second's own").isEqualTo(1);
        now.addAndGet(AccessSessionBook.SUPERSEDED_TOKEN_GRACE.toMillis() - 1);
        assertThat(book.authorization(first)).as("within its grace").isPresent();
        now.addAndGet(2);
        memory.sweepAll();
        assertThat(book.authorization(first)).isEmpty();
        assertThat(book.authorization(second)).isPresent();
        assertThat(memory.size(AccessSessionBook.AUTHORIZATIONS)).isEqualTo(1);
    }

    @Test
    void oneRowPerSubscriberFirstSeenAtItsFirstLoginFoundByIdentityOrImsi() {
        login(PERMANENT, AP1, "EAP-AKA");
        long firstSeen = book.client(PERMANENT).orElseThrow().firstSeenMillis();
        now.addAndGet(60_000);
        login(PSEUDONYM, AP1, "EAP-AKA");
        assertThat(book.client(PERMANENT)).isEmpty();
        ClientState c = book.client(PSEUDONYM).orElseThrow();
        assertThat(c.firstSeenMillis()).isEqualTo(firstSeen);
        assertThat(c.acceptedAtMillis()).isEqualTo(now.get());
        assertThat(book.client(IMSI).orElseThrow().identity()).isEqualTo(PSEUDONYM);
        assertThat(book.clients()).hasSize(1);
        assertThat(book.activeClientCount()).isEqualTo(1);
    }

    @Test
    void aChargeableUserIdentityGoesOnlyToAnApThatAskedAndIsTheSameAtEveryLoginAndOnEveryNode() {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 7);
        settings = new AccessSessionBook.Settings(Duration.ofHours(1), 3600, 300,
                new ChargeableUserIdentities("k2", key));
        NasContext asks = new NasContext("10.0.0.1", "ap-1", "AA-BB-CC-DD-EE-FF:hotspot", "11-22-33-44-55-66",
                "REALM:hotspot.example.net", "[1] civic of the access network: DE A3=Berlin", true);

        AccessGrant.Granted notAsked = (AccessGrant.Granted) login(PERMANENT, AP1, "EAP-AKA");
        assertThat(notAsked.chargeableUserIdentity()).isNull();

        String first = ((AccessGrant.Granted) login(PERMANENT, asks, "EAP-AKA")).chargeableUserIdentity();
        assertThat(first).startsWith("k2.").hasSize(3 + 32).doesNotContain(IMSI);
        now.addAndGet(60_000);
        assertThat(((AccessGrant.Granted) login(PSEUDONYM, asks, "EAP-AKA")).chargeableUserIdentity())
                .isEqualTo(first);
        // Another node: its own book over its own store, the same key.
        AccessSessionBook otherNode = new AccessSessionBook(new InMemoryStateStore(1000, now::get), () -> settings,
                now::get, () -> null, () -> null, () -> null,
                new AccessSessionBook.RegistrationCounters(name -> new LongAdder()));
        otherNode.authenticating(PERMANENT, asks, "EAP-AKA");
        assertThat(((AccessGrant.Granted) otherNode.authorize(auth(PERMANENT, "EAP-AKA", false), asks)
                .toCompletableFuture().join()).chargeableUserIdentity()).isEqualTo(first);

        ClientState c = book.client(first).orElseThrow();
        assertThat(c.imsi()).isEqualTo(IMSI);
        assertThat(c.identity()).isEqualTo(PSEUDONYM);
        assertThat(c.chargeableUserIdentity()).isEqualTo(first);
        assertThat(c.operatorName()).isEqualTo("REALM:hotspot.example.net");
        assertThat(c.location()).contains("Berlin");

        settings = new AccessSessionBook.Settings(Duration.ofHours(1), 3600, 300,
                new ChargeableUserIdentities("k3", new byte[32]));
        assertThat(((AccessGrant.Granted) login(PERMANENT, asks, "EAP-AKA")).chargeableUserIdentity())
                .startsWith("k3.").isNotEqualTo(first);
    }

    @Test
    void anAcceptedFullAuthenticationRegistersAtTheHssAFastReauthenticationDoesNot() {
        login(PERMANENT, AP1, "EAP-AKA'");
        assertThat(hss.calls).containsExactly("SAR REGISTRATION " + IMSI + " EAP-AKA'");
        assertThat(counter("register", "ok")).isEqualTo(1);

        book.authorize(auth("4reauth@realm", "EAP-AKA'", true), AP1).toCompletableFuture().join();
        assertThat(hss.calls).hasSize(1);

        hss.failure = new IllegalStateException("no route to the HSS");
        assertThat(login(PERMANENT, AP1, "EAP-AKA")).as("a failed SAR does not cost the phone its access")
                .isInstanceOf(AccessGrant.Granted.class);
        assertThat(counter("register", "failed")).isEqualTo(1);
    }

    @Test
    void theStopOfTheAdmittedSessionEndsTheRowAndDeregistersAtTheHss() {
        login(PERMANENT, AP1, "EAP-AKA");
        hss.calls.clear();

        book.ended(IMSI, AP2.nasIp(), "accounting Stop");
        assertThat(hss.calls).as("a Stop from an AP the phone is not admitted at").isEmpty();

        book.ended(IMSI, AP1.nasIp(), "accounting Stop");
        assertThat(hss.calls).containsExactly("SAR USER_DEREGISTRATION " + IMSI);
        assertThat(counter("deregister", "ok")).isEqualTo(1);
        assertThat(book.client(IMSI).orElseThrow().status()).isEqualTo(ClientState.Status.ENDED);
        assertThat(book.activeClientCount()).isZero();

        book.ended(IMSI, AP1.nasIp(), "accounting Stop");
        assertThat(hss.calls).as("a repeated Stop deregisters once").hasSize(1);
    }

    @Test
    void aPhoneThatMovedOnIsNotDeregisteredByTheOldApsStop() {
        login(PERMANENT, AP1, "EAP-AKA");
        login(PSEUDONYM, AP2, "EAP-AKA");
        hss.calls.clear();
        book.ended(IMSI, AP1.nasIp(), "accounting Stop");
        assertThat(hss.calls).isEmpty();
        assertThat(book.client(IMSI).orElseThrow().status()).isEqualTo(ClientState.Status.ACCEPTED);
    }

    @Test
    void disconnectFindsTheSubscriberThroughTheImsiIndexWithoutScanningTheClientList() {
        for (int i = 0; i < 50; i++) {
            book.authenticating("0" + (IMSI.substring(0, 10) + (10000 + i)) + "@realm", AP2, "EAP-AKA");
        }
        login(PSEUDONYM, AP1, "EAP-AKA");

        DisconnectOutcome out = book.disconnect(IMSI, "test").toCompletableFuture().join();

        assertThat(store.snapshots).as("whole-map reads").isEmpty();
        assertThat(out.acknowledged()).isTrue();
        assertThat(out.identity()).isEqualTo(PSEUDONYM);
        assertThat(das.nasIps).containsExactly("10.0.0.1");
        List<RadiusAttribute> attrs = das.requests.get(0);
        assertThat(attrs.stream().filter(a -> a.is(RadiusDictionary.USER_NAME)).map(RadiusAttribute::asString))
                .containsExactly(PSEUDONYM);
        assertThat(attrs.stream().filter(a -> a.is(RadiusDictionary.CALLING_STATION_ID))
                .map(RadiusAttribute::asString)).containsExactly("11-22-33-44-55-66");

        assertThat(book.disconnect("001019999999999", "test").toCompletableFuture().join().outcome())
                .isEqualTo("NO_CLIENT");
        assertThat(das.nasIps).hasSize(1);
    }

    @Test
    void anRtrForASubscriberWithNoRowAndNoRegistrationIsUnknown() {
        assertThat(book.terminated(IMSI, "PERMANENT_TERMINATION")).isFalse();
        assertThat(book.terminated("001019999999999", "PERMANENT_TERMINATION")).isFalse();
        assertThat(das.nasIps).isEmpty();
        assertThat(counters.get("hss_disconnect_count{cause=\"rtr\"}").sum()).isZero();
    }

    @Test
    void anRtrDisconnectsOnlyAnAdmittedSubscriber() {
        book.authenticating(PERMANENT, AP1, "EAP-AKA");
        book.rejected(PERMANENT, AP1, "wrong RES");
        assertThat(book.terminated(IMSI, "PERMANENT_TERMINATION"))
                .as("a rejected attempt is neither a session nor a registration").isFalse();
        assertThat(das.nasIps).isEmpty();

        login(PERMANENT, AP1, "EAP-AKA");
        hss.calls.clear();
        assertThat(book.terminated(IMSI, "PERMANENT_TERMINATION")).isTrue();
        assertThat(das.nasIps).containsExactly("10.0.0.1");
        assertThat(hss.calls).as("the HSS deregistered it itself: no SAR after an RTR").isEmpty();
        assertThat(store.snapshots).isEmpty();
        assertThat(book.client(IMSI).orElseThrow().status()).isEqualTo(ClientState.Status.ENDED);
        assertThat(counters.get("hss_disconnect_count{cause=\"rtr\"}").sum()).isEqualTo(1);
        book.ended(IMSI, AP1.nasIp(), "accounting Stop");
        assertThat(hss.calls).as("nor at the AP's Stop that follows (NEW_SERVER_ASSIGNED: it would deregister the "
                + "new server)").isEmpty();
    }

    @Test
    void withoutARadiusServerADisconnectSaysSo() {
        AccessSessionBook noDas = new AccessSessionBook(store, () -> settings, now::get, () -> null, () -> null,
                () -> null, new AccessSessionBook.RegistrationCounters(name -> new LongAdder()));
        noDas.authenticating(PERMANENT, AP1, "EAP-AKA");
        noDas.authorize(auth(PERMANENT, "EAP-AKA", false), AP1).toCompletableFuture().join();
        assertThat(noDas.disconnect(PERMANENT, "test").toCompletableFuture().join().outcome()).isEqualTo("NO_DAS");
    }

    /** A home-routing service answering with a fixed decision and recording what it is told. */
    static final class RecordingPath implements AccessPath {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile PathDecision decision = new PathDecision.HomeRouted("internet", "10.45.0.2", "127.0.0.4");
        volatile Non3gppUserData userData;

        @Override
        public CompletionStage<PathDecision> open(EapAuthentication authentication, NasContext nas) {
            calls.add("open " + authentication.imsi());
            return CompletableFuture.completedFuture(decision);
        }

        @Override
        public CompletionStage<PathDecision> open(EapAuthentication authentication, NasContext nas,
                                                  Non3gppUserData data) {
            userData = data;
            return open(authentication, nas);
        }

        @Override
        public void close(String imsi, String reason) {
            calls.add("close " + imsi);
        }
    }

    @Test
    void aHomeRoutedLoginIsOpenedBeforeTheAcceptAndClosedByTheStop() {
        RecordingPath path = new RecordingPath();
        book.paths(() -> path);
        assertThat(login(PERMANENT, AP1, "EAP-AKA")).isInstanceOf(AccessGrant.Granted.class);
        assertThat(path.calls).containsExactly("open " + IMSI);
        book.ended(IMSI, AP1.nasIp(), "User-Request");
        assertThat(path.calls).containsExactly("open " + IMSI, "close " + IMSI);
    }

    @Test
    void thePathIsGivenTheApnConfigurationTheHssSentAtRegistration() {
        RecordingPath path = new RecordingPath();
        book.paths(() -> path);
        hss.userData = new Non3gppUserData(null, null, null, null, 2L, List.of(
                new Non3gppUserData.ApnConfiguration(1, "ims", Non3gppUserData.PdnType.IPV4V6, null),
                new Non3gppUserData.ApnConfiguration(2, "internet.operator", Non3gppUserData.PdnType.IPV4, null)));
        assertThat(login(PERMANENT, AP1, "EAP-AKA")).isInstanceOf(AccessGrant.Granted.class);
        assertThat(path.userData).isEqualTo(hss.userData);
        assertThat(path.userData.defaultApn().orElseThrow().serviceSelection()).isEqualTo("internet.operator");
    }

    @Test
    void aRefusedPathRefusesTheLoginAndLocalBreakoutGrantsIt() {
        RecordingPath path = new RecordingPath();
        book.paths(() -> path);
        path.decision = new AccessPath.PathDecision.Refused("PGW down");
        AccessGrant g = login(PERMANENT, AP1, "EAP-AKA");
        assertThat(g).isInstanceOf(AccessGrant.Refused.class);
        assertThat(((AccessGrant.Refused) g).reason()).contains("PGW down");
        assertThat(book.client(PERMANENT).orElseThrow().status()).isEqualTo(ClientState.Status.REJECTED);
        // The HSS registered the subscriber before the path was asked; the refusal takes the registration back.
        assertThat(hss.calls).containsExactly("SAR REGISTRATION " + IMSI + " EAP-AKA", "SAR USER_DEREGISTRATION " + IMSI);
        path.decision = new AccessPath.PathDecision.LocalBreakout("not home-routed");
        assertThat(login(PERMANENT, AP1, "EAP-AKA")).isInstanceOf(AccessGrant.Granted.class);
    }

    @Test
    void anAcknowledgedDisconnectClosesThePath() {
        RecordingPath path = new RecordingPath();
        book.paths(() -> path);
        login(PERMANENT, AP1, "EAP-AKA");
        book.disconnect(IMSI, "operator").toCompletableFuture().join();
        assertThat(path.calls).containsExactly("open " + IMSI, "close " + IMSI);
    }
}
