package org.opentwag.eap.simaka.protocol;

/**
 * The pseudo-random function of EAP-SIM/EAP-AKA (RFC 4186 Appendix B, RFC 4187 section 7): FIPS 186-2 change
 * notice 1 random number generation with XSEED = 0 and b = 160, where G is the SHA-1 compression function applied
 * to one zero-padded block (no SHA-1 length padding), so the JDK's MessageDigest cannot be used for it.
 */
public final class Fips186Prf {

    private Fips186Prf() {
    }

    /** {@code length} bytes (a multiple of 40) from a 20-byte XKEY. */
    public static byte[] generate(byte[] xkey, int length) {
        if (xkey.length != 20 || length % 40 != 0) {
            throw new IllegalArgumentException("XKEY must be 20 bytes and the output a multiple of 40 bytes");
        }
        byte[] out = new byte[length];
        byte[] key = xkey.clone();
        // One message schedule for all rounds and each w written straight into the output: a full authentication
        // runs G eight times, and its per-call arrays showed in the server's allocation profile.
        int[] schedule = new int[80];
        for (int off = 0; off < length; off += 20) {
            g(key, schedule, out, off);
            addOnePlus(key, out, off);
        }
        return out;
    }

    /** XKEY = (1 + XKEY + w) mod 2^160, on 20-byte big-endian numbers, in place (a carry off the top is dropped). */
    static void addOnePlus(byte[] key, byte[] w) {
        addOnePlus(key, w, 0);
    }

    private static void addOnePlus(byte[] key, byte[] w, int wOff) {
        int carry = 1;
        for (int k = 19; k >= 0; k--) {
            int sum = (key[k] & 0xff) + (w[wOff + k] & 0xff) + carry;
            key[k] = (byte) sum;
            carry = sum >>> 8;
        }
    }

    /**
     * G(t, c): one SHA-1 compression of the 64-byte block c (the 20-byte c zero-padded) from the standard initial
     * state t, into {@code out[off, off + 20)}; {@code w} is scratch for the message schedule.
     */
    private static void g(byte[] c, int[] w, byte[] out, int off) {
        for (int i = 0; i < 5; i++) {
            w[i] = ((c[4 * i] & 0xff) << 24) | ((c[4 * i + 1] & 0xff) << 16)
                    | ((c[4 * i + 2] & 0xff) << 8) | (c[4 * i + 3] & 0xff);
        }
        for (int i = 5; i < 16; i++) {
            w[i] = 0; // the zero padding of the 64-byte block
        }
        for (int i = 16; i < 80; i++) {
            w[i] = Integer.rotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        }
        int h0 = 0x67452301, h1 = 0xEFCDAB89, h2 = 0x98BADCFE, h3 = 0x10325476, h4 = 0xC3D2E1F0;
        int a = h0, b = h1, cc = h2, d = h3, e = h4;
        for (int i = 0; i < 80; i++) {
            int f;
            int k;
            if (i < 20) {
                f = (b & cc) | (~b & d);
                k = 0x5A827999;
            } else if (i < 40) {
                f = b ^ cc ^ d;
                k = 0x6ED9EBA1;
            } else if (i < 60) {
                f = (b & cc) | (b & d) | (cc & d);
                k = 0x8F1BBCDC;
            } else {
                f = b ^ cc ^ d;
                k = 0xCA62C1D6;
            }
            int t = Integer.rotateLeft(a, 5) + f + e + k + w[i];
            e = d;
            d = cc;
            cc = Integer.rotateLeft(b, 30);
            b = a;
            a = t;
        }
        putInt(out, off, h0 + a);
        putInt(out, off + 4, h1 + b);
        putInt(out, off + 8, h2 + cc);
        putInt(out, off + 12, h3 + d);
        putInt(out, off + 16, h4 + e);
    }

    private static void putInt(byte[] out, int off, int v) {
        out[off] = (byte) (v >>> 24);
        out[off + 1] = (byte) (v >>> 16);
        out[off + 2] = (byte) (v >>> 8);
        out[off + 3] = (byte) v;
    }
}
