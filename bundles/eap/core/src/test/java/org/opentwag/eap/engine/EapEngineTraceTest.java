package org.opentwag.eap.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.trace.AuthAttempt;
import org.opentwag.api.trace.RejectReason;
import org.opentwag.api.trace.TraceStep;
import org.opentwag.session.access.AccessSessionBook;
import org.opentwag.state.memory.InMemoryStateStore;
import org.opentwag.trace.internal.TraceBook;

/** Every Access-Reject the engine makes carries a typed reason, and each attempt is traced step by step. */
class EapEngineTraceTest {

    private static final String ID = "0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org";
    private static final NasContext NAS = new NasContext("10.0.0.1", "ap1", "AA-BB-CC-DD-EE-FF:ONS", "11-22");

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InMemoryStateStore store = new InMemoryStateStore(1000, now::get);
    private final EapMethodRegistry registry = new EapMethodRegistry();
    private final TraceBook trace = new TraceBook(100, 10, 100, 1 << 20);
    private final AccessSessionBook book = new AccessSessionBook(store,
            () -> new AccessSessionBook.Settings(Duration.ofHours(1), 0, 180), now::get, () -> null, () -> null,
            () -> null, new AccessSessionBook.RegistrationCounters(name -> new java.util.concurrent.atomic.LongAdder()));
    private final EapEngine engine = new EapEngine(registry, store, new EapEngine.Settings(Duration.ofSeconds(30)),
            now::get, () -> book, (m, a, t) -> { }, () -> trace);

    EapEngineTraceTest() {
        registry.add(new EapEngineTest.PingMethod(23, '0'));
    }

    private EapReply send(byte[] eap, byte[] state) {
        return engine.handle(new EapRequest(eap, state, "user", NAS)).toCompletableFuture().join();
    }

    private static byte[] identity(String identity) {
        return new EapPacket(EapPacket.RESPONSE, 7, EapPacket.TYPE_IDENTITY,
                identity.getBytes(StandardCharsets.UTF_8)).encode();
    }

    private static byte[] answer(String data) {
        return new EapPacket(EapPacket.RESPONSE, 8, 23, data.getBytes(StandardCharsets.US_ASCII)).encode();
    }

    @Test
    void rejectsCarryTheirReason() {
        EapReply malformed = send(identity("0abc@realm"), null);
        assertThat(((EapReply.Reject) malformed).rejection().reason()).isEqualTo(RejectReason.IDENTITY_MALFORMED);
        EapReply noMethod = send(identity("9someone@realm"), null);
        assertThat(((EapReply.Reject) noMethod).rejection().reason()).isEqualTo(RejectReason.METHOD_NOT_ALLOWED);
        EapReply expired = send(answer("pong"), "no-such-state".getBytes(StandardCharsets.US_ASCII));
        assertThat(((EapReply.Reject) expired).rejection().reason()).isEqualTo(RejectReason.PEER_ERROR);
        EapReply garbage = send(new byte[]{2, 1}, null);
        assertThat(((EapReply.Reject) garbage).rejection().reason()).isEqualTo(RejectReason.PEER_ERROR);
    }

    @Test
    void anAcceptedAndARejectedAttemptAreTracedStepByStep() {
        EapReply.Challenge ch = (EapReply.Challenge) send(identity(ID), null);
        assertThat(send(answer("wrong"), ch.state())).isInstanceOf(EapReply.Reject.class);
        now.addAndGet(1000);
        ch = (EapReply.Challenge) send(identity(ID), null);
        assertThat(send(answer("pong"), ch.state())).isInstanceOf(EapReply.Accept.class);

        List<AuthAttempt> attempts = trace.attempts("001010000000001");
        assertThat(attempts).extracting(AuthAttempt::outcome)
                .containsExactly(AuthAttempt.Outcome.ACCEPTED, AuthAttempt.Outcome.REJECTED);
        assertThat(attempts.get(1).rejection().reason()).isEqualTo(RejectReason.PEER_ERROR);
        assertThat(attempts.get(0).steps()).extracting(TraceStep::kind).containsExactly(TraceStep.Kind.IDENTITY,
                TraceStep.Kind.METHOD, TraceStep.Kind.CHALLENGE_SENT, TraceStep.Kind.ACCEPT);
        assertThat(attempts.get(1).steps()).extracting(TraceStep::kind).endsWith(TraceStep.Kind.REJECT);
        assertThat(attempts.get(0).nasIp()).isEqualTo("10.0.0.1");
        assertThat(trace.attempts(ID)).hasSize(2);
        assertThat(trace.accessPoints()).singleElement()
                .satisfies(ap -> assertThat(ap.accepts() + "/" + ap.rejects()).isEqualTo("1/1"));
    }
}
