package org.opentwag.eap.aka.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.api.eap.EapStep;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.api.vectors.VectorSourceException;
import org.opentwag.eap.simaka.protocol.SimAkaCrypto;
import org.opentwag.eap.simaka.identity.IdentityStore;
import org.opentwag.eap.simaka.identity.ReauthContext;
import org.opentwag.eap.simaka.protocol.SimAkaMessage;
import org.opentwag.milenage.AkaPrimeKeys;
import org.opentwag.milenage.AuthenticationCentre;
import org.opentwag.loadgen.peer.AkaPeer;
import org.opentwag.milenage.UsimSimulator;
import org.opentwag.state.memory.InMemoryStateStore;

/** The server state machine against a peer played with the independent Milenage USIM of the milenage bundle. */
class AkaAuthenticatorTest {

    static final byte[] KI = HexFormat.of().parseHex("465b5ce8b199b49faa5f0a2ee238a6bc");
    static final byte[] OPC = HexFormat.of().parseHex("cd63cb71954a9f4e48a5994e37a02baf");
    static final String REALM = "wlan.mnc001.mcc001.3gppnetwork.org";
    static final String ID = "0001010000000001@" + REALM;
    static final String ID_PRIME = "6001010000000001@" + REALM;

    /** An HSS in memory: Milenage vectors, CK'/IK' for EAP-AKA' as the HSS derives them, AUTS resynchronisation. */
    final class FakeHss implements AuthVectorSource {
        long sqn = 0x100;
        final List<String> calls = new ArrayList<>();
        final List<String> registered = new ArrayList<>();

        @Override
        public CompletionStage<AuthVector> fetch(VectorRequest r) {
            calls.add("fetch " + r.imsi() + " " + r.scheme());
            sqn += 32;
            byte[] rand = new byte[16];
            rand[0] = (byte) sqn;
            rand[1] = (byte) (sqn >> 8);
            AuthVector v = AuthenticationCentre.vector(KI, OPC, new byte[]{(byte) 0x80, 0}, rand, sqn);
            if (r.scheme() == AuthScheme.EAP_AKA_PRIME) {
                byte[][] prime = AkaPrimeKeys.deriveCkIkPrime(v.ck(), v.ik(), r.accessNetworkName(),
                        Arrays.copyOf(v.autn(), 6));
                v = new AuthVector(v.rand(), v.autn(), v.xres(), prime[0], prime[1]);
            }
            return CompletableFuture.completedFuture(v);
        }

        @Override
        public CompletionStage<AuthVector> resynchronize(VectorRequest r, byte[] rand, byte[] auts) {
            calls.add("resync");
            long sqnMs = AuthenticationCentre.verifyAuts(KI, OPC, rand, auts);
            assertThat(sqnMs).as("AUTS verifies against the RAND of the challenge").isNotNegative();
            sqn = sqnMs;
            return fetch(r);
        }

        @Override
        public CompletionStage<java.util.Optional<org.opentwag.api.vectors.Non3gppUserData>> registered(String imsi,
                                                                                               AuthScheme scheme) {
            registered.add(imsi);
            return CompletableFuture.completedFuture(java.util.Optional.empty());
        }
    }

    final FakeHss hss = new FakeHss();
    final InMemoryStateStore store = new InMemoryStateStore(1000);
    final AkaStatistics stats = new AkaStatistics();

    AkaAuthenticator authenticator(boolean prime, int maxCounter, boolean resultInd) {
        return authenticator(prime, maxCounter, resultInd, () -> hss);
    }

    AkaAuthenticator authenticator(boolean prime, int maxCounter, boolean resultInd,
                                   Supplier<AuthVectorSource> source) {
        return new AkaAuthenticator(new AkaAuthenticator.Settings(prime, "WLAN", true, true, true, maxCounter,
                Duration.ofHours(1), "", resultInd, "swx"), source, () -> store, stats);
    }

    static EapConversation conversation(String identity, int type) {
        EapConversation c = new EapConversation("c1", new NasContext("10.0.0.1", null, null, null), 1, 0);
        c.identity(identity);
        c.methodType(type);
        return c;
    }

    static EapStep join(CompletionStage<EapStep> s) {
        return s.toCompletableFuture().join();
    }

    static SimAkaMessage message(EapStep step) {
        assertThat(step).isInstanceOf(EapStep.Continue.class);
        return SimAkaMessage.decode(EapPacket.decode(((EapStep.Continue) step).eapRequest()).typeData());
    }

    static byte[] request(EapStep step) {
        assertThat(step).as("a further EAP-Request").isInstanceOf(EapStep.Continue.class);
        return ((EapStep.Continue) step).eapRequest();
    }

    /** Runs a conversation to its end, the peer answering every request; bounded in rounds. */
    static EapStep run(AkaAuthenticator aka, EapConversation c, AkaPeer peer) {
        peer.newConversation(c.identity());
        EapStep step = join(aka.start(c));
        for (int round = 0; round < 10 && step instanceof EapStep.Continue cont; round++) {
            step = join(aka.process(c, peer.respond(cont.eapRequest())));
        }
        return step;
    }

    // ---------------------------------------------------------------- full authentication

    @Test
    void eapAkaFullAuthenticationGivesThePeersMskAndHandsOutIdentities() {
        AkaAuthenticator aka = authenticator(false, 16, false);
        AkaPeer peer = new AkaPeer(ID, new UsimSimulator(KI, OPC, 0x20)::authenticate, false, true);
        EapConversation c = conversation(ID, 23);
        EapStep first = join(aka.start(c));
        SimAkaMessage challenge = message(first);
        assertThat(challenge.subtype()).isEqualTo(SimAkaMessage.CHALLENGE);
        // EAP-AKA' is enabled too: the D bit of AT_BIDDING tells the peer (RFC 5448 4).
        assertThat(SimAkaMessage.shortOf(challenge.attribute(SimAkaMessage.AT_BIDDING).orElseThrow())).isEqualTo(0x8000);
        assertThat(challenge.has(SimAkaMessage.AT_KDF)).isFalse();
        // No AKA-Identity round: an empty AT_CHECKCODE (RFC 4187 10.13).
        assertThat(challenge.attribute(SimAkaMessage.AT_CHECKCODE).orElseThrow().value()).hasSize(2);

        EapStep done = join(aka.process(c, peer.respond(request(first))));
        assertThat(done).isInstanceOf(EapStep.Success.class);
        var auth = ((EapStep.Success) done).authentication();
        assertThat(auth.imsi()).isEqualTo("001010000000001");
        assertThat(auth.method()).isEqualTo("EAP-AKA");
        assertThat(auth.fastReauth()).isFalse();
        assertThat(auth.msk()).isEqualTo(peer.msk());
        // Session-Id = 0x17 || RAND || AUTN (RFC 5247).
        byte[] rand = SimAkaMessage.afterReserved(challenge.attribute(SimAkaMessage.AT_RAND).orElseThrow());
        byte[] autn = SimAkaMessage.afterReserved(challenge.attribute(SimAkaMessage.AT_AUTN).orElseThrow());
        assertThat(auth.sessionId()).hasSize(33).startsWith(0x17);
        assertThat(Arrays.copyOfRange(auth.sessionId(), 1, 17)).isEqualTo(rand);
        assertThat(Arrays.copyOfRange(auth.sessionId(), 17, 33)).isEqualTo(autn);
        // The peer learned a pseudonym and a re-auth identity; the server keeps them.
        assertThat(peer.pseudonym()).startsWith("2").endsWith("@" + REALM);
        assertThat(peer.reauthIdentity()).startsWith("4").endsWith("@" + REALM);
        assertThat(store.size(IdentityStore.PSEUDONYM_MAP)).isEqualTo(1);
        assertThat(store.size(IdentityStore.REAUTH_MAP)).isEqualTo(1);
        // The method only fetches vectors: the HSS registration (SAR) is access-session's, on the grant.
        assertThat(hss.registered).isEmpty();
        assertThat(stats.identity.sum()).isEqualTo(1);
        assertThat(stats.challenge.sum()).isEqualTo(1);
        assertThat(stats.success.sum()).isEqualTo(1);
        assertThat(stats.reject.sum()).isZero();
    }

    @Test
    void identitiesOfAnEarlierExchangeAreForgotten() {
        AkaAuthenticator aka = authenticator(false, 16, false);
        AkaPeer peer = new AkaPeer(ID, new UsimSimulator(KI, OPC, 0x20)::authenticate, false, true);
        assertThat(run(aka, conversation(ID, 23), peer)).isInstanceOf(EapStep.Success.class);
        String firstPseudonym = peer.pseudonym();
        String firstReauth = peer.reauthIdentity();
        assertThat(run(aka, conversation(ID, 23), peer)).isInstanceOf(EapStep.Success.class);
        assertThat(peer.reauthIdentity()).isNotEqualTo(firstReauth);
        // One pseudonym and one re-authentication identity per subscriber: the latest.
        assertThat(store.size(IdentityStore.PSEUDONYM_MAP)).isEqualTo(1);
        assertThat(store.size(IdentityStore.REAUTH_MAP)).isEqualTo(1);
        assertThat(store.get(IdentityStore.PSEUDONYM_MAP, user(firstPseudonym), String.class)).isNull();
        assertThat(store.get(IdentityStore.PSEUDONYM_MAP, user(peer.pseudonym()), String.class))
                .isEqualTo("001010000000001");
        // The latest works for a fast re-authentication, which hands out the next ones.
        assertThat(run(aka, conversation(peer.reauthIdentity(), 23), peer)).isInstanceOf(EapStep.Success.class);
        assertThat(store.size(IdentityStore.REAUTH_MAP)).isEqualTo(1);
    }

    @Test
    void aReauthContextStoredAsANamedFieldMapByTheVersionBeforeStillReauthenticates() {
        AkaAuthenticator aka = authenticator(false, 16, false);
        AkaPeer peer = new AkaPeer(ID, new UsimSimulator(KI, OPC, 0x20)::authenticate, false, true);
        assertThat(run(aka, conversation(ID, 23), peer)).isInstanceOf(EapStep.Success.class);
        byte[] stored = store.get(IdentityStore.REAUTH_MAP, peer.reauthIdentity(), byte[].class);
        assertThat(stored).as("one byte array per re-authentication identity").isNotNull();
        ReauthContext ctx = ReauthContext.decode(stored);
        assertThat(ctx.imsi()).isEqualTo("001010000000001");
        assertThat(ctx.methodType()).isEqualTo(23);
        // What an eap-aka bundle before this one put there (a node mid-upgrade, or an entry from before the update).
        HashMap<String, byte[]> legacy = new HashMap<>();
        legacy.put("imsi", ctx.imsi().getBytes(StandardCharsets.US_ASCII));
        legacy.put("type", new byte[]{23});
        legacy.put("k_aut", ctx.kAut());
        legacy.put("k_encr", ctx.kEncr());
        legacy.put("k_re", ctx.kRe());
        legacy.put("counter", new byte[]{0, 0, 0, (byte) ctx.counter()});
        store.put(IdentityStore.REAUTH_MAP, peer.reauthIdentity(), legacy, Duration.ofHours(1));

        EapStep done = run(aka, conversation(peer.reauthIdentity(), 23), peer);

        assertThat(done).isInstanceOf(EapStep.Success.class);
        assertThat(((EapStep.Success) done).authentication().fastReauth()).isTrue();
        assertThat(((EapStep.Success) done).authentication().msk()).isEqualTo(peer.msk());
    }

    private static String user(String identity) {
        int at = identity.indexOf('@');
        return at < 0 ? identity : identity.substring(0, at);
    }

    @Test
    void eapAkaPrimeFullAuthenticationBindsTheNetworkName() {
        AkaAuthenticator akaPrime = authenticator(true, 16, false);
        AkaPeer peer = new AkaPeer(ID_PRIME, new UsimSimulator(KI, OPC, 0x20)::authenticate, true, true);
        EapConversation c = conversation(ID_PRIME, 50);
        EapStep first = join(akaPrime.start(c));
        SimAkaMessage challenge = message(first);
        assertThat(SimAkaMessage.shortOf(challenge.attribute(SimAkaMessage.AT_KDF).orElseThrow())).isEqualTo(1);
        assertThat(new String(SimAkaMessage.lengthPrefixedData(challenge.attribute(SimAkaMessage.AT_KDF_INPUT)
                .orElseThrow()))).isEqualTo("WLAN");
        assertThat(challenge.has(SimAkaMessage.AT_BIDDING)).isFalse();
        assertThat(hss.calls).containsExactly("fetch 001010000000001 EAP_AKA_PRIME");

        EapStep done = join(akaPrime.process(c, peer.respond(request(first))));
        var auth = ((EapStep.Success) done).authentication();
        assertThat(auth.method()).isEqualTo("EAP-AKA'");
        assertThat(auth.msk()).isEqualTo(peer.msk());
        assertThat(auth.sessionId()[0]).isEqualTo((byte) 50);
        assertThat(peer.pseudonym()).startsWith("7");
        assertThat(peer.reauthIdentity()).startsWith("8");
    }

    @Test
    void aPeerSupportingAkaPrimeDetectsBiddingDownAndTheServerFails() {
        AkaAuthenticator aka = authenticator(false, 16, false);
        AkaPeer peer = new AkaPeer(ID, new UsimSimulator(KI, OPC, 0x20)::authenticate, false, true);
        peer.supportsAkaPrime(true);
        EapStep done = run(aka, conversation(ID, 23), peer);
        assertThat(peer.biddingDownDetected()).isTrue();
        assertThat(done).isInstanceOf(EapStep.Failure.class);
        assertThat(((EapStep.Failure) done).reason()).contains("Client-Error");
    }

    // ---------------------------------------------------------------- failures after the challenge

    @Test
    void aWrongResGetsAFailureNotificationThenFailure() {
        AkaAuthenticator aka = authenticator(false, 16, false);
        EapConversation c = conversation(ID, 23);
        EapStep first = join(aka.start(c));
        AkaPeer peer = new AkaPeer(ID, new UsimSimulator(KI, OPC, 0x20)::authenticate, false, true);
        byte[] response = peer.respond(request(first));
        // Flip a RES bit, then sign again as the peer would: the MAC is right, RES is not.
        int resValue = 5 + SimAkaMessage.valueOffset(Arrays.copyOfRange(response, 5, response.length),
                SimAkaMessage.AT_RES) + 2;
        response[resValue] ^= 1;
        int mac = SimAkaCrypto.macOffset(response);
        Arrays.fill(response, mac, mac + 16, (byte) 0);
        org.opentwag.eap.simaka.protocol.SimAkaCrypto.sign(false, peer.kAut(), response, mac, null);

        EapStep notification = join(aka.process(c, response));
        SimAkaMessage m = message(notification);
        assertThat(m.subtype()).isEqualTo(SimAkaMessage.NOTIFICATION);
        assertThat(SimAkaMessage.shortOf(m.attribute(SimAkaMessage.AT_NOTIFICATION).orElseThrow())).isEqualTo(16384);
        EapStep done = join(aka.process(c, peer.respond(request(notification))));
        assertThat(peer.lastNotification()).isEqualTo(16384);
        assertThat(done).isInstanceOf(EapStep.Failure.class);
        assertThat(((EapStep.Failure) done).reason()).contains("RES verification failed");
        assertThat(store.size(IdentityStore.REAUTH_MAP)).isZero();
        assertThat(stats.reject.sum()).isEqualTo(1);
        assertThat(stats.success.sum()).isZero();
    }

    @Test
    void aTamperedMacIsRejected() {
        AkaAuthenticator aka = authenticator(false, 16, false);
        EapConversation c = conversation(ID, 23);
        EapStep first = join(aka.start(c));
        byte[] response = new AkaPeer(ID, new UsimSimulator(KI, OPC, 0x20)::authenticate, false, true).respond(request(first));
        response[response.length - 1] ^= 1;
        EapStep next = join(aka.process(c, response));
        assertThat(message(next).subtype()).isEqualTo(SimAkaMessage.NOTIFICATION);
        assertThat(join(aka.process(c, response))).isInstanceOf(EapStep.Failure.class);
    }

    @Test
    void synchronizationFailureResynchronisesOnceThenSucceeds() {
        AkaAuthenticator aka = authenticator(false, 16, false);
        AkaPeer peer = new AkaPeer(ID, new UsimSimulator(KI, OPC, 0x10000)::authenticate, false, true);
        EapStep done = run(aka, conversation(ID, 23), peer);
        assertThat(hss.calls).containsExactly("fetch 001010000000001 EAP_AKA", "resync",
                "fetch 001010000000001 EAP_AKA");
        assertThat(done).isInstanceOf(EapStep.Success.class);
        assertThat(((EapStep.Success) done).authentication().msk()).isEqualTo(peer.msk());
        assertThat(stats.syncFailure.sum()).isEqualTo(1);
        assertThat(stats.challenge.sum()).isEqualTo(2);
    }

    @Test
    void aSecondSynchronizationFailureEndsTheConversation() {
        // An HSS that ignores AUTS keeps sending stale SQNs.
        AuthVectorSource stale = new AuthVectorSource() {
            @Override
            public CompletionStage<AuthVector> fetch(VectorRequest r) {
                return CompletableFuture.completedFuture(AuthenticationCentre.vector(KI, OPC,
                        new byte[]{(byte) 0x80, 0}, new byte[16], 0x40));
            }

            @Override
            public CompletionStage<AuthVector> resynchronize(VectorRequest r, byte[] rand, byte[] auts) {
                return fetch(r);
            }
        };
        AkaAuthenticator aka = authenticator(false, 16, false, () -> stale);
        EapStep done = run(aka, conversation(ID, 23), new AkaPeer(ID, new UsimSimulator(KI, OPC, 0x10000)::authenticate, false, true));
        assertThat(done).isInstanceOf(EapStep.Failure.class);
        assertThat(((EapStep.Failure) done).reason()).contains("second Synchronization-Failure");
    }

    @Test
    void authenticationRejectFromThePeerFails() {
        AkaAuthenticator aka = authenticator(false, 16, false);
        // A USIM with another key refuses AUTN.
        byte[] otherKi = KI.clone();
        otherKi[0] ^= 1;
        EapStep done = run(aka, conversation(ID, 23), new AkaPeer(ID, new UsimSimulator(otherKi, OPC, 0)::authenticate, false, true));
        assertThat(done).isInstanceOf(EapStep.Failure.class);
        assertThat(((EapStep.Failure) done).reason()).contains("Authentication-Reject");
        assertThat(stats.reject.sum()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- protected result indication

    @Test
    void resultIndicationSendsAProtectedSuccessNotificationFirst() {
        AkaAuthenticator aka = authenticator(false, 16, true);
        AkaPeer peer = new AkaPeer(ID, new UsimSimulator(KI, OPC, 0x20)::authenticate, false, true);
        peer.wantResultIndication(true);
        EapConversation c = conversation(ID, 23);
        EapStep first = join(aka.start(c));
        assertThat(message(first).has(SimAkaMessage.AT_RESULT_IND)).isTrue();
        EapStep notification = join(aka.process(c, peer.respond(request(first))));
        SimAkaMessage m = message(notification);
        assertThat(m.subtype()).isEqualTo(SimAkaMessage.NOTIFICATION);
        assertThat(m.has(SimAkaMessage.AT_MAC)).isTrue();
        EapStep done = join(aka.process(c, peer.respond(request(notification))));
        assertThat(peer.lastNotification()).isEqualTo(32768);
        assertThat(done).isInstanceOf(EapStep.Success.class);
        assertThat(((EapStep.Success) done).authentication().msk()).isEqualTo(peer.msk());
    }

    // ---------------------------------------------------------------- identities

    @Test
    void anUnusableIdentityLeadsToAnyIdReqAndAnAuthenticatedCheckcode() {
        AkaAuthenticator aka = authenticator(false, 16, false);
        AkaPeer peer = new AkaPeer(ID, new UsimSimulator(KI, OPC, 0x20)::authenticate, false, true);
        EapConversation c = conversation("guest@" + REALM, 23);
        peer.newConversation(c.identity());
        EapStep first = join(aka.start(c));
        SimAkaMessage idReq = message(first);
        assertThat(idReq.subtype()).isEqualTo(SimAkaMessage.IDENTITY);
        assertThat(idReq.has(SimAkaMessage.AT_ANY_ID_REQ)).isTrue();
        EapStep second = join(aka.process(c, peer.respond(request(first))));
        SimAkaMessage challenge = message(second);
        assertThat(challenge.subtype()).isEqualTo(SimAkaMessage.CHALLENGE);
        // SHA-1 over the AKA-Identity request and response (the peer checks it and throws otherwise).
        assertThat(SimAkaMessage.afterReserved(challenge.attribute(SimAkaMessage.AT_CHECKCODE).orElseThrow()))
                .hasSize(20);
        EapStep done = join(aka.process(c, peer.respond(request(second))));
        assertThat(done).isInstanceOf(EapStep.Success.class);
        assertThat(((EapStep.Success) done).authentication().eapIdentity()).isEqualTo(ID);
        assertThat(((EapStep.Success) done).authentication().msk()).isEqualTo(peer.msk());
    }

    @Test
    void akaPrimeCheckcodeIsSha256() {
        AkaAuthenticator akaPrime = authenticator(true, 16, false);
        AkaPeer peer = new AkaPeer(ID_PRIME, new UsimSimulator(KI, OPC, 0x20)::authenticate, true, true);
        EapConversation c = conversation("7unknownpseudonym@" + REALM, 50);
        peer.newConversation(c.identity());
        EapStep first = join(akaPrime.start(c));
        assertThat(message(first).has(SimAkaMessage.AT_PERMANENT_ID_REQ)).isTrue();
        EapStep second = join(akaPrime.process(c, peer.respond(request(first))));
        assertThat(SimAkaMessage.afterReserved(message(second).attribute(SimAkaMessage.AT_CHECKCODE).orElseThrow()))
                .hasSize(32);
        assertThat(join(akaPrime.process(c, peer.respond(request(second))))).isInstanceOf(EapStep.Success.class);
    }

    @Test
    void aPseudonymIsRecognisedInTheNextConversation() {
        AkaAuthenticator aka = authenticator(false, 16, false);
        AkaPeer peer = new AkaPeer(ID, new UsimSimulator(KI, OPC, 0x20)::authenticate, false, true);
        assertThat(run(aka, conversation(ID, 23), peer)).isInstanceOf(EapStep.Success.class);
        String pseudonym = peer.pseudonym();

        EapConversation c = conversation(pseudonym, 23);
        peer.newConversation(pseudonym);
        EapStep first = join(aka.start(c));
        assertThat(message(first).subtype()).as("straight to the challenge").isEqualTo(SimAkaMessage.CHALLENGE);
        EapStep done = join(aka.process(c, peer.respond(request(first))));
        var auth = ((EapStep.Success) done).authentication();
        assertThat(auth.imsi()).isEqualTo("001010000000001");
        assertThat(auth.eapIdentity()).isEqualTo(pseudonym);
        assertThat(auth.msk()).isEqualTo(peer.msk());
        assertThat(peer.pseudonym()).isNotEqualTo(pseudonym);
    }

    @Test
    void anUnknownReauthIdentityLeadsToFullauthIdReq() {
        AkaAuthenticator aka = authenticator(false, 16, false);
        AkaPeer peer = new AkaPeer(ID, new UsimSimulator(KI, OPC, 0x20)::authenticate, false, true);
        EapConversation c = conversation("4deadbeef@" + REALM, 23);
        peer.newConversation(c.identity());
        EapStep first = join(aka.start(c));
        assertThat(message(first).has(SimAkaMessage.AT_FULLAUTH_ID_REQ)).isTrue();
        EapStep second = join(aka.process(c, peer.respond(request(first))));
        assertThat(message(second).subtype()).isEqualTo(SimAkaMessage.CHALLENGE);
        assertThat(c.identity()).isEqualTo(ID);
    }

    @Test
    void anAnonymousIdentityIsAskedForThePermanentIdentityOnce() {
        // IMSI privacy (wpa_supplicant's "0anonymous@realm"): the permanent identity is asked for with
        // AT_PERMANENT_ID_REQ; a peer that answers anonymously again has no stronger request left.
        AkaAuthenticator aka = authenticator(false, 16, false);
        EapConversation c = conversation("0anonymous@" + REALM, 23);
        assertThat(aka.accepts(c.identity())).isTrue();
        EapStep first = join(aka.start(c));
        assertThat(message(first).has(SimAkaMessage.AT_PERMANENT_ID_REQ)).isTrue();
        byte[] again = new EapPacket(EapPacket.RESPONSE, EapPacket.decode(((EapStep.Continue) first).eapRequest())
                .identifier(), 23, new SimAkaMessage(SimAkaMessage.IDENTITY, List.of(SimAkaMessage.lengthPrefixed(
                SimAkaMessage.AT_IDENTITY, "0anonymous@" + REALM))).encode()).encode();
        assertThat(join(aka.process(c, again))).isInstanceOf(EapStep.Failure.class);
    }

    @Test
    void identityRoundsAreBounded() {
        AkaAuthenticator aka = authenticator(false, 16, false);
        EapConversation c = conversation("guest@" + REALM, 23);
        EapStep step = join(aka.start(c));
        int rounds = 0;
        while (step instanceof EapStep.Continue cont && rounds++ < 10) {
            byte[] junk = new EapPacket(EapPacket.RESPONSE, EapPacket.decode(cont.eapRequest()).identifier(), 23,
                    new SimAkaMessage(SimAkaMessage.IDENTITY, List.of(SimAkaMessage.lengthPrefixed(SimAkaMessage.AT_IDENTITY,
                            "still-anonymous@" + REALM))).encode()).encode();
            step = join(aka.process(c, junk));
        }
        assertThat(step).isInstanceOf(EapStep.Failure.class);
        assertThat(rounds).isEqualTo(3);
    }

    @Test
    void identitiesOfTheOtherMethodAreNotAccepted() {
        AkaAuthenticator aka = authenticator(false, 16, false);
        AkaAuthenticator akaPrime = authenticator(true, 16, false);
        assertThat(aka.accepts(ID)).isTrue();
        assertThat(aka.accepts(ID_PRIME)).isFalse();
        assertThat(akaPrime.accepts(ID_PRIME)).isTrue();
        assertThat(akaPrime.accepts(ID)).isFalse();
        assertThat(akaPrime.accepts("8abc@" + REALM)).isTrue();
        assertThat(aka.accepts("not an identity")).isFalse();
    }

    // ---------------------------------------------------------------- fast re-authentication

    @Test
    void fastReauthenticationCountsUpAndRotatesTheIdentity() {
        for (boolean prime : new boolean[]{false, true}) {
            AkaAuthenticator m = authenticator(prime, 16, false);
            String id = prime ? ID_PRIME : ID;
            int type = prime ? 50 : 23;
            AkaPeer peer = new AkaPeer(id, new UsimSimulator(KI, OPC, 0x20)::authenticate, prime, true);
            assertThat(run(m, conversation(id, type), peer)).isInstanceOf(EapStep.Success.class);
            byte[] fullMsk = peer.msk();
            for (int counter = 1; counter <= 2; counter++) {
                String reauthId = peer.reauthIdentity();
                EapConversation c = conversation(reauthId, type);
                peer.newConversation(reauthId);
                EapStep first = join(m.start(c));
                SimAkaMessage req = message(first);
                assertThat(req.subtype()).isEqualTo(SimAkaMessage.REAUTHENTICATION);
                assertThat(req.has(SimAkaMessage.AT_IV) && req.has(SimAkaMessage.AT_ENCR_DATA)).isTrue();
                EapStep done = join(m.process(c, peer.respond(request(first))));
                assertThat(done).as("re-auth %d of %s", counter, type).isInstanceOf(EapStep.Success.class);
                var auth = ((EapStep.Success) done).authentication();
                assertThat(peer.lastCounter()).isEqualTo(counter);
                assertThat(auth.fastReauth()).isTrue();
                assertThat(auth.imsi()).isEqualTo("001010000000001");
                assertThat(auth.msk()).isEqualTo(peer.msk()).isNotEqualTo(fullMsk);
                // Session-Id = type || NONCE_S || MAC of the request (RFC 5247).
                byte[] macOfRequest = SimAkaMessage.afterReserved(req.attribute(SimAkaMessage.AT_MAC).orElseThrow());
                assertThat(auth.sessionId()).hasSize(33).startsWith((byte) type);
                assertThat(Arrays.copyOfRange(auth.sessionId(), 17, 33)).isEqualTo(macOfRequest);
                assertThat(peer.reauthIdentity()).isNotEqualTo(reauthId);
            }
        }
        assertThat(hss.calls).hasSize(2);
        assertThat(stats.fastReauth.sum()).isEqualTo(4);
    }

    @Test
    void theCounterLimitForcesAFullAuthentication() {
        AkaAuthenticator aka = authenticator(false, 1, false);
        AkaPeer peer = new AkaPeer(ID, new UsimSimulator(KI, OPC, 0x20)::authenticate, false, true);
        assertThat(run(aka, conversation(ID, 23), peer)).isInstanceOf(EapStep.Success.class);
        assertThat(run(aka, conversation(peer.reauthIdentity(), 23), peer)).isInstanceOf(EapStep.Success.class);
        EapConversation c = conversation(peer.reauthIdentity(), 23);
        peer.newConversation(c.identity());
        EapStep first = join(aka.start(c));
        assertThat(message(first).has(SimAkaMessage.AT_FULLAUTH_ID_REQ)).isTrue();
        EapStep second = join(aka.process(c, peer.respond(request(first))));
        assertThat(message(second).subtype()).isEqualTo(SimAkaMessage.CHALLENGE);
        assertThat(join(aka.process(c, peer.respond(request(second))))).isInstanceOf(EapStep.Success.class);
    }

    @Test
    void counterTooSmallFallsBackToFullAuthentication() {
        AkaAuthenticator aka = authenticator(false, 16, false);
        AkaPeer peer = new AkaPeer(ID, new UsimSimulator(KI, OPC, 0x20)::authenticate, false, true);
        assertThat(run(aka, conversation(ID, 23), peer)).isInstanceOf(EapStep.Success.class);
        peer.reportCounterTooSmall(true);
        EapConversation c = conversation(peer.reauthIdentity(), 23);
        peer.newConversation(c.identity());
        EapStep first = join(aka.start(c));
        EapStep second = join(aka.process(c, peer.respond(request(first))));
        assertThat(message(second).has(SimAkaMessage.AT_FULLAUTH_ID_REQ)).isTrue();
        peer.reportCounterTooSmall(false);
        EapStep third = join(aka.process(c, peer.respond(request(second))));
        assertThat(message(third).subtype()).isEqualTo(SimAkaMessage.CHALLENGE);
        assertThat(join(aka.process(c, peer.respond(request(third))))).isInstanceOf(EapStep.Success.class);
    }

    @Test
    void aReauthIdentityIsUsableOnlyOnce() {
        AkaAuthenticator aka = authenticator(false, 16, false);
        AkaPeer peer = new AkaPeer(ID, new UsimSimulator(KI, OPC, 0x20)::authenticate, false, true);
        run(aka, conversation(ID, 23), peer);
        String reauthId = peer.reauthIdentity();
        assertThat(run(aka, conversation(reauthId, 23), peer)).isInstanceOf(EapStep.Success.class);
        EapStep replay = join(aka.start(conversation(reauthId, 23)));
        assertThat(message(replay).has(SimAkaMessage.AT_FULLAUTH_ID_REQ)).isTrue();
    }

    // ---------------------------------------------------------------- the vector source and bad input

    @Test
    void aMissingVectorSourceFailsWithItsName() {
        AkaAuthenticator aka = authenticator(false, 16, false, () -> null);
        long start = System.nanoTime();
        EapStep done = join(aka.start(conversation(ID, 23)));
        assertThat(((EapStep.Failure) done).reason()).contains("no vector source 'swx'");
        assertThat(System.nanoTime() - start).as("after waiting for it")
                .isGreaterThanOrEqualTo(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(
                        AkaAuthenticator.SOURCE_WAIT_MILLIS));
    }

    @Test
    void aVectorSourceThatComesBackDuringItsUpdateServesTheWaitingConversation() {
        // bundle:update of swx-client: the service is gone for a moment, then registered again.
        long back = System.currentTimeMillis() + 300;
        AkaAuthenticator aka = authenticator(false, 16, false, () -> System.currentTimeMillis() >= back ? hss : null);
        EapStep step = join(aka.start(conversation(ID, 23)));
        assertThat(message(step).subtype()).isEqualTo(SimAkaMessage.CHALLENGE);
        assertThat(hss.calls).containsExactly("fetch 001010000000001 EAP_AKA");
    }

    @Test
    void aVectorSourceErrorFailsTheConversation() {
        AuthVectorSource unknown = new AuthVectorSource() {
            @Override
            public CompletionStage<AuthVector> fetch(VectorRequest r) {
                return CompletableFuture.failedFuture(new VectorSourceException(
                        VectorSourceException.Reason.values()[0], "user unknown"));
            }

            @Override
            public CompletionStage<AuthVector> resynchronize(VectorRequest r, byte[] rand, byte[] auts) {
                return fetch(r);
            }
        };
        EapStep done = join(authenticator(false, 16, false, () -> unknown).start(conversation(ID, 23)));
        assertThat(((EapStep.Failure) done).reason()).contains("user unknown");
        assertThat(stats.reject.sum()).isEqualTo(1);
    }

    @Test
    void malformedUnknownAndUnexpectedResponsesFailCleanly() {
        AkaAuthenticator aka = authenticator(false, 16, false);
        List<byte[]> bad = List.of(
                new byte[]{2, 1, 0, 8, 23, 1, 0, 0},                                // shorter than its Length
                new byte[]{2, 1, 0, 9, 23, 1, 0, 0, 3},                             // truncated attribute header
                new byte[]{2, 1, 0, 12, 23, 1, 0, 0, 3, 0, 0, 0},                   // attribute Length 0
                new byte[]{2, 1, 0, 12, 23, 1, 0, 0, 99, 1, 0, 0},                  // unknown non-skippable
                new byte[]{2, 1, 0, 8, 23, 77, 0, 0},                               // unknown subtype
                new byte[]{2, 1, 0, 12, 23, 14, 0, 0, 22, 1, 0, 0},                 // Client-Error
                new byte[]{2, 1, 0, 16, 23, 1, 0, 0, 3, 2, 0, 12, 1, 2, 3, 4});     // RES length in bits invalid
        for (byte[] response : bad) {
            EapConversation c = conversation(ID, 23);
            join(aka.start(c));
            EapStep step = join(aka.process(c, response));
            if (step instanceof EapStep.Continue cont) {
                // A decodable but failing challenge response gets the failure notification first.
                assertThat(message(step).subtype()).isEqualTo(SimAkaMessage.NOTIFICATION);
                step = join(aka.process(c, response));
            }
            assertThat(step).as(HexFormat.of().formatHex(response)).isInstanceOf(EapStep.Failure.class);
        }
        // A re-authentication response with no re-authentication going on.
        EapConversation c = conversation(ID, 23);
        join(aka.start(c));
        assertThat(join(aka.process(c, new byte[]{2, 1, 0, 8, 23, 13, 0, 0}))).isInstanceOf(EapStep.Failure.class);
    }
}
