package org.opentwag.diameter.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads AVPs in place from bytes the {@link MessageDecoder} has already checked (a decoded message's frame, or
 * the data of a Grouped AVP it validated): walks the AVP headers of a range and reads one AVP's value without
 * making an {@link Avp} for it. {@code pos} is always the offset of an AVP header.
 *
 * <p>Only for checked ranges: the walk trusts each AVP Length (between its header and the end of the range). A
 * value of an unexpected size goes through an {@link Avp} view, so the error is the one {@link Avp}'s accessors
 * throw.
 */
final class AvpReader {
    private AvpReader() {
    }

    static int flags(byte[] b, int pos) {
        return b[pos + 4] & 0xff;
    }

    static int code(byte[] b, int pos) {
        return Bytes.i32(b, pos);
    }

    static int vendorId(byte[] b, int pos) {
        return (b[pos + 4] & Avp.FLAG_VENDOR) != 0 ? Bytes.i32(b, pos + 8) : 0;
    }

    static int length(byte[] b, int pos) {
        return Bytes.u24(b, pos + 5);
    }

    static int dataOffset(byte[] b, int pos) {
        return pos + ((b[pos + 4] & Avp.FLAG_VENDOR) != 0 ? 12 : 8);
    }

    static int dataLength(byte[] b, int pos) {
        return length(b, pos) - ((b[pos + 4] & Avp.FLAG_VENDOR) != 0 ? 12 : 8);
    }

    /** The header after the AVP at {@code pos}; {@code end} when it was the last (its padding may be missing). */
    static int next(byte[] b, int pos, int end) {
        return Math.min(pos + ((length(b, pos) + 3) & ~3), end);
    }

    /** The first AVP with this code and vendor in {@code [pos, end)}, or -1. */
    static int seek(byte[] b, int pos, int end, int code, int vendorId) {
        while (pos < end) {
            if (Bytes.i32(b, pos) == code && vendorId(b, pos) == vendorId) {
                return pos;
            }
            pos = next(b, pos, end);
        }
        return -1;
    }

    /** An {@link Avp} viewing the AVP at {@code pos} (its data is not copied). */
    static Avp view(byte[] b, int pos, DiameterDictionary dictionary) {
        int code = code(b, pos);
        int vendorId = vendorId(b, pos);
        return Avp.view(dictionary.avpOrNull(code, vendorId), code, flags(b, pos), vendorId, b, dataOffset(b, pos),
                dataLength(b, pos), dictionary);
    }

    static String utf8(byte[] b, int pos, DiameterDictionary dictionary) {
        int off = dataOffset(b, pos);
        int len = dataLength(b, pos);
        for (int i = off, end = off + len; i < end; i++) {
            if (b[i] < 0) {
                return view(b, pos, dictionary).utf8(); // not ASCII: the checking decoder
            }
        }
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    static long unsigned32(byte[] b, int pos, DiameterDictionary dictionary) {
        return dataLength(b, pos) == 4 ? Bytes.u32(b, dataOffset(b, pos)) : view(b, pos, dictionary).unsigned32();
    }

    static int integer32(byte[] b, int pos, DiameterDictionary dictionary) {
        return dataLength(b, pos) == 4 ? Bytes.i32(b, dataOffset(b, pos)) : view(b, pos, dictionary).integer32();
    }

    static long integer64(byte[] b, int pos, DiameterDictionary dictionary) {
        return dataLength(b, pos) == 8 ? Bytes.i64(b, dataOffset(b, pos)) : view(b, pos, dictionary).integer64();
    }

    static byte[] octets(byte[] b, int pos) {
        int off = dataOffset(b, pos);
        return Arrays.copyOfRange(b, off, off + dataLength(b, pos));
    }
}
