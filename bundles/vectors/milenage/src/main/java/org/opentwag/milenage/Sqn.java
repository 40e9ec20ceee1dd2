package org.opentwag.milenage;

/** 48-bit sequence numbers (TS 33.102 Annex C) as longs and as the 6 bytes of the wire. */
public final class Sqn {

    public static final long MAX = (1L << 48) - 1;

    private Sqn() {
    }

    public static byte[] toBytes(long sqn) {
        if (sqn < 0 || sqn > MAX) {
            throw new IllegalArgumentException("SQN out of 48-bit range: " + sqn);
        }
        byte[] b = new byte[6];
        for (int i = 5; i >= 0; i--) {
            b[i] = (byte) sqn;
            sqn >>>= 8;
        }
        return b;
    }

    public static long fromBytes(byte[] b) {
        Milenage.check(b, 6, "SQN");
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xff);
        }
        return v;
    }
}
