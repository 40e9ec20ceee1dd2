package org.opentwag.eap.aka.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Key derivation, AT_MAC and AT_ENCR_DATA of EAP-AKA (RFC 4187 sections 7, 10.12, 10.15) and EAP-AKA'
 * (RFC 5448 sections 3.3, 3.4).
 */
public final class AkaCrypto {

    // One instance per thread and algorithm: JCA's getInstance walks the provider list and allocates on every call,
    // which showed in the server's allocation profile. Every use re-keys (init) or resets the instance first.
    private static final ThreadLocal<Mac> HMAC_SHA1 =
            ThreadLocal.withInitial(() -> instance(() -> Mac.getInstance("HmacSHA1")));
    private static final ThreadLocal<Mac> HMAC_SHA256 =
            ThreadLocal.withInitial(() -> instance(() -> Mac.getInstance("HmacSHA256")));
    private static final ThreadLocal<Cipher> AES_CBC =
            ThreadLocal.withInitial(() -> instance(() -> Cipher.getInstance("AES/CBC/NoPadding")));
    private static final ThreadLocal<MessageDigest> SHA1 =
            ThreadLocal.withInitial(() -> instance(() -> MessageDigest.getInstance("SHA-1")));

    private interface JcaFactory<T> {
        T create() throws GeneralSecurityException;
    }

    private static <T> T instance(JcaFactory<T> factory) {
        try {
            return factory.create();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("algorithm missing from the JDK", e);
        }
    }

    /**
     * Keys of a full authentication.
     *
     * @param reauthKey EAP-AKA: MK (20 bytes, re-used by fast re-authentication); EAP-AKA': K_re (32 bytes)
     */
    public record Keys(byte[] kEncr, byte[] kAut, byte[] reauthKey, byte[] msk, byte[] emsk) {
        @Override
        public String toString() {
            return "Keys[hidden]";
        }
    }

    private AkaCrypto() {
    }

    /** EAP-AKA: MK = SHA1(Identity|IK|CK), then FIPS 186-2 PRF → K_encr, K_aut, MSK, EMSK. */
    public static Keys akaFull(String identity, byte[] ik, byte[] ck) {
        byte[] mk = sha1(identity.getBytes(StandardCharsets.UTF_8), ik, ck);
        byte[] x = Fips186Prf.generate(mk, 160);
        return new Keys(Arrays.copyOfRange(x, 0, 16), Arrays.copyOfRange(x, 16, 32), mk,
                Arrays.copyOfRange(x, 32, 96), Arrays.copyOfRange(x, 96, 160));
    }

    /** EAP-AKA': MK = PRF'(IK'|CK', "EAP-AKA'"|Identity) → K_encr(16) K_aut(32) K_re(32) MSK(64) EMSK(64). */
    public static Keys akaPrimeFull(String identity, byte[] ckPrime, byte[] ikPrime) {
        byte[] key = concat(ikPrime, ckPrime);
        byte[] mk = prfPrime(key, concat("EAP-AKA'".getBytes(StandardCharsets.US_ASCII),
                identity.getBytes(StandardCharsets.UTF_8)), 208);
        return new Keys(Arrays.copyOfRange(mk, 0, 16), Arrays.copyOfRange(mk, 16, 48), Arrays.copyOfRange(mk, 48, 80),
                Arrays.copyOfRange(mk, 80, 144), Arrays.copyOfRange(mk, 144, 208));
    }

    /** EAP-AKA fast re-authentication: XKEY' = SHA1(Identity|counter|NONCE_S|MK) → {MSK, EMSK}. */
    public static byte[][] akaReauth(String identity, int counter, byte[] nonceS, byte[] mk) {
        byte[] xkey = sha1(identity.getBytes(StandardCharsets.UTF_8), counter16(counter), nonceS, mk);
        byte[] x = Fips186Prf.generate(xkey, 160);
        return new byte[][]{Arrays.copyOfRange(x, 0, 64), Arrays.copyOfRange(x, 64, 128)};
    }

    /** EAP-AKA' fast re-authentication: PRF'(K_re, "EAP-AKA' re-auth"|Identity|counter|NONCE_S) → {MSK, EMSK}. */
    public static byte[][] akaPrimeReauth(String identity, int counter, byte[] nonceS, byte[] kRe) {
        byte[] s = concat("EAP-AKA' re-auth".getBytes(StandardCharsets.US_ASCII),
                identity.getBytes(StandardCharsets.UTF_8), counter16(counter), nonceS);
        byte[] x = prfPrime(kRe, s, 128);
        return new byte[][]{Arrays.copyOfRange(x, 0, 64), Arrays.copyOfRange(x, 64, 128)};
    }

    /** PRF'(K, S) = T1 | T2 | ... with Tn = HMAC-SHA-256(K, T(n-1) | S | n) (RFC 5448 3.4). */
    static byte[] prfPrime(byte[] key, byte[] s, int length) {
        try {
            Mac mac = HMAC_SHA256.get();
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

    /**
     * AT_MAC value: HMAC-SHA1-128 (EAP-AKA) or HMAC-SHA-256-128 (EAP-AKA') keyed with K_aut over the whole EAP
     * packet, with the AT_MAC value zeroed, followed by {@code extra} (NONCE_S in a re-authentication response).
     */
    public static byte[] mac(boolean akaPrime, byte[] kAut, byte[] eapPacketWithZeroMac, byte[] extra) {
        String alg = akaPrime ? "HmacSHA256" : "HmacSHA1";
        try {
            Mac mac = (akaPrime ? HMAC_SHA256 : HMAC_SHA1).get();
            mac.init(new SecretKeySpec(kAut, alg));
            mac.update(eapPacketWithZeroMac);
            if (extra != null) {
                mac.update(extra);
            }
            return Arrays.copyOf(mac.doFinal(), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fills AT_MAC of an encoded EAP packet in place: the packet must already carry AT_MAC with a zero value.
     *
     * @param macValueOffset offset of the 16 MAC bytes in the packet
     */
    public static void sign(boolean akaPrime, byte[] kAut, byte[] eapPacket, int macValueOffset, byte[] extra) {
        byte[] m = mac(akaPrime, kAut, eapPacket, extra);
        System.arraycopy(m, 0, eapPacket, macValueOffset, 16);
    }

    /** Checks AT_MAC of a received packet in constant time. */
    public static boolean verify(boolean akaPrime, byte[] kAut, byte[] eapPacket, int macValueOffset, byte[] extra) {
        if (macValueOffset < 0 || macValueOffset + 16 > eapPacket.length) {
            return false;
        }
        byte[] received = Arrays.copyOfRange(eapPacket, macValueOffset, macValueOffset + 16);
        byte[] zeroed = eapPacket.clone();
        Arrays.fill(zeroed, macValueOffset, macValueOffset + 16, (byte) 0);
        return MessageDigest.isEqual(received, mac(akaPrime, kAut, zeroed, extra));
    }

    /** AT_ENCR_DATA: AES-128-CBC with K_encr and the IV of AT_IV; the plaintext is a multiple of 16 bytes. */
    public static byte[] encrypt(byte[] kEncr, byte[] iv, byte[] plaintext) {
        return aes(Cipher.ENCRYPT_MODE, kEncr, iv, plaintext);
    }

    public static byte[] decrypt(byte[] kEncr, byte[] iv, byte[] ciphertext) {
        if (iv.length != 16) {
            throw new AkaMessage.AkaDecodeException("AT_IV of " + iv.length + " octets (AES needs 16)");
        }
        if (ciphertext.length % 16 != 0 || ciphertext.length == 0) {
            throw new AkaMessage.AkaDecodeException("AT_ENCR_DATA is not a whole number of AES blocks");
        }
        return aes(Cipher.DECRYPT_MODE, kEncr, iv, ciphertext);
    }

    private static byte[] aes(int mode, byte[] key, byte[] iv, byte[] data) {
        try {
            Cipher c = AES_CBC.get();
            c.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Attributes for AT_ENCR_DATA, padded with AT_PADDING to a multiple of 16 bytes (RFC 4187 10.12). */
    public static byte[] encryptedAttributes(AkaMessage.Attribute... attributes) {
        byte[] plain = new AkaMessage(0, java.util.List.of(attributes)).encode();
        plain = Arrays.copyOfRange(plain, 3, plain.length);
        int pad = (16 - plain.length % 16) % 16;
        if (pad == 0) {
            return plain;
        }
        byte[] out = Arrays.copyOf(plain, plain.length + pad);
        out[plain.length] = (byte) AkaMessage.AT_PADDING;
        out[plain.length + 1] = (byte) (pad / 4);
        return out;
    }

    /** Parses decrypted AT_ENCR_DATA content into attributes (AT_PADDING included). */
    public static AkaMessage decryptedAttributes(byte[] plain) {
        byte[] typeData = new byte[plain.length + 3];
        System.arraycopy(plain, 0, typeData, 3, plain.length);
        return AkaMessage.decode(typeData);
    }

    static byte[] sha1(byte[]... parts) {
        MessageDigest md = SHA1.get();
        md.reset();
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] counter16(int counter) {
        return new byte[]{(byte) (counter >> 8), (byte) counter};
    }
}
