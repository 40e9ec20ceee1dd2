package org.opentwag.diameter.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Strict RFC 6733 decoding. Every length is checked against its container before it is used, so a
 * malformed message ends in a {@link DiameterDecodeException} naming the AVP and offset, never in an
 * IndexOutOfBoundsException or a loop.
 */
final class MessageDecoder {
    /** Deeper nesting than this is an attack, not a message (3GPP grouped AVPs nest 4-5 levels). */
    static final int MAX_GROUPED_DEPTH = 16;

    private MessageDecoder() {
    }

    /**
     * Checks the whole message, nested Grouped AVPs included, and keeps it as bytes: the message reads its AVPs in
     * place ({@link AvpReader}) and makes {@link Avp} objects only when asked for them.
     */
    static DiameterMessage decode(byte[] b, DiameterDictionary dictionary) {
        if (b.length < DiameterHeader.LENGTH) {
            DiameterHeader.read(b, 0, b.length); // throws the "shorter than the header" error
        }
        int version = b[0] & 0xff;
        int messageLength = Bytes.u24(b, 1);
        int flags = b[4] & 0xff;
        if (version != 1) {
            throw error(ResultCodes.DIAMETER_UNSUPPORTED_VERSION, "Diameter version " + version + " is not 1", b, 0);
        }
        if (messageLength != b.length) {
            throw error(ResultCodes.DIAMETER_INVALID_MESSAGE_LENGTH, "Message Length field says " + messageLength
                    + " octets but the message has " + b.length, b, 1);
        }
        if (messageLength % 4 != 0) {
            throw error(ResultCodes.DIAMETER_INVALID_MESSAGE_LENGTH, "Message Length " + messageLength
                    + " is not a multiple of 4", b, 1);
        }
        if ((flags & DiameterMessage.FLAG_REQUEST) != 0 && (flags & DiameterMessage.FLAG_ERROR) != 0) {
            throw error(ResultCodes.DIAMETER_INVALID_HDR_BITS, "request with the 'E' bit set", b, 4);
        }
        try {
            scan(b, DiameterHeader.LENGTH, b.length, dictionary, 0, "message", null);
        } catch (DiameterDecodeException e) {
            throw e.withHeader(DiameterHeader.read(b, 0, b.length));
        }
        return new DiameterMessage(flags & 0xf0, Bytes.u24(b, 5), Bytes.u32(b, 8), Bytes.i32(b, 12), Bytes.i32(b, 16),
                b, dictionary);
    }

    private static DiameterDecodeException error(long resultCode, String message, byte[] b, int offset) {
        return error(resultCode, message, DiameterHeader.read(b, 0, b.length), offset);
    }

    private static DiameterDecodeException error(long resultCode, String message, DiameterHeader h, int offset) {
        return new DiameterDecodeException(resultCode, message, h, -1, 0, offset, null);
    }

    /**
     * Parses the AVPs in {@code b[start, end)}.
     *
     * @param container "message" or the enclosing Grouped AVP's definition, for the error text only (its name is
     *                  built when there is an error, not for every Grouped AVP decoded)
     */
    static List<Avp> parseAvps(byte[] b, int start, int end, DiameterDictionary dictionary, int depth, Object container) {
        List<Avp> out = new ArrayList<>(Math.max(4, (end - start) / 24));
        scan(b, start, end, dictionary, depth, container, out);
        return Collections.unmodifiableList(out);
    }

    /**
     * Checks the AVPs in {@code b[start, end)}, Grouped members included, and adds them to {@code out} (with their
     * members) unless it is null: a decoded message is only checked, its AVPs are made when asked for.
     */
    private static void scan(byte[] b, int start, int end, DiameterDictionary dictionary, int depth, Object container,
                             List<Avp> out) {
        if (depth > MAX_GROUPED_DEPTH) {
            throw new DiameterDecodeException(ResultCodes.DIAMETER_INVALID_AVP_VALUE,
                    "Grouped AVPs nested deeper than " + MAX_GROUPED_DEPTH + " levels at offset " + start, null, -1, 0, start, null);
        }
        Object where = container == null ? "Grouped AVP" : container;
        int pos = start;
        while (pos < end) {
            int left = end - pos;
            if (left < 8) {
                throw new DiameterDecodeException(ResultCodes.DIAMETER_INVALID_AVP_LENGTH,
                        "truncated AVP header at offset " + pos + ": " + left + " octets left in the " + where, null, -1, 0, pos, null);
            }
            int code = Bytes.i32(b, pos);
            int flags = b[pos + 4] & 0xff;
            int length = Bytes.u24(b, pos + 5);
            boolean vendorBit = (flags & Avp.FLAG_VENDOR) != 0;
            int headerLength = vendorBit ? 12 : 8;
            if (left < headerLength) {
                throw new DiameterDecodeException(ResultCodes.DIAMETER_INVALID_AVP_LENGTH,
                        "truncated AVP " + code + " at offset " + pos + ": its vendor id does not fit in the " + where,
                        null, code, 0, pos, null);
            }
            int vendorId = vendorBit ? Bytes.i32(b, pos + 8) : 0;
            AvpDefinition def = dictionary.avpOrNull(code, vendorId);
            if (length < headerLength) {
                throw lengthError(avpName(def, code, vendorId) + " at offset " + pos + " has length " + length + ", shorter than its "
                        + headerLength + "-octet header", def, code, flags, vendorId, pos);
            }
            if (length > left) {
                throw lengthError(avpName(def, code, vendorId) + " at offset " + pos + " has length " + length + " but only " + left
                        + " octets are left in the " + where, def, code, flags, vendorId, pos);
            }
            int dataOffset = pos + headerLength;
            int dataLength = length - headerLength;
            List<Avp> children = null;
            if (def != null) {
                int fixed = def.format().fixedLength();
                if (fixed >= 0 && dataLength != fixed) {
                    throw new DiameterDecodeException(ResultCodes.DIAMETER_INVALID_AVP_LENGTH, avpName(def, code, vendorId) + " at offset " + pos
                            + " has " + dataLength + " octets of data, its format " + def.format() + " needs " + fixed,
                            null, code, vendorId, pos, copyOf(def, code, flags, vendorId, b, dataOffset, dataLength));
                }
                if (def.format() == AvpFormat.ADDRESS) {
                    checkAddress(def, code, flags, vendorId, b, pos, dataOffset, dataLength);
                } else if (def.format() == AvpFormat.UTF8_STRING || def.format() == AvpFormat.DIAMETER_IDENTITY
                        || def.format() == AvpFormat.DIAMETER_URI) {
                    checkUtf8(def, code, flags, vendorId, b, pos, dataOffset, dataLength);
                } else if (def.format() == AvpFormat.GROUPED) {
                    if (out != null) {
                        children = parseAvps(b, dataOffset, dataOffset + dataLength, dictionary, depth + 1, def);
                    } else {
                        scan(b, dataOffset, dataOffset + dataLength, dictionary, depth + 1, def, null);
                    }
                }
            }
            if (out != null) {
                out.add(Avp.decoded(def, code, flags, vendorId, b, dataOffset, dataLength, children));
            }
            // Inside a Grouped AVP a peer may omit the last member's padding; the message length is
            // a multiple of 4 (checked above), so at top level the padding is always there.
            pos = Math.min(pos + ((length + 3) & ~3), end);
        }
    }

    /**
     * RFC 6733 4.3.1: text AVPs are UTF-8. Checked here, so that a bad Session-Id or Origin-Host is answered with
     * 5004 and Failed-AVP like any malformed AVP, instead of failing later where the stack reads it (found by
     * fuzzing: Avp.utf8() threw from inside the peer's request handling).
     */
    /** The AVP's name for error messages; built only when there is an error to report. */
    private static String avpName(AvpDefinition def, int code, int vendorId) {
        return def != null ? def.toString() : "AVP " + code + (vendorId != 0 ? "/" + Integer.toUnsignedString(vendorId) : "");
    }

    private static void checkUtf8(AvpDefinition def, int code, int flags, int vendorId, byte[] b, int pos,
                                  int dataOffset, int dataLength) {
        int end = dataOffset + dataLength;
        for (int i = dataOffset; i < end; i++) {
            if (b[i] < 0) {
                try {
                    java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                            .decode(java.nio.ByteBuffer.wrap(b, dataOffset, dataLength));
                } catch (java.nio.charset.CharacterCodingException e) {
                    throw new DiameterDecodeException(ResultCodes.DIAMETER_INVALID_AVP_VALUE, avpName(def, code, vendorId) + " at offset " + pos
                            + " is not valid UTF-8", null, code, vendorId, pos,
                            copyOf(def, code, flags, vendorId, b, dataOffset, dataLength));
                }
                return;
            }
        }
    }

    private static void checkAddress(AvpDefinition def, int code, int flags, int vendorId, byte[] b, int pos,
                                     int dataOffset, int dataLength) {
        if (dataLength < 2) {
            throw new DiameterDecodeException(ResultCodes.DIAMETER_INVALID_AVP_LENGTH, avpName(def, code, vendorId) + " at offset " + pos
                    + " has " + dataLength + " octets, an Address needs at least its 2-octet family", null, code, vendorId, pos,
                    copyOf(def, code, flags, vendorId, b, dataOffset, dataLength));
        }
        int family = (b[dataOffset] & 0xff) << 8 | (b[dataOffset + 1] & 0xff);
        int expected = family == Avp.ADDRESS_FAMILY_IPV4 ? 6 : family == Avp.ADDRESS_FAMILY_IPV6 ? 18 : -1;
        if (expected > 0 && dataLength != expected) {
            throw new DiameterDecodeException(ResultCodes.DIAMETER_INVALID_AVP_LENGTH, avpName(def, code, vendorId) + " at offset " + pos
                    + " has " + (dataLength - 2) + " address octets for family " + family + ", expected " + (expected - 2),
                    null, code, vendorId, pos, copyOf(def, code, flags, vendorId, b, dataOffset, dataLength));
        }
    }

    /**
     * RFC 6733 7.5: when the length is below the header or beyond the message, Failed-AVP carries the
     * header and a zero-filled payload of the minimum length for the data type.
     */
    private static DiameterDecodeException lengthError(String message, AvpDefinition def, int code, int flags, int vendorId, int pos) {
        int minimum = def != null ? Math.max(0, def.format().fixedLength()) : 0;
        Avp failed = Avp.decoded(def, code, flags, vendorId, new byte[minimum], 0, minimum, null);
        return new DiameterDecodeException(ResultCodes.DIAMETER_INVALID_AVP_LENGTH, message, null, code, vendorId, pos, failed);
    }

    private static Avp copyOf(AvpDefinition def, int code, int flags, int vendorId, byte[] b, int offset, int length) {
        byte[] copy = new byte[length];
        System.arraycopy(b, offset, copy, 0, length);
        return Avp.decoded(def, code, flags, vendorId, copy, 0, length, null);
    }
}
