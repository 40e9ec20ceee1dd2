package org.opentwag.milenage;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The USIM side of AKA (TS 33.102 6.3.3), for tests and the load generator: checks AUTN and answers RES/CK/IK, or
 * AUTS when the sequence number is not fresh. Keeps the highest SQN it accepted, as a USIM does (without the
 * IND array: any SQN above the highest accepted one is fresh).
 */
public final class UsimSimulator {

    /** What the USIM answered. */
    public sealed interface Answer {
        record Success(byte[] res, byte[] ck, byte[] ik) implements Answer {
        }

        record SyncFailure(byte[] auts) implements Answer {
        }

        /** MAC-A did not verify: the network is not genuine (or K/OPc differ). */
        record MacFailure() implements Answer {
        }
    }

    private final byte[] k;
    private final byte[] opc;
    private long highestSqn;

    public UsimSimulator(byte[] k, byte[] opc, long highestSqn) {
        Milenage.check(k, 16, "K");
        Milenage.check(opc, 16, "OPc");
        if (highestSqn < 0 || highestSqn > Sqn.MAX) {
            throw new IllegalArgumentException("SQN out of 48-bit range: " + highestSqn);
        }
        this.k = k.clone();
        this.opc = opc.clone();
        this.highestSqn = highestSqn;
    }

    public long highestSqn() {
        return highestSqn;
    }

    public Answer authenticate(byte[] rand, byte[] autn) {
        Milenage.check(autn, 16, "AUTN");
        Milenage m = new Milenage(k, opc);
        Milenage.Output o = m.f2345(rand);
        byte[] sqn = Milenage.xor(Arrays.copyOfRange(autn, 0, 6), o.ak());
        byte[] amf = Arrays.copyOfRange(autn, 6, 8);
        if (!MessageDigest.isEqual(m.f1(rand, sqn, amf), Arrays.copyOfRange(autn, 8, 16))) {
            return new Answer.MacFailure();
        }
        long received = Sqn.fromBytes(sqn);
        if (received <= highestSqn) {
            byte[] sqnMs = Sqn.toBytes(highestSqn);
            byte[] auts = new byte[14];
            System.arraycopy(Milenage.xor(sqnMs, m.f5star(rand)), 0, auts, 0, 6);
            System.arraycopy(m.f1star(rand, sqnMs, new byte[2]), 0, auts, 6, 8);
            return new Answer.SyncFailure(auts);
        }
        highestSqn = received;
        return new Answer.Success(o.res(), o.ck(), o.ik());
    }

    /** A fresh random RAND, for simulators. */
    public static byte[] randomRand(SecureRandom random) {
        byte[] rand = new byte[16];
        random.nextBytes(rand);
        return rand;
    }
}
