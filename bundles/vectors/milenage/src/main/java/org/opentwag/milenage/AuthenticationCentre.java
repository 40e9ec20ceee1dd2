package org.opentwag.milenage;

import java.util.Arrays;

import org.opentwag.api.vectors.AuthVector;

/**
 * What an AuC does around Milenage (3GPP TS 33.102 section 6.3): builds the vector for a given SQN, and on
 * resynchronisation recovers and checks the USIM's SQN from AUTS.
 */
public final class AuthenticationCentre {

    private AuthenticationCentre() {
    }

    /** AUTN = (SQN xor AK) || AMF || MAC-A; XRES = f2, CK = f3, IK = f4. */
    public static AuthVector vector(byte[] k, byte[] opc, byte[] amf, byte[] rand, long sqn) {
        Milenage.check(amf, 2, "AMF");
        Milenage m = Milenage.onThisThread(k, opc);
        byte[] sqnBytes = Sqn.toBytes(sqn);
        byte[] autn = new byte[16];
        Milenage.Output o = m.f12345(rand, sqnBytes, amf, autn, 8);
        for (int i = 0; i < 6; i++) {
            autn[i] = (byte) (sqnBytes[i] ^ o.ak()[i]);
        }
        System.arraycopy(amf, 0, autn, 6, 2);
        return new AuthVector(rand.clone(), autn, o.res(), o.ck(), o.ik());
    }

    /**
     * Verifies AUTS = (SQN_MS xor AK*) || MAC-S against RAND and returns SQN_MS, or -1 when MAC-S does not verify.
     * TS 33.102 6.3.5: MAC-S = f1*(SQN_MS, RAND, AMF) with the dummy AMF 0000.
     */
    public static long verifyAuts(byte[] k, byte[] opc, byte[] rand, byte[] auts) {
        Milenage.check(auts, 14, "AUTS");
        Milenage m = Milenage.onThisThread(k, opc);
        byte[] sqnMs = Milenage.xor(Arrays.copyOfRange(auts, 0, 6), m.f5star(rand));
        byte[] macS = m.f1star(rand, sqnMs, new byte[2]);
        if (!java.security.MessageDigest.isEqual(macS, Arrays.copyOfRange(auts, 6, 14))) {
            return -1;
        }
        return Sqn.fromBytes(sqnMs);
    }
}
