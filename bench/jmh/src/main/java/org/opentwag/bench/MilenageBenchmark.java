package org.opentwag.bench;

import java.util.HexFormat;
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
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.milenage.AuthenticationCentre;
import org.opentwag.milenage.Milenage;

/** Milenage on TS 35.208 test set 1 inputs: what the HSS (and the simulated USIM) compute per vector. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MilenageBenchmark {

    private static final HexFormat HEX = HexFormat.of();
    private final byte[] k = HEX.parseHex("465b5ce8b199b49faa5f0a2ee238a6bc");
    private final byte[] opc = HEX.parseHex("cd63cb71954a9f4e48a5994e37a02baf");
    private final byte[] rand = HEX.parseHex("23553cbe9637a89d218ae64dae47bf35");
    private final byte[] sqn = HEX.parseHex("ff9bb4d0b607");
    private final byte[] amf = HEX.parseHex("b9b9");

    /**
     * Reference, measured in the same run: one JDK AES-128 block encryption with a fresh Cipher. Milenage makes one
     * Cipher and six block encryptions (TEMP, f1, f2/f5, f3, f4, f5*); compare f1ToF5 to it.
     */
    @Benchmark
    public byte[] referenceJdkAesBlock() throws Exception {
        javax.crypto.Cipher aes = javax.crypto.Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(k, "AES"));
        return aes.doFinal(rand);
    }

    /** f1 (MAC-A) and f2-f5 (RES, CK, IK, AK), with a fresh Milenage (a Cipher) as the callers make one per use. */
    @Benchmark
    public Object f1ToF5() {
        Milenage m = new Milenage(k, opc);
        byte[] macA = m.f1(rand, sqn, amf);
        Milenage.Output o = m.f2345(rand);
        return macA[0] + o.ak()[0] > 0 ? o : macA;
    }

    @Benchmark
    public Milenage.Output f2345() {
        return new Milenage(k, opc).f2345(rand);
    }

    /** A whole authentication vector (RAND, AUTN, XRES, CK, IK), as the embedded HSS makes per MAR item. */
    @Benchmark
    public AuthVector authenticationVector() {
        return AuthenticationCentre.vector(k, opc, amf, rand, 0x20);
    }
}
