package org.opentwag.eap.aka.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Type-Data of an EAP-AKA / EAP-AKA' packet (RFC 4187 section 8.1): Subtype, two reserved bytes, then
 * attributes of Type, Length (in 4-byte words, header included) and value. Values here are the bytes after the
 * two-byte attribute header, as the RFC draws them (reserved or length fields included).
 */
public record AkaMessage(int subtype, List<Attribute> attributes) {

    // Subtypes (RFC 4187 section 11).
    public static final int CHALLENGE = 1;
    public static final int AUTHENTICATION_REJECT = 2;
    public static final int SYNCHRONIZATION_FAILURE = 4;
    public static final int IDENTITY = 5;
    public static final int NOTIFICATION = 12;
    public static final int REAUTHENTICATION = 13;
    public static final int CLIENT_ERROR = 14;

    // Attribute types (RFC 4187 section 11, RFC 5448 section 6, RFC 9048).
    public static final int AT_RAND = 1;
    public static final int AT_AUTN = 2;
    public static final int AT_RES = 3;
    public static final int AT_AUTS = 4;
    public static final int AT_PADDING = 6;
    public static final int AT_PERMANENT_ID_REQ = 10;
    public static final int AT_MAC = 11;
    public static final int AT_NOTIFICATION = 12;
    public static final int AT_ANY_ID_REQ = 13;
    public static final int AT_IDENTITY = 14;
    public static final int AT_FULLAUTH_ID_REQ = 17;
    public static final int AT_COUNTER = 19;
    public static final int AT_COUNTER_TOO_SMALL = 20;
    public static final int AT_NONCE_S = 21;
    public static final int AT_CLIENT_ERROR_CODE = 22;
    public static final int AT_KDF_INPUT = 23;
    public static final int AT_KDF = 24;
    public static final int AT_IV = 129;
    public static final int AT_ENCR_DATA = 130;
    public static final int AT_NEXT_PSEUDONYM = 132;
    public static final int AT_NEXT_REAUTH_ID = 133;
    public static final int AT_CHECKCODE = 134;
    public static final int AT_RESULT_IND = 135;
    public static final int AT_BIDDING = 136;

    /** Attribute types this implementation understands; others below 128 make a message unusable (8.1). */
    private static final int[] KNOWN = {AT_RAND, AT_AUTN, AT_RES, AT_AUTS, AT_PADDING, AT_PERMANENT_ID_REQ, AT_MAC,
            AT_NOTIFICATION, AT_ANY_ID_REQ, AT_IDENTITY, AT_FULLAUTH_ID_REQ, AT_COUNTER, AT_COUNTER_TOO_SMALL,
            AT_NONCE_S, AT_CLIENT_ERROR_CODE, AT_KDF_INPUT, AT_KDF};

    /** One attribute: its type and the bytes after its Type and Length octets. */
    public record Attribute(int type, byte[] value) {
        public Attribute {
            if ((value.length + 2) % 4 != 0) {
                throw new IllegalArgumentException("attribute " + type + " value of " + value.length
                        + " bytes does not fill whole 4-byte words");
            }
        }
    }

    public AkaMessage {
        attributes = List.copyOf(attributes);
    }

    /** Decodes Type-Data (everything after the EAP Type octet). */
    public static AkaMessage decode(byte[] typeData) {
        if (typeData.length < 3) {
            throw new AkaDecodeException("EAP-AKA Type-Data shorter than Subtype and Reserved");
        }
        int subtype = typeData[0] & 0xff;
        List<Attribute> attrs = new ArrayList<>();
        int pos = 3;
        while (pos < typeData.length) {
            if (pos + 2 > typeData.length) {
                throw new AkaDecodeException("truncated attribute header at offset " + pos);
            }
            int type = typeData[pos] & 0xff;
            int words = typeData[pos + 1] & 0xff;
            if (words == 0) {
                throw new AkaDecodeException("attribute " + type + " with Length 0 at offset " + pos);
            }
            int end = pos + words * 4;
            if (end > typeData.length) {
                throw new AkaDecodeException("attribute " + type + " Length " + words + " runs past the packet");
            }
            if (type < 128 && Arrays.stream(KNOWN).noneMatch(k -> k == type)) {
                // RFC 4187 8.1: a non-skippable attribute we do not know makes the whole message unusable.
                throw new AkaDecodeException("unknown non-skippable attribute " + type);
            }
            checkLength(type, words);
            attrs.add(new Attribute(type, Arrays.copyOfRange(typeData, pos + 2, end)));
            pos = end;
        }
        return new AkaMessage(subtype, attrs);
    }

    /**
     * The Length (in 4-byte words) RFC 4187 section 10 fixes for an attribute, so that readers can rely on it: found
     * by fuzzing, an AT_IV of the wrong size reached AES as a bad IV and threw IllegalStateException.
     */
    private static void checkLength(int type, int words) {
        boolean ok = switch (type) {
            case AT_RAND, AT_AUTN, AT_MAC, AT_IV, AT_NONCE_S -> words == 5;
            case AT_AUTS -> words == 4;
            case AT_PERMANENT_ID_REQ, AT_ANY_ID_REQ, AT_FULLAUTH_ID_REQ, AT_NOTIFICATION, AT_COUNTER,
                 AT_COUNTER_TOO_SMALL, AT_CLIENT_ERROR_CODE, AT_KDF, AT_RESULT_IND, AT_BIDDING -> words == 1;
            // empty, SHA-1 (EAP-AKA) or SHA-256 (EAP-AKA') hash
            case AT_CHECKCODE -> words == 1 || words == 6 || words == 9;
            // whole AES blocks after two reserved octets
            case AT_ENCR_DATA -> words >= 5 && (words * 4 - 4) % 16 == 0;
            case AT_RES, AT_IDENTITY, AT_KDF_INPUT, AT_NEXT_PSEUDONYM, AT_NEXT_REAUTH_ID, AT_PADDING -> true;
            default -> true;
        };
        if (!ok) {
            throw new AkaDecodeException("attribute " + type + " with Length " + words + " (RFC 4187 section 10 fixes another)");
        }
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(subtype);
        out.write(0);
        out.write(0);
        for (Attribute a : attributes) {
            int words = (a.value().length + 2) / 4;
            if (words > 255) {
                throw new IllegalArgumentException("attribute " + a.type() + " too long");
            }
            out.write(a.type());
            out.write(words);
            out.writeBytes(a.value());
        }
        return out.toByteArray();
    }

    public Optional<Attribute> attribute(int type) {
        for (Attribute a : attributes) {
            if (a.type() == type) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public boolean has(int type) {
        return attribute(type).isPresent();
    }

    /** Position of an attribute's value within the encoded Type-Data, or -1 (used to zero AT_MAC). */
    public static int valueOffset(byte[] typeData, int type) {
        int pos = 3;
        while (pos + 2 <= typeData.length) {
            if ((typeData[pos] & 0xff) == type) {
                return pos + 2;
            }
            int words = typeData[pos + 1] & 0xff;
            if (words == 0) {
                return -1;
            }
            pos += words * 4;
        }
        return -1;
    }

    // ---- Value builders and readers for the formats of RFC 4187 section 10 ----

    /** Two reserved bytes then the data (AT_RAND, AT_AUTN, AT_MAC, AT_IV, AT_NONCE_S, AT_ENCR_DATA...). */
    public static Attribute reservedThen(int type, byte[] data) {
        byte[] v = new byte[2 + data.length];
        System.arraycopy(data, 0, v, 2, data.length);
        return new Attribute(type, v);
    }

    /** A two-byte value (AT_COUNTER, AT_NOTIFICATION, AT_KDF, AT_BIDDING, AT_CLIENT_ERROR_CODE). */
    public static Attribute shortValue(int type, int value) {
        return new Attribute(type, new byte[]{(byte) (value >> 8), (byte) value});
    }

    /** A flag attribute with two reserved bytes (AT_ANY_ID_REQ, AT_RESULT_IND, AT_COUNTER_TOO_SMALL...). */
    public static Attribute flag(int type) {
        return new Attribute(type, new byte[2]);
    }

    /** Actual Length (bytes) then the data, zero-padded to 4 bytes (AT_IDENTITY, AT_KDF_INPUT, AT_NEXT_*). */
    public static Attribute lengthPrefixed(int type, byte[] data) {
        int padded = (data.length + 2 + 2 + 3) / 4 * 4 - 2;
        byte[] v = new byte[padded];
        v[0] = (byte) (data.length >> 8);
        v[1] = (byte) data.length;
        System.arraycopy(data, 0, v, 2, data.length);
        return new Attribute(type, v);
    }

    public static Attribute lengthPrefixed(int type, String text) {
        return lengthPrefixed(type, text.getBytes(StandardCharsets.UTF_8));
    }

    /** AT_RES: RES Length in bits, then RES padded (RFC 4187 10.8). */
    public static Attribute res(byte[] res) {
        int padded = (res.length + 2 + 2 + 3) / 4 * 4 - 2;
        byte[] v = new byte[padded];
        int bits = res.length * 8;
        v[0] = (byte) (bits >> 8);
        v[1] = (byte) bits;
        System.arraycopy(res, 0, v, 2, res.length);
        return new Attribute(AT_RES, v);
    }

    public static byte[] afterReserved(Attribute a) {
        return Arrays.copyOfRange(a.value(), 2, a.value().length);
    }

    public static int shortOf(Attribute a) {
        return ((a.value()[0] & 0xff) << 8) | (a.value()[1] & 0xff);
    }

    public static byte[] lengthPrefixedData(Attribute a) {
        int len = shortOf(a);
        if (len > a.value().length - 2) {
            throw new AkaDecodeException("attribute " + a.type() + " Actual Length " + len + " exceeds its value");
        }
        return Arrays.copyOfRange(a.value(), 2, 2 + len);
    }

    /** The RES of AT_RES, checking that the length in bits is whole bytes between 32 and 128 (RFC 4187 10.8). */
    public static byte[] resOf(Attribute a) {
        int bits = shortOf(a);
        if (bits % 8 != 0 || bits < 32 || bits > 128 || bits / 8 > a.value().length - 2) {
            throw new AkaDecodeException("AT_RES length of " + bits + " bits is not valid");
        }
        return Arrays.copyOfRange(a.value(), 2, 2 + bits / 8);
    }

    /** Thrown for Type-Data that does not follow RFC 4187. */
    public static final class AkaDecodeException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public AkaDecodeException(String message) {
            super(message);
        }
    }
}
