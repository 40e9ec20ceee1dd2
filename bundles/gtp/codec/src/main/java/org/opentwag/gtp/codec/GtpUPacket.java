package org.opentwag.gtp.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A GTP-U packet (TS 29.281 5.1): the 8-octet header, the optional sequence number / N-PDU number / next extension
 * header type word (when any of S, PN, E is set) and the payload. G-PDU (255) carries the phone's IP packet; Echo
 * Request/Response (1/2) carry a Recovery IE (type 14, TV, value 0 per TS 29.281 8.2); Error Indication (26) and End
 * Marker (254) complete the set a TWAN meets on S2a-U. Extension headers are kept as part of the payload offset but not
 * interpreted (a TWAN sends none).
 *
 * @param type     message type
 * @param teid     the receiver's TEID
 * @param sequence sequence number, or -1 when absent (S flag 0)
 * @param payload  the T-PDU of a G-PDU, or the IEs of a signalling message
 */
public record GtpUPacket(int type, long teid, int sequence, byte[] payload) {

    public static final int ECHO_REQUEST = 1;
    public static final int ECHO_RESPONSE = 2;
    public static final int ERROR_INDICATION = 26;
    public static final int END_MARKER = 254;
    public static final int G_PDU = 255;
    /** The GTP-U port (TS 29.281 4.4.2.3). */
    public static final int PORT = 2152;

    public GtpUPacket {
        if (type < 0 || type > 255 || teid < 0 || teid > 0xffffffffL || sequence < -1 || sequence > 0xffff) {
            throw new IllegalArgumentException("GTP-U header field out of range");
        }
    }

    /** A G-PDU carrying {@code ipPacket} to the peer's {@code teid}. */
    public static GtpUPacket gpdu(long teid, byte[] ipPacket) {
        return new GtpUPacket(G_PDU, teid, -1, ipPacket);
    }

    /** Echo Request/Response: TEID 0, a sequence number and (response) the Recovery IE with value 0. */
    public static GtpUPacket echo(boolean response, int sequence) {
        return new GtpUPacket(response ? ECHO_RESPONSE : ECHO_REQUEST, 0, sequence,
                response ? new byte[] {14, 0} : new byte[0]);
    }

    public byte[] encode() {
        boolean s = sequence >= 0;
        int optional = s ? 4 : 0;
        ByteBuffer b = ByteBuffer.allocate(8 + optional + payload.length);
        // version 1, PT 1 (GTP), E 0, S as needed, PN 0
        b.put((byte) (0x30 | (s ? 0x02 : 0))).put((byte) type).putShort((short) (optional + payload.length))
                .putInt((int) teid);
        if (s) {
            b.putShort((short) sequence).put((byte) 0).put((byte) 0);
        }
        return b.put(payload).array();
    }

    public static GtpUPacket decode(byte[] bytes) {
        if (bytes.length < 8) {
            throw new GtpDecodeException("shorter than a GTP-U header", 0);
        }
        int flags = bytes[0] & 0xff;
        if ((flags >>> 5) != 1 || (flags & 0x10) == 0) {
            throw new GtpDecodeException("not GTP-U version 1 (flags 0x" + Integer.toHexString(flags) + ")", 0);
        }
        int type = bytes[1] & 0xff;
        int length = ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        if (8 + length != bytes.length) {
            throw new GtpDecodeException("length " + length + " does not match the " + bytes.length + " octets", 2);
        }
        long teid = ByteBuffer.wrap(bytes, 4, 4).getInt() & 0xffffffffL;
        int p = 8;
        int sequence = -1;
        if ((flags & 0x07) != 0) {
            if (length < 4) {
                throw new GtpDecodeException("optional header word missing", 8);
            }
            if ((flags & 0x02) != 0) {
                sequence = ((bytes[8] & 0xff) << 8) | (bytes[9] & 0xff);
            }
            int next = bytes[11] & 0xff;
            p = 12;
            // TS 29.281 5.2: extension headers, each a length in 4-octet units ending with the next type
            while ((flags & 0x04) != 0 && next != 0) {
                if (p >= bytes.length) {
                    throw new GtpDecodeException("extension header runs past the packet", p);
                }
                int units = bytes[p] & 0xff;
                if (units == 0 || p + units * 4 > bytes.length) {
                    throw new GtpDecodeException("extension header of " + units + " units", p);
                }
                next = bytes[p + units * 4 - 1] & 0xff;
                p += units * 4;
            }
        }
        return new GtpUPacket(type, teid, sequence, Arrays.copyOfRange(bytes, p, bytes.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GtpUPacket g && g.type == type && g.teid == teid && g.sequence == sequence
                && Arrays.equals(g.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(teid) * 31 + Arrays.hashCode(payload);
    }
}
