package org.opentwag.api.eap;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An EAP packet (RFC 3748 section 4): Code, Identifier, Length, and for Request/Response a Type and its data.
 * Plain Java, shared by the engine and every method.
 */
public record EapPacket(int code, int identifier, int type, byte[] typeData) {

    public static final int REQUEST = 1;
    public static final int RESPONSE = 2;
    public static final int SUCCESS = 3;
    public static final int FAILURE = 4;

    public static final int TYPE_IDENTITY = 1;
    public static final int TYPE_NOTIFICATION = 2;
    public static final int TYPE_NAK = 3;
    public static final int TYPE_AKA = 23;
    public static final int TYPE_AKA_PRIME = 50;

    /** Decodes one EAP packet; trailing bytes beyond Length are ignored as RFC 3748 allows (padding). */
    public static EapPacket decode(byte[] bytes) {
        if (bytes == null || bytes.length < 4) {
            throw new EapDecodeException("EAP packet shorter than its 4-byte header");
        }
        int code = bytes[0] & 0xff;
        int identifier = bytes[1] & 0xff;
        int length = ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        if (length < 4 || length > bytes.length) {
            throw new EapDecodeException("EAP Length " + length + " does not fit the " + bytes.length + " bytes received");
        }
        switch (code) {
            case SUCCESS, FAILURE -> {
                if (length != 4) {
                    throw new EapDecodeException("EAP Success/Failure with Length " + length + " (must be 4)");
                }
                return new EapPacket(code, identifier, 0, new byte[0]);
            }
            case REQUEST, RESPONSE -> {
                if (length < 5) {
                    throw new EapDecodeException("EAP Request/Response without a Type");
                }
                return new EapPacket(code, identifier, bytes[4] & 0xff, Arrays.copyOfRange(bytes, 5, length));
            }
            default -> throw new EapDecodeException("unknown EAP Code " + code);
        }
    }

    public byte[] encode() {
        boolean hasType = code == REQUEST || code == RESPONSE;
        int length = hasType ? 5 + typeData.length : 4;
        if (length > 0xffff) {
            throw new IllegalArgumentException("EAP packet too long: " + length);
        }
        ByteBuffer buf = ByteBuffer.allocate(length);
        buf.put((byte) code).put((byte) identifier).putShort((short) length);
        if (hasType) {
            buf.put((byte) type).put(typeData);
        }
        return buf.array();
    }

    public static EapPacket request(int identifier, int type, byte[] typeData) {
        return new EapPacket(REQUEST, identifier & 0xff, type, typeData);
    }

    public static EapPacket success(int identifier) {
        return new EapPacket(SUCCESS, identifier & 0xff, 0, new byte[0]);
    }

    public static EapPacket failure(int identifier) {
        return new EapPacket(FAILURE, identifier & 0xff, 0, new byte[0]);
    }

    /** Thrown for a packet that does not follow RFC 3748. */
    public static class EapDecodeException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public EapDecodeException(String message) {
            super(message);
        }
    }

    @Override
    public String toString() {
        return "EapPacket[code=" + code + ", id=" + identifier + ", type=" + type + ", " + typeData.length + " bytes]";
    }
}
