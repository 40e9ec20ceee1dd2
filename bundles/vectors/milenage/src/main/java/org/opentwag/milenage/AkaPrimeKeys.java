package org.opentwag.milenage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CK' and IK' for EAP-AKA' (3GPP TS 33.402 Annex A.2, KDF of TS 33.220 Annex B.2):
 * CK' || IK' = HMAC-SHA-256(CK || IK, FC=0x20 || network name || L0 || SQN xor AK || L1).
 */
public final class AkaPrimeKeys {

    private AkaPrimeKeys() {
    }

    /** @return {CK', IK'} */
    public static byte[][] deriveCkIkPrime(byte[] ck, byte[] ik, String networkName, byte[] sqnXorAk) {
        Milenage.check(ck, 16, "CK");
        Milenage.check(ik, 16, "IK");
        Milenage.check(sqnXorAk, 6, "SQN xor AK");
        if (networkName == null || networkName.isEmpty()) {
            throw new IllegalArgumentException("access network name is required");
        }
        byte[] p0 = networkName.getBytes(StandardCharsets.UTF_8);
        if (p0.length > 0xffff) {
            throw new IllegalArgumentException("access network name longer than 65535 bytes");
        }
        ByteBuffer s = ByteBuffer.allocate(1 + p0.length + 2 + 6 + 2);
        s.put((byte) 0x20).put(p0).putShort((short) p0.length).put(sqnXorAk).putShort((short) 6);
        byte[] key = new byte[32];
        System.arraycopy(ck, 0, key, 0, 16);
        System.arraycopy(ik, 0, key, 16, 16);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] out = mac.doFinal(s.array());
            byte[] ckPrime = new byte[16];
            byte[] ikPrime = new byte[16];
            System.arraycopy(out, 0, ckPrime, 0, 16);
            System.arraycopy(out, 16, ikPrime, 0, 16);
            return new byte[][]{ckPrime, ikPrime};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is mandatory in every JDK", e);
        }
    }
}
