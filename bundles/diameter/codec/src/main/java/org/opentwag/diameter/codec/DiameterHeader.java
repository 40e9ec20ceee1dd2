package org.opentwag.diameter.codec;

/**
 * The fixed 20-octet Diameter header (RFC 6733 section 3), as read from the wire. A
 * {@link DiameterDecodeException} carries it when the header was readable, so the receiver of a malformed
 * request can still answer it with the right hop-by-hop and end-to-end identifiers.
 */
public record DiameterHeader(int version, int messageLength, int flags, int commandCode, long applicationId,
                             int hopByHop, int endToEnd) {

    public static final int LENGTH = 20;

    public boolean isRequest() {
        return (flags & DiameterMessage.FLAG_REQUEST) != 0;
    }

    public boolean isProxiable() {
        return (flags & DiameterMessage.FLAG_PROXIABLE) != 0;
    }

    /**
     * Reads the header fields from the first 20 octets without checking them.
     *
     * @throws DiameterDecodeException when fewer than 20 octets are given
     */
    public static DiameterHeader read(byte[] data, int offset, int length) {
        if (length < LENGTH) {
            throw new DiameterDecodeException(ResultCodes.DIAMETER_INVALID_MESSAGE_LENGTH,
                    "Diameter message of " + length + " octets is shorter than the 20-octet header", null, -1, 0, 0, null);
        }
        return new DiameterHeader(data[offset] & 0xff, Bytes.u24(data, offset + 1), data[offset + 4] & 0xff,
                Bytes.u24(data, offset + 5), Bytes.u32(data, offset + 8), Bytes.i32(data, offset + 12),
                Bytes.i32(data, offset + 16));
    }
}
