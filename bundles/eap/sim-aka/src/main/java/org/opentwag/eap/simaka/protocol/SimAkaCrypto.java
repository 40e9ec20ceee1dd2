package org.opentwag.eap.simaka.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What EAP-SIM (RFC 4186), EAP-AKA (RFC 4187) and EAP-AKA' (RFC 5448) share: the key split of MK by the FIPS 186-2
 * PRF (RFC 4186 7, RFC 4187 7), the fast re-authentication keys from XKEY' (the same in both), AT_MAC
 * (HMAC-SHA1-128, or HMAC-SHA-256-128 for EAP-AKA') and AT_ENCR_DATA (AES-128-CBC with AT_PADDING). What differs is
 * only how MK is made: {@link #simMasterKey} here, {@link AkaCrypto} for EAP-AKA and EAP-AKA'.
 */
public final class SimAkaCrypto {

    // One instance per thread and algorithm: JCA's getInstance walks the provider list and allocates on every call,
    // which showed in the server's allocation profile. Every use re-keys (init) or resets the instance first.
    private static final ThreadLocal<Mac> HMAC_SHA1 =
            ThreadLocal.withInitial(() -> instance(() -> Mac.getInstance("HmacSHA1")));
    static final ThreadLocal<Mac> HMAC_SHA256 =
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
     * @param reauthKey EAP-SIM and EAP-AKA: MK (20 bytes, re-used by fast re-authentication); EAP-AKA': K_re (32)
     */
    public record Keys(byte[] kEncr, byte[] kAut, byte[] reauthKey, byte[] msk, byte[] emsk) {
        @Override
        public String toString() {
            return "Keys[hidden]";
        }
    }

    /** MSK and EMSK of a fast re-authentication. */
    public record SessionKeys(byte[] msk, byte[] emsk) {
        @Override
        public String toString() {
            return "SessionKeys[hidden]";
        }
    }

    private SimAkaCrypto() {
    }

    /**
     * EAP-SIM: MK = SHA1(Identity|n*Kc|NONCE_MT|Version List|Selected Version) (RFC 4186 7).
     *
     * @param kcs             the n (2 or 3) Kc of the triplets, in the order of their RANDs in AT_RAND
     * @param versionList     the value of AT_VERSION_LIST as sent (the 2-byte versions, without Actual Length or
     *                        padding)
     * @param selectedVersion the version of AT_SELECTED_VERSION
     */
    public static byte[] simMasterKey(String identity, List<byte[]> kcs, byte[] nonceMt, byte[] versionList,
                                      int selectedVersion) {
        byte[][] parts = new byte[kcs.size() + 4][];
        parts[0] = identity.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < kcs.size(); i++) {
            parts[i + 1] = kcs.get(i);
        }
        parts[kcs.size() + 1] = nonceMt;
        parts[kcs.size() + 2] = versionList;
        parts[kcs.size() + 3] = new byte[]{(byte) (selectedVersion >> 8), (byte) selectedVersion};
        return sha1(parts);
    }

    /** EAP-SIM and EAP-AKA: the FIPS 186-2 PRF of MK split into K_encr(16), K_aut(16), MSK(64), EMSK(64). */
    public static Keys keysFromMasterKey(byte[] mk) {
        byte[] x = Fips186Prf.generate(mk, 160);
        return new Keys(Arrays.copyOfRange(x, 0, 16), Arrays.copyOfRange(x, 16, 32), mk,
                Arrays.copyOfRange(x, 32, 96), Arrays.copyOfRange(x, 96, 160));
    }

    /**
     * EAP-SIM and EAP-AKA fast re-authentication (RFC 4186 7, RFC 4187 7): XKEY' = SHA1(Identity|counter|NONCE_S|MK),
     * then the PRF → MSK, EMSK. Identity is the re-authentication identity the peer used.
     */
    public static SessionKeys fastReauthKeys(String identity, int counter, byte[] nonceS, byte[] mk) {
        byte[] xkey = sha1(identity.getBytes(StandardCharsets.UTF_8), counter16(counter), nonceS, mk);
        byte[] x = Fips186Prf.generate(xkey, 160);
        return new SessionKeys(Arrays.copyOfRange(x, 0, 64), Arrays.copyOfRange(x, 64, 128));
    }

    /**
     * AT_MAC value: HMAC-SHA1-128 (EAP-SIM, EAP-AKA) or HMAC-SHA-256-128 (EAP-AKA', {@code sha256}) keyed with K_aut over the whole EAP
     * packet, with the AT_MAC value zeroed, followed by {@code extra} (NONCE_S in a re-authentication response;
     * EAP-SIM: NONCE_MT in the Challenge request, n*SRES in its response).
     */
    public static byte[] mac(boolean sha256, byte[] kAut, byte[] eapPacketWithZeroMac, byte[] extra) {
        String alg = sha256 ? "HmacSHA256" : "HmacSHA1";
        try {
            Mac mac = (sha256 ? HMAC_SHA256 : HMAC_SHA1).get();
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
    public static void sign(boolean sha256, byte[] kAut, byte[] eapPacket, int macValueOffset, byte[] extra) {
        byte[] m = mac(sha256, kAut, eapPacket, extra);
        System.arraycopy(m, 0, eapPacket, macValueOffset, 16);
    }

    /** Checks AT_MAC of a received packet in constant time. */
    public static boolean verify(boolean sha256, byte[] kAut, byte[] eapPacket, int macValueOffset, byte[] extra) {
        if (macValueOffset < 0 || macValueOffset + 16 > eapPacket.length) {
            return false;
        }
        byte[] received = Arrays.copyOfRange(eapPacket, macValueOffset, macValueOffset + 16);
        byte[] zeroed = eapPacket.clone();
        Arrays.fill(zeroed, macValueOffset, macValueOffset + 16, (byte) 0);
        return MessageDigest.isEqual(received, mac(sha256, kAut, zeroed, extra));
    }

    /** AT_ENCR_DATA: AES-128-CBC with K_encr and the IV of AT_IV; the plaintext is a multiple of 16 bytes. */
    public static byte[] encrypt(byte[] kEncr, byte[] iv, byte[] plaintext) {
        return aes(Cipher.ENCRYPT_MODE, kEncr, iv, plaintext);
    }

    public static byte[] decrypt(byte[] kEncr, byte[] iv, byte[] ciphertext) {
        if (iv.length != 16) {
            throw new SimAkaMessage.SimAkaDecodeException("AT_IV of " + iv.length + " octets (AES needs 16)");
        }
        if (ciphertext.length % 16 != 0 || ciphertext.length == 0) {
            throw new SimAkaMessage.SimAkaDecodeException("AT_ENCR_DATA is not a whole number of AES blocks");
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

    /**
     * Offset of the 16 AT_MAC value bytes in a whole EAP packet (header 5 bytes, then Type-Data), or -1 without
     * AT_MAC: what {@link #sign} and {@link #verify} take.
     */
    public static int macOffset(byte[] eapPacket) {
        if (eapPacket.length < 5) {
            return -1;
        }
        byte[] typeData = Arrays.copyOfRange(eapPacket, 5, eapPacket.length);
        int off = SimAkaMessage.valueOffset(typeData, SimAkaMessage.AT_MAC);
        return off < 0 ? -1 : 5 + off + 2;
    }

    /** Attributes for AT_ENCR_DATA, padded with AT_PADDING to a multiple of 16 bytes (RFC 4187 10.12). */
    public static byte[] encryptedAttributes(SimAkaMessage.Attribute... attributes) {
        byte[] plain = new SimAkaMessage(0, List.of(attributes)).encode();
        plain = Arrays.copyOfRange(plain, 3, plain.length);
        int pad = (16 - plain.length % 16) % 16;
        if (pad == 0) {
            return plain;
        }
        byte[] out = Arrays.copyOf(plain, plain.length + pad);
        out[plain.length] = (byte) SimAkaMessage.AT_PADDING;
        out[plain.length + 1] = (byte) (pad / 4);
        return out;
    }

    /** Parses decrypted AT_ENCR_DATA content into attributes (AT_PADDING included). */
    public static SimAkaMessage decryptedAttributes(byte[] plain) {
        byte[] typeData = new byte[plain.length + 3];
        System.arraycopy(plain, 0, typeData, 3, plain.length);
        return SimAkaMessage.decode(typeData);
    }

    /**
     * AT_CHECKCODE value (RFC 4187 10.13, RFC 5448 3.2): SHA-1 (EAP-AKA) or SHA-256 (EAP-AKA', {@code sha256}) of
     * every AKA-Identity request and response of the exchange in order; empty when there were none.
     */
    public static byte[] checkcode(boolean sha256, byte[] identityMessages) {
        if (identityMessages == null || identityMessages.length == 0) {
            return new byte[0];
        }
        try {
            return MessageDigest.getInstance(sha256 ? "SHA-256" : "SHA-1").digest(identityMessages);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-1 of the parts in order (also AT_CHECKCODE of EAP-AKA). */
    public static byte[] sha1(byte[]... parts) {
        MessageDigest md = SHA1.get();
        md.reset();
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    static byte[] counter16(int counter) {
        return new byte[]{(byte) (counter >> 8), (byte) counter};
    }
}
