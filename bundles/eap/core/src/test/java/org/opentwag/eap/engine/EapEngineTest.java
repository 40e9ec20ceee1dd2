package org.opentwag.eap.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.opentwag.api.charging.ChargingControl;
import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.eap.EapMethod;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.api.eap.EapStep;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.state.AuthorizedSession;
import org.opentwag.api.state.ClientState;
import org.opentwag.session.access.AccessSessionBook;
import org.opentwag.state.memory.InMemoryStateStore;

class EapEngineTest {

    private static final String AKA_ID = "0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org";
    private static final String AKA_PRIME_ID = "6001010000000001@wlan.mnc001.mcc001.3gppnetwork.org";
    private static final NasContext NAS = new NasContext("10.0.0.1", "ap1", "AA-BB-CC-DD-EE-FF:ONS", "11-22-33-44-55-66");

    /** A one-round method: challenge "ping", succeed on the answer "pong"; its only state is in the conversation. */
    static final class PingMethod implements EapMethod {
        private final int type;
        private final char prefix;

        PingMethod(int type, char prefix) {
            this.type = type;
            this.prefix = prefix;
        }

        @Override
        public int type() {
            return type;
        }

        @Override
        public String name() {
            return "PING-" + type;
        }

        @Override
        public boolean accepts(String identity) {
            return identity.charAt(0) == prefix;
        }

        @Override
        public CompletionStage<EapStep> start(EapConversation c) {
            c.data().put("sent", "ping".getBytes(StandardCharsets.US_ASCII));
            return CompletableFuture.completedFuture(new EapStep.Continue(
                    EapPacket.request(c.nextIdentifier(), type, "ping".getBytes(StandardCharsets.US_ASCII)).encode()));
        }

        @Override
        public CompletionStage<EapStep> process(EapConversation c, byte[] response) {
            EapPacket p = EapPacket.decode(response);
            if (c.data().containsKey("sent") && new String(p.typeData(), StandardCharsets.US_ASCII).equals("pong")) {
                return CompletableFuture.completedFuture(new EapStep.Success(new EapAuthentication(
                        "001010000000001", c.identity(), name(), false, new byte[64], new byte[64], new byte[]{1})));
            }
            return CompletableFuture.completedFuture(new EapStep.Failure("wrong answer"));
        }
    }

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InMemoryStateStore store = new InMemoryStateStore(1000, now::get);
    private final EapMethodRegistry registry = new EapMethodRegistry();
    private final AtomicReference<ChargingControl> charging = new AtomicReference<>();
    private final List<String> timed = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The real access-session book: the engine's grants and the client list it feeds are part of what is shown. */
    private final AccessSessionBook book = new AccessSessionBook(store,
            () -> new AccessSessionBook.Settings(Duration.ofHours(1), 0, 180), now::get, charging::get, () -> null,
            () -> null, new AccessSessionBook.RegistrationCounters(name -> new java.util.concurrent.atomic.LongAdder()));
    private final EapEngine engine = new EapEngine(registry, store,
            new EapEngine.Settings(Duration.ofSeconds(30)), now::get, () -> book,
            (method, accepted, millis) -> timed.add(method + " " + (accepted ? "accept" : "reject") + " " + millis));

    EapEngineTest() {
        registry.add(new PingMethod(23, '0'));
        registry.add(new PingMethod(50, '6'));
        registry.preference(List.of(50, 23));
    }

    private EapReply send(byte[] eap, byte[] state) {
        return engine.handle(new EapRequest(eap, state, "user", NAS)).toCompletableFuture().join();
    }

    private static byte[] identity(int id, String identity) {
        return new EapPacket(EapPacket.RESPONSE, id, EapPacket.TYPE_IDENTITY,
                identity.getBytes(StandardCharsets.UTF_8)).encode();
    }

    private static byte[] response(int id, int type, String data) {
        return new EapPacket(EapPacket.RESPONSE, id, type, data.getBytes(StandardCharsets.US_ASCII)).encode();
    }

    @Test
    void identityPicksTheMethodThatAcceptsItAndTheConversationSucceeds() {
        EapReply first = send(identity(7, AKA_ID), null);
        assertThat(first).isInstanceOf(EapReply.Challenge.class);
        EapReply.Challenge ch = (EapReply.Challenge) first;
        EapPacket req = EapPacket.decode(ch.eapMessage());
        assertThat(req.type()).isEqualTo(23);
        assertThat(req.identifier()).isEqualTo(8);

        EapReply done = send(response(8, 23, "pong"), ch.state());
        assertThat(done).isInstanceOf(EapReply.Accept.class);
        EapPacket success = EapPacket.decode(((EapReply.Accept) done).eapMessage());
        assertThat(success.code()).isEqualTo(EapPacket.SUCCESS);
        assertThat(success.identifier()).isEqualTo(8);
        assertThat(store.size(EapEngine.CONVERSATIONS)).isZero();
        ClientState client = book.client(AKA_ID).orElse(null);
        assertThat(client.status()).isEqualTo(ClientState.Status.ACCEPTED);
        assertThat(client.imsi()).isEqualTo("001010000000001");
        assertThat(client.calledStationId()).isEqualTo("AA-BB-CC-DD-EE-FF:ONS");
    }

    @Test
    void aPhoneThatLogsInUnderAnotherIdentityIsStillOneClientFirstSeenAtItsFirstLogin() {
        // Any other identity of the same SIM (here its EAP-AKA' one; in the field mostly a pseudonym or a fast
        // re-authentication identity, which are used once each).
        String pseudonym = AKA_PRIME_ID;
        EapReply.Challenge ch = (EapReply.Challenge) send(identity(1, AKA_ID), null);
        assertThat(send(response(2, 23, "pong"), ch.state())).isInstanceOf(EapReply.Accept.class);
        long firstSeen = book.client(AKA_ID).orElse(null).firstSeenMillis();
        now.addAndGet(60_000);

        EapReply second = send(identity(1, pseudonym), null);
        assertThat(second).as(String.valueOf(second)).isInstanceOf(EapReply.Challenge.class);
        ch = (EapReply.Challenge) second;
        assertThat(send(response(2, 50, "pong"), ch.state())).isInstanceOf(EapReply.Accept.class);

        assertThat(book.client(AKA_ID).orElse(null)).isNull();
        ClientState client = book.client(pseudonym).orElse(null);
        assertThat(client.imsi()).isEqualTo("001010000000001");
        assertThat(client.status()).isEqualTo(ClientState.Status.ACCEPTED);
        assertThat(client.firstSeenMillis()).isEqualTo(firstSeen);
        assertThat(client.acceptedAtMillis()).isEqualTo(now.get());
        assertThat(book.clients().size()).isEqualTo(1);
        // Operators look it up by IMSI as well as by its current identity.
        assertThat(book.client("001010000000001").orElse(null).identity()).isEqualTo(pseudonym);
        assertThat(book.client(pseudonym).orElse(null).imsi()).isEqualTo("001010000000001");
        assertThat(book.client(AKA_ID).orElse(null)).isNull();
    }

    @Test
    void theTimerHearsHowLongAConversationTookFromItsFirstAccessRequest() {
        EapReply.Challenge start = (EapReply.Challenge) send(new byte[0], null);
        now.addAndGet(5);
        EapReply.Challenge ch = (EapReply.Challenge) send(identity(EapPacket.decode(start.eapMessage()).identifier(),
                AKA_ID), start.state());
        assertThat(timed).isEmpty();
        now.addAndGet(32);
        assertThat(send(response(EapPacket.decode(ch.eapMessage()).identifier(), 23, "pong"), ch.state()))
                .isInstanceOf(EapReply.Accept.class);
        assertThat(timed).containsExactly("PING-23 accept 37");

        EapReply.Challenge other = (EapReply.Challenge) send(identity(1, AKA_PRIME_ID), null);
        now.addAndGet(120);
        send(response(EapPacket.decode(other.eapMessage()).identifier(), 50, "wrong"), other.state());
        assertThat(timed).containsExactly("PING-23 accept 37", "PING-50 reject 120");

        // Refused before any method was chosen, and a State nobody knows: the first is timed, the second cannot be.
        send(identity(1, "x" + AKA_ID), null);
        send(response(9, 23, "pong"), "no-such-state".getBytes(StandardCharsets.US_ASCII));
        assertThat(timed).containsExactly("PING-23 accept 37", "PING-50 reject 120", "none reject 0");
    }

    @Test
    void aConversationStartedWhileItsMethodIsBeingUpdatedWaitsForIt() throws Exception {
        PingMethod old = (PingMethod) registry.byType(23).orElseThrow();
        registry.remove(old); // bundle:update: the service goes away ...
        CompletableFuture<EapReply> waiting = engine.handle(new EapRequest(identity(7, AKA_ID), null, "user", NAS))
                .toCompletableFuture();
        Thread.sleep(200);
        assertThat(waiting).isNotDone();
        registry.add(new PingMethod(23, '0')); // ... and the new bundle's comes back
        EapReply first = waiting.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(EapPacket.decode(((EapReply.Challenge) first).eapMessage()).type()).isEqualTo(23);
    }

    @Test
    void aConversationInFlightWhileItsMethodIsBeingUpdatedContinuesWithTheNewOne() throws Exception {
        EapReply.Challenge ch = (EapReply.Challenge) send(identity(7, AKA_ID), null);
        registry.remove(registry.byType(23).orElseThrow());
        CompletableFuture<EapReply> waiting = engine.handle(new EapRequest(response(8, 23, "pong"), ch.state(), "user",
                NAS)).toCompletableFuture();
        Thread.sleep(200);
        assertThat(waiting).isNotDone();
        registry.add(new PingMethod(23, '0'));
        assertThat(waiting.get(5, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(EapReply.Accept.class);
    }

    @Test
    void anIdentityNoMethodTakesIsRejectedAtOnceWhenNothingWasRemoved() {
        long start = System.nanoTime();
        EapReply r = send(identity(3, "1001010000000001@wlan.mnc001.mcc001.3gppnetwork.org"), null); // EAP-SIM
        assertThat(r).isInstanceOf(EapReply.Reject.class);
        assertThat(book.client("1001010000000001@wlan.mnc001.mcc001.3gppnetwork.org").orElse(null)
                .reason()).contains("no EAP method accepts");
        // Well under the 2 s wait for a method being updated (a margin a loaded machine cannot eat).
        assertThat(System.nanoTime() - start).isLessThan(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(
                EapEngine.METHOD_GAP_MILLIS * 3 / 4));
    }

    @Test
    void akaPrimeIdentityGoesToTheAkaPrimeMethod() {
        EapReply.Challenge ch = (EapReply.Challenge) send(identity(1, AKA_PRIME_ID), null);
        assertThat(EapPacket.decode(ch.eapMessage()).type()).isEqualTo(50);
    }

    @Test
    void eapStartIsAnsweredWithAnIdentityRequest() {
        EapReply.Challenge ch = (EapReply.Challenge) send(new byte[0], null);
        EapPacket req = EapPacket.decode(ch.eapMessage());
        assertThat(req.type()).isEqualTo(EapPacket.TYPE_IDENTITY);
        EapReply next = send(identity(req.identifier(), AKA_ID), ch.state());
        assertThat(next).isInstanceOf(EapReply.Challenge.class);
    }

    @Test
    void aWrongAnswerIsRejectedWithEapFailure() {
        EapReply.Challenge ch = (EapReply.Challenge) send(identity(1, AKA_ID), null);
        EapReply r = send(response(2, 23, "nope"), ch.state());
        assertThat(r).isInstanceOf(EapReply.Reject.class);
        assertThat(EapPacket.decode(((EapReply.Reject) r).eapMessage()).code()).isEqualTo(EapPacket.FAILURE);
        assertThat(book.client(AKA_ID).orElse(null).status())
                .isEqualTo(ClientState.Status.REJECTED);
    }

    @Test
    void anUnknownOrExpiredStateIsRejected() {
        EapReply.Challenge ch = (EapReply.Challenge) send(identity(1, AKA_ID), null);
        now.addAndGet(30_001);
        assertThat(send(response(2, 23, "pong"), ch.state())).isInstanceOf(EapReply.Reject.class);
        assertThat(send(response(2, 23, "pong"), "forged".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(EapReply.Reject.class);
    }

    @Test
    void aReplayedResponseAfterSuccessFindsNoConversation() {
        EapReply.Challenge ch = (EapReply.Challenge) send(identity(1, AKA_ID), null);
        assertThat(send(response(2, 23, "pong"), ch.state())).isInstanceOf(EapReply.Accept.class);
        assertThat(send(response(2, 23, "pong"), ch.state())).isInstanceOf(EapReply.Reject.class);
    }

    @Test
    void aResponseWithTheWrongIdentifierIsRejected() {
        EapReply.Challenge ch = (EapReply.Challenge) send(identity(1, AKA_ID), null);
        assertThat(send(response(9, 23, "pong"), ch.state())).isInstanceOf(EapReply.Reject.class);
    }

    @Test
    void legacyNakSwitchesToTheTypeThePeerAsksFor() {
        EapReply.Challenge ch = (EapReply.Challenge) send(identity(1, AKA_ID), null);
        // Only a method that accepts the identity may be chosen: register a third one that takes any identity.
        registry.add(new PingMethod(18, '0'));
        EapReply r = send(new EapPacket(EapPacket.RESPONSE, 2, EapPacket.TYPE_NAK, new byte[]{18}).encode(),
                ch.state());
        EapReply.Challenge next = (EapReply.Challenge) r;
        EapPacket req = EapPacket.decode(next.eapMessage());
        assertThat(req.type()).isEqualTo(18);
        assertThat(send(response(req.identifier(), 18, "pong"), next.state())).isInstanceOf(EapReply.Accept.class);
    }

    @Test
    void aNakOfferingNothingWeServeIsRejected() {
        EapReply.Challenge ch = (EapReply.Challenge) send(identity(1, AKA_ID), null);
        EapReply r = send(new EapPacket(EapPacket.RESPONSE, 2, EapPacket.TYPE_NAK, new byte[]{13}).encode(),
                ch.state());
        assertThat(r).isInstanceOf(EapReply.Reject.class);
    }

    @Test
    void malformedInputIsRejectedNotThrown() {
        assertThat(send(new byte[]{2, 1, 0, 99, 1}, null)).isInstanceOf(EapReply.Reject.class);
        assertThat(send(new byte[]{1, 1, 0, 5, 1}, null)).isInstanceOf(EapReply.Reject.class);
        assertThat(send(identity(1, "0abc@wlan.mnc001.mcc001.3gppnetwork.org"), null))
                .isInstanceOf(EapReply.Reject.class);
        assertThat(send(identity(1, "9unknown@example.org"), null)).isInstanceOf(EapReply.Reject.class);
    }

    @Test
    void aMethodRemovedMidConversationEndsItCleanly() {
        EapReply.Challenge ch = (EapReply.Challenge) send(identity(1, AKA_ID), null);
        registry.remove(registry.byType(23).orElseThrow());
        assertThat(send(response(2, 23, "pong"), ch.state())).isInstanceOf(EapReply.Reject.class);
    }

    @Test
    void aConversationSurvivesTheMethodObjectBeingReplaced() {
        // bundle:update replaces the method object; the state is data in the store, so the new object continues.
        EapReply.Challenge ch = (EapReply.Challenge) send(identity(1, AKA_ID), null);
        registry.remove(registry.byType(23).orElseThrow());
        registry.add(new PingMethod(23, '0'));
        assertThat(send(response(2, 23, "pong"), ch.state())).isInstanceOf(EapReply.Accept.class);
    }

    @Test
    void anAcceptCarriesWhatTheAccessSessionServiceGranted() {
        EapReply.Challenge ch = (EapReply.Challenge) send(identity(1, AKA_ID), null);
        EapReply.Accept ok = (EapReply.Accept) send(response(2, 23, "pong"), ch.state());
        assertThat(ok.grant().classValue()).startsWith(AuthorizedSession.CLASS_PREFIX);
        assertThat(ok.grant().interimIntervalSeconds()).isEqualTo(180);
        assertThat(book.authorization(ok.grant().classValue().substring(AuthorizedSession.CLASS_PREFIX.length()))
                .orElseThrow().identity()).isEqualTo(AKA_ID);
    }

    @Test
    void aSubscriberChargingRefusesGetsEapFailureNotAccess() {
        charging.set(s -> CompletableFuture.completedFuture(ChargingDecision.refused("credit limit reached")));
        EapReply.Challenge ch = (EapReply.Challenge) send(identity(1, AKA_ID), null);
        EapReply r = send(response(2, 23, "pong"), ch.state());
        assertThat(r).isInstanceOf(EapReply.Reject.class);
        assertThat(EapPacket.decode(((EapReply.Reject) r).eapMessage()).code()).isEqualTo(EapPacket.FAILURE);
        assertThat(((EapReply.Reject) r).reason()).contains("credit limit reached");
        ClientState client = book.client(AKA_ID).orElse(null);
        assertThat(client.status()).isEqualTo(ClientState.Status.REJECTED);
    }

    @Test
    void aChargingFailureRejectsRatherThanLettingEveryoneIn() {
        charging.set(s -> CompletableFuture.failedFuture(new IllegalStateException("backend bug")));
        EapReply.Challenge ch = (EapReply.Challenge) send(identity(1, AKA_ID), null);
        EapReply r = send(response(2, 23, "pong"), ch.state());
        assertThat(r).isInstanceOf(EapReply.Reject.class);
        assertThat(((EapReply.Reject) r).reason()).contains("backend bug");
    }
}
