package org.opentwag.gtp.codec;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A GTPv2-C message (TS 29.274 5.1, 5.5): header and top-level IEs. Echo and Version Not Supported have no TEID
 * (T flag 0); every other S2a message carries one, 0 in an initial Create Session Request.
 *
 * @param type       message type ({@link MessageType})
 * @param teidPresent the T flag
 * @param teid       the receiver's TEID (when {@code teidPresent}), 0..2^32-1
 * @param sequence   24-bit sequence number: a response copies its request's
 * @param ies        the IEs in order
 */
public record GtpV2Message(int type, boolean teidPresent, long teid, int sequence, List<InformationElement> ies) {

    public static final int VERSION = 2;
    public static final int MAX_SEQUENCE = 0xffffff;

    public GtpV2Message {
        if (type < 0 || type > 255 || sequence < 0 || sequence > MAX_SEQUENCE || teid < 0 || teid > 0xffffffffL) {
            throw new IllegalArgumentException("header field out of range");
        }
        ies = List.copyOf(ies);
    }

    /** A message without TEID (Echo). */
    public static GtpV2Message withoutTeid(int type, int sequence, List<InformationElement> ies) {
        return new GtpV2Message(type, false, 0, sequence, ies);
    }

    public static GtpV2Message withTeid(int type, long teid, int sequence, List<InformationElement> ies) {
        return new GtpV2Message(type, true, teid, sequence, ies);
    }

    public Optional<InformationElement> ie(int ieType, int instance) {
        return InformationElement.find(ies, ieType, instance);
    }

    public Optional<InformationElement> ie(int ieType) {
        return ie(ieType, 0);
    }

    /** The Cause IE (instance 0), which every S2a response carries. */
    public Optional<Cause> cause() {
        return ie(IeType.CAUSE).map(Cause::from);
    }

    public byte[] encode() {
        byte[] body = InformationElement.encodeAll(ies);
        int header = teidPresent ? 12 : 8;
        int length = header - 4 + body.length;
        if (length > 0xffff) {
            throw new IllegalArgumentException("message longer than 65535 octets");
        }
        ByteBuffer b = ByteBuffer.allocate(header + body.length);
        b.put((byte) ((VERSION << 5) | (teidPresent ? 0x08 : 0))).put((byte) type).putShort((short) length);
        if (teidPresent) {
            b.putInt((int) teid);
        }
        b.put((byte) (sequence >>> 16)).put((byte) (sequence >>> 8)).put((byte) sequence).put((byte) 0);
        return b.put(body).array();
    }

    /**
     * Decodes one message. A piggybacked message (P flag, TS 29.274 5.5.1) follows the first: it is not part of this
     * message and is ignored; without the P flag trailing octets are an error.
     */
    public static GtpV2Message decode(byte[] bytes) {
        if (bytes.length < 8) {
            throw new GtpDecodeException("shorter than a GTPv2-C header", 0);
        }
        int flags = bytes[0] & 0xff;
        int version = flags >>> 5;
        if (version != VERSION) {
            throw new VersionNotSupported(version);
        }
        boolean piggybacked = (flags & 0x10) != 0;
        boolean t = (flags & 0x08) != 0;
        int type = bytes[1] & 0xff;
        int length = ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        int header = t ? 12 : 8;
        if (length + 4 < header) {
            throw new GtpDecodeException("length " + length + " shorter than the header", 2);
        }
        if (length + 4 > bytes.length) {
            throw new GtpDecodeException("length " + length + " beyond the " + bytes.length + " octets received", 2);
        }
        if (!piggybacked && length + 4 != bytes.length) {
            throw new GtpDecodeException((bytes.length - length - 4) + " octets after the message", length + 4);
        }
        long teid = 0;
        int p = 4;
        if (t) {
            teid = ((bytes[4] & 0xffL) << 24) | ((bytes[5] & 0xff) << 16) | ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
            p = 8;
        }
        int seq = ((bytes[p] & 0xff) << 16) | ((bytes[p + 1] & 0xff) << 8) | (bytes[p + 2] & 0xff);
        List<InformationElement> ies = InformationElement.decodeAll(bytes, header, length + 4, 0);
        return new GtpV2Message(type, t, teid, seq, ies);
    }

    /** A header whose version is not 2: TS 29.274 7.7.1 answers with Version Not Supported. */
    public static final class VersionNotSupported extends GtpDecodeException {
        private static final long serialVersionUID = 1L;

        public VersionNotSupported(int version) {
            super("GTP version " + version + " is not supported", 0);
        }
    }

    @Override
    public String toString() {
        return MessageType.name(type) + (teidPresent ? "[teid=0x" + Long.toHexString(teid) : "[") + " seq=" + sequence
                + " " + ies + "]";
    }
}
