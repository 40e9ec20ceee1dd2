package org.opentwag.eap.aka.method;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.eap.simaka.protocol.SimAkaCrypto.Keys;

/**
 * The conversation-state reads and writes of one full EAP-AKA authentication with a permanent identity, in
 * AkaAuthenticator's order: identity packet (five writes, five reads), challenge response (four reads, the
 * conversation object kept between them as the in-memory store keeps it). In this package because AkaState is the
 * eap-aka bundle's own. Allocation per op ({@code -prof gc}) is the figure that holds on a shared machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AkaStateBenchmark {

    private static final String IDENTITY = "0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org";
    private final Keys keys = new Keys(new byte[16], new byte[16], new byte[20], new byte[64], new byte[64]);

    @Benchmark
    public void fullAuthentication(Blackhole bh) {
        EapConversation conv = new EapConversation("c1", null, 1, 0);
        conv.identity(IDENTITY);
        AkaState.initial().saveTo(conv);
        AkaState.of(conv).withImsi("001010000000001").saveTo(conv);
        bh.consume(AkaState.of(conv).keyIdentity());
        AkaState.of(conv).withChallenge(new AkaState.Challenge(new byte[16], new byte[16], new byte[8]), keys)
                .saveTo(conv);
        AkaState.of(conv).withAnnounced("2ps0123456789abcdef0123", "4re0123456789abcdef0123@wlan.example.org")
                .saveTo(conv);
        bh.consume(AkaState.of(conv).identityMessages());
        AkaState.of(conv).withPhase(AkaPhase.CHALLENGE).saveTo(conv);
        bh.consume(AkaState.of(conv).phase());
        bh.consume(AkaState.of(conv).keys());
        bh.consume(AkaState.of(conv).identityMessages());
        bh.consume(AkaState.of(conv).challenge());
    }
}
