package org.opentwag.milenage;

import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Milenage authentication functions f1, f1*, f2, f3, f4, f5, f5* of 3GPP TS 35.206 for one subscriber key K
 * and operator variant OPc. Each instance holds its own AES cipher: not thread-safe, cheap to create. The AuC's
 * static functions ({@link AuthenticationCentre}) use {@link #onThisThread} instead, one cipher per thread.
 */
public final class Milenage {

    /** Rotation amounts r1..r5 (bits) and constants c1..c5 (last byte) of TS 35.206 section 4.1. */
    private static final int[] R = {64, 0, 32, 64, 96};
    private static final int[] C_LAST = {0, 1, 2, 4, 8};

    /** Outputs of f2..f5 for one RAND. */
    public record Output(byte[] res, byte[] ck, byte[] ik, byte[] ak) {
    }

    /**
     * One AES cipher per thread for {@link #onThisThread}: {@code Cipher.getInstance} (a provider lookup and a new
     * cipher with its buffers) for every vector was most of the embedded HSS's Milenage CPU; only the key schedule of
     * {@code init} is per key.
     */
    private static final ThreadLocal<Cipher> THREAD_AES = ThreadLocal.withInitial(Milenage::newAes);

    private final Cipher aes;
    private final byte[] opc;

    public Milenage(byte[] k, byte[] opc) {
        this(keyed(newAes(), k), checked(opc).clone());
    }

    private Milenage(Cipher aes, byte[] opc) {
        this.aes = aes;
        this.opc = opc;
    }

    /**
     * An instance on this thread's cipher, keyed with K: valid only until the next {@code onThisThread} on the same
     * thread, so for use within one call that makes no other. {@code opc} is read, not copied: do not change it.
     */
    static Milenage onThisThread(byte[] k, byte[] opc) {
        return new Milenage(keyed(THREAD_AES.get(), k), checked(opc));
    }

    private static Cipher newAes() {
        try {
            return Cipher.getInstance("AES/ECB/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is mandatory in every JDK", e);
        }
    }

    private static Cipher keyed(Cipher aes, byte[] k) {
        check(k, 16, "K");
        try {
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"));
            return aes;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is mandatory in every JDK", e);
        }
    }

    private static byte[] checked(byte[] opc) {
        check(opc, 16, "OPc");
        return opc;
    }

    /** OPc = E_K(OP) xor OP (TS 35.206 section 4.1). */
    public static byte[] opc(byte[] k, byte[] op) {
        check(k, 16, "K");
        check(op, 16, "OP");
        try {
            Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"));
            return xor(c.doFinal(op), op);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** f1: MAC-A (8 bytes) over SQN and AMF. */
    public byte[] f1(byte[] rand, byte[] sqn, byte[] amf) {
        return copy(out1(temp(rand), sqn, amf), 0, 8);
    }

    /** f1*: MAC-S (8 bytes), the resynchronisation MAC. */
    public byte[] f1star(byte[] rand, byte[] sqn, byte[] amf) {
        return copy(out1(temp(rand), sqn, amf), 8, 8);
    }

    /** f2 (RES, 8 bytes), f3 (CK), f4 (IK), f5 (AK, 6 bytes). */
    public Output f2345(byte[] rand) {
        return outputs(temp(rand));
    }

    /**
     * f1 (MAC-A, written to {@code macA} from {@code offset}) and f2..f5 of one RAND, TEMP computed once: what an AuC
     * needs for one vector.
     */
    Output f12345(byte[] rand, byte[] sqn, byte[] amf, byte[] macA, int offset) {
        byte[] temp = temp(rand);
        System.arraycopy(out1(temp, sqn, amf), 0, macA, offset, 8);
        return outputs(temp);
    }

    private Output outputs(byte[] temp) {
        byte[] out2 = outN(temp, 1);
        byte[] out3 = outN(temp, 2);
        byte[] out4 = outN(temp, 3);
        return new Output(copy(out2, 8, 8), out3, out4, copy(out2, 0, 6));
    }

    /** f5*: AK used to conceal SQN_MS in AUTS (6 bytes). */
    public byte[] f5star(byte[] rand) {
        return copy(outN(temp(rand), 4), 0, 6);
    }

    private byte[] temp(byte[] rand) {
        check(rand, 16, "RAND");
        return encrypt(xor(rand, opc));
    }

    private byte[] out1(byte[] temp, byte[] sqn, byte[] amf) {
        check(sqn, 6, "SQN");
        check(amf, 2, "AMF");
        byte[] in1 = new byte[16];
        System.arraycopy(sqn, 0, in1, 0, 6);
        System.arraycopy(amf, 0, in1, 6, 2);
        System.arraycopy(sqn, 0, in1, 8, 6);
        System.arraycopy(amf, 0, in1, 14, 2);
        // OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1) xor c1) xor OPc
        byte[] x = rotate(xor(in1, opc), R[0]);
        x = xor(x, temp);
        x[15] ^= (byte) C_LAST[0];
        return xor(encrypt(x), opc);
    }

    /** OUTn for n = 1..4 meaning f2/f5, f3, f4, f5* (OUT2..OUT5 of the spec). */
    private byte[] outN(byte[] temp, int n) {
        byte[] x = rotate(xor(temp, opc), R[n]);
        x[15] ^= (byte) C_LAST[n];
        return xor(encrypt(x), opc);
    }

    private byte[] encrypt(byte[] block) {
        try {
            return aes.doFinal(block);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cyclic rotation of a 128-bit value towards the most significant bit by {@code bits} (a multiple of 8). */
    private static byte[] rotate(byte[] in, int bits) {
        int bytes = bits / 8;
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) {
            out[i] = in[(i + bytes) % 16];
        }
        return out;
    }

    static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static byte[] copy(byte[] src, int from, int len) {
        byte[] out = new byte[len];
        System.arraycopy(src, from, out, 0, len);
        return out;
    }

    static void check(byte[] v, int len, String name) {
        if (v == null || v.length != len) {
            throw new IllegalArgumentException(name + " must be " + len + " bytes");
        }
    }
}
