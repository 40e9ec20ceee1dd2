package org.opentwag.diameter.codec;

/** Big-endian reads and writes on byte arrays (network order, RFC 6733). */
final class Bytes {
    private Bytes() {
    }

    static int u24(byte[] b, int i) {
        return (b[i] & 0xff) << 16 | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff);
    }

    static int i32(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    static long u32(byte[] b, int i) {
        return i32(b, i) & 0xffffffffL;
    }

    static long i64(byte[] b, int i) {
        return (long) i32(b, i) << 32 | u32(b, i + 4);
    }

    static void put24(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 16);
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) v;
    }

    static void put32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    static byte[] of32(int v) {
        byte[] b = new byte[4];
        put32(b, 0, v);
        return b;
    }

    static byte[] of64(long v) {
        byte[] b = new byte[8];
        put32(b, 0, (int) (v >>> 32));
        put32(b, 4, (int) v);
        return b;
    }
}
