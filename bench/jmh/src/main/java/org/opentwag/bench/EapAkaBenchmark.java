package org.opentwag.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.eap.simaka.protocol.AkaCrypto;
import org.opentwag.eap.simaka.protocol.SimAkaCrypto;
import org.opentwag.eap.simaka.protocol.SimAkaMessage;

/** The server's EAP-AKA work per full authentication, on RFC 5448 case 1 sized values. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EapAkaBenchmark {

    private final byte[] rand = new byte[16];
    private final byte[] autn = new byte[16];
    private final byte[] ck = new byte[16];
    private final byte[] ik = new byte[16];
    private SimAkaCrypto.Keys keys;
    private byte[] signedChallenge;
    private int macOffset;

    @Setup
    public void setUp() {
        Arrays.fill(ck, (byte) 0x53);
        Arrays.fill(ik, (byte) 0x97);
        keys = AkaCrypto.akaFull("0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org", ik, ck);
        signedChallenge = buildChallenge();
        macOffset = offset(signedChallenge);
    }

    /** MK = SHA1(identity|IK|CK) and the FIPS 186-2 PRF: K_encr, K_aut, MSK, EMSK. */
    @Benchmark
    public SimAkaCrypto.Keys keyDerivationAka() {
        return AkaCrypto.akaFull("0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org", ik, ck);
    }

    /** EAP-AKA' key derivation (PRF' with HMAC-SHA-256). */
    @Benchmark
    public SimAkaCrypto.Keys keyDerivationAkaPrime() {
        return AkaCrypto.akaPrimeFull("6001010000000001@wlan.mnc001.mcc001.3gppnetwork.org", ck, ik);
    }

    /** EAP-Request/AKA-Challenge: attributes encoded, AT_MAC (HMAC-SHA1-128) filled in. */
    @Benchmark
    public byte[] challengeBuild() {
        return buildChallenge();
    }

    /**
     * Reference, measured in the same run: a bare JDK HMAC-SHA1 over the same challenge packet with a fresh Mac (what
     * AT_MAC costs at the least). Compare challengeVerify to it.
     */
    @Benchmark
    public byte[] referenceJdkHmacSha1() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(keys.kAut(), "HmacSHA1"));
        return mac.doFinal(signedChallenge);
    }

    /** The peer's (or the server's) AT_MAC check of a challenge. */
    @Benchmark
    public boolean challengeVerify() {
        return SimAkaCrypto.verify(false, keys.kAut(), signedChallenge, macOffset, null);
    }

    private byte[] buildChallenge() {
        List<SimAkaMessage.Attribute> attrs = new ArrayList<>(6);
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_RAND, rand));
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_AUTN, autn));
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_CHECKCODE, new byte[0]));
        attrs.add(SimAkaMessage.flag(SimAkaMessage.AT_RESULT_IND));
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16]));
        byte[] packet = EapPacket.request(9, EapPacket.TYPE_AKA, new SimAkaMessage(SimAkaMessage.CHALLENGE, attrs).encode())
                .encode();
        SimAkaCrypto.sign(false, keys.kAut(), packet, offset(packet), null);
        return packet;
    }

    private static int offset(byte[] eapPacket) {
        int off = SimAkaMessage.valueOffset(Arrays.copyOfRange(eapPacket, 5, eapPacket.length), SimAkaMessage.AT_MAC);
        return 5 + off + 2;
    }
}
