package org.opentwag.eap.simaka.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.opentwag.eap.simaka.protocol.SimAkaCrypto.Keys;
import org.opentwag.eap.simaka.protocol.SimAkaCrypto.SessionKeys;

/**
 * How EAP-AKA (RFC 4187 7) and EAP-AKA' (RFC 5448 3.3, 3.4) make their keys from a UMTS vector; MAC, encryption and
 * the EAP-AKA re-authentication keys are the shared ones of {@link SimAkaCrypto}.
 */
public final class AkaCrypto {

    private AkaCrypto() {
    }

    /** EAP-AKA: MK = SHA1(Identity|IK|CK), then the FIPS 186-2 PRF → K_encr, K_aut, MSK, EMSK. */
    public static Keys akaFull(String identity, byte[] ik, byte[] ck) {
        return SimAkaCrypto.keysFromMasterKey(SimAkaCrypto.sha1(identity.getBytes(StandardCharsets.UTF_8), ik, ck));
    }

    /** EAP-AKA': MK = PRF'(IK'|CK', "EAP-AKA'"|Identity) → K_encr(16) K_aut(32) K_re(32) MSK(64) EMSK(64). */
    public static Keys akaPrimeFull(String identity, byte[] ckPrime, byte[] ikPrime) {
        byte[] key = concat(ikPrime, ckPrime);
        byte[] mk = prfPrime(key, concat("EAP-AKA'".getBytes(StandardCharsets.US_ASCII),
                identity.getBytes(StandardCharsets.UTF_8)), 208);
        return new Keys(Arrays.copyOfRange(mk, 0, 16), Arrays.copyOfRange(mk, 16, 48), Arrays.copyOfRange(mk, 48, 80),
                Arrays.copyOfRange(mk, 80, 144), Arrays.copyOfRange(mk, 144, 208));
    }

    /** EAP-AKA fast re-authentication: the shared XKEY' derivation of {@link SimAkaCrypto#fastReauthKeys}. */
    public static SessionKeys akaReauth(String identity, int counter, byte[] nonceS, byte[] mk) {
        return SimAkaCrypto.fastReauthKeys(identity, counter, nonceS, mk);
    }

    /** EAP-AKA' fast re-authentication: PRF'(K_re, "EAP-AKA' re-auth"|Identity|counter|NONCE_S) → MSK, EMSK. */
    public static SessionKeys akaPrimeReauth(String identity, int counter, byte[] nonceS, byte[] kRe) {
        byte[] s = concat("EAP-AKA' re-auth".getBytes(StandardCharsets.US_ASCII),
                identity.getBytes(StandardCharsets.UTF_8), SimAkaCrypto.counter16(counter), nonceS);
        byte[] x = prfPrime(kRe, s, 128);
        return new SessionKeys(Arrays.copyOfRange(x, 0, 64), Arrays.copyOfRange(x, 64, 128));
    }

    /** PRF'(K, S) = T1 | T2 | ... with Tn = HMAC-SHA-256(K, T(n-1) | S | n) (RFC 5448 3.4). */
    static byte[] prfPrime(byte[] key, byte[] s, int length) {
        try {
            Mac mac = SimAkaCrypto.HMAC_SHA256.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            ByteArrayOutputStream out = new ByteArrayOutputStream(length + 32);
            byte[] t = new byte[0];
            for (int n = 1; out.size() < length; n++) {
                mac.update(t);
                mac.update(s);
                mac.update((byte) n);
                t = mac.doFinal();
                out.writeBytes(t);
            }
            return Arrays.copyOf(out.toByteArray(), length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
