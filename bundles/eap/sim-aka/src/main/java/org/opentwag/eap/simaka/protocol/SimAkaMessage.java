package org.opentwag.eap.simaka.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Type-Data of an EAP-SIM, EAP-AKA or EAP-AKA' packet (RFC 4186 section 8.1, RFC 4187 section 8.1, one format
 * for the three): Subtype, two reserved bytes, then attributes of Type, Length (in 4-byte words, header included)
 * and value. Values here are the bytes after the two-byte attribute header, as the RFC draws them (reserved or
 * length fields included).
 */
public record SimAkaMessage(int subtype, List<Attribute> attributes) {

    // Subtypes of EAP-AKA/AKA' (RFC 4187 section 11).
    public static final int CHALLENGE = 1;
    public static final int AUTHENTICATION_REJECT = 2;
    public static final int SYNCHRONIZATION_FAILURE = 4;
    public static final int IDENTITY = 5;
    public static final int NOTIFICATION = 12;
    public static final int REAUTHENTICATION = 13;
    public static final int CLIENT_ERROR = 14;
    // Subtypes only EAP-SIM uses (RFC 4186 section 11); Notification, Re-authentication and Client-Error are shared.
    public static final int SIM_START = 10;
    public static final int SIM_CHALLENGE = 11;

    // Attribute types (RFC 4186 and RFC 4187 section 11, RFC 5448 section 6, RFC 9048).
    public static final int AT_RAND = 1;
    public static final int AT_AUTN = 2;
    public static final int AT_RES = 3;
    public static final int AT_AUTS = 4;
    public static final int AT_PADDING = 6;
    public static final int AT_NONCE_MT = 7;
    public static final int AT_PERMANENT_ID_REQ = 10;
    public static final int AT_MAC = 11;
    public static final int AT_NOTIFICATION = 12;
    public static final int AT_ANY_ID_REQ = 13;
    public static final int AT_IDENTITY = 14;
    public static final int AT_VERSION_LIST = 15;
    public static final int AT_SELECTED_VERSION = 16;
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
    private static final int[] KNOWN = {AT_RAND, AT_AUTN, AT_RES, AT_AUTS, AT_PADDING, AT_NONCE_MT,
            AT_PERMANENT_ID_REQ, AT_MAC, AT_NOTIFICATION, AT_ANY_ID_REQ, AT_IDENTITY, AT_VERSION_LIST,
            AT_SELECTED_VERSION, AT_FULLAUTH_ID_REQ, AT_COUNTER, AT_COUNTER_TOO_SMALL, AT_NONCE_S,
            AT_CLIENT_ERROR_CODE, AT_KDF_INPUT, AT_KDF};

    /** One attribute: its type and the bytes after its Type and Length octets. */
    public record Attribute(int type, byte[] value) {
        public Attribute {
            if ((value.length + 2) % 4 != 0) {
                throw new IllegalArgumentException("attribute " + type + " value of " + value.length
                        + " bytes does not fill whole 4-byte words");
            }
        }
    }

    public SimAkaMessage {
        attributes = List.copyOf(attributes);
    }

    /** Decodes Type-Data (everything after the EAP Type octet). */
    public static SimAkaMessage decode(byte[] typeData) {
        if (typeData.length < 3) {
            throw new SimAkaDecodeException("EAP-SIM/AKA Type-Data shorter than Subtype and Reserved");
        }
        int subtype = typeData[0] & 0xff;
        List<Attribute> attrs = new ArrayList<>();
        int pos = 3;
        while (pos < typeData.length) {
            if (pos + 2 > typeData.length) {
                throw new SimAkaDecodeException("truncated attribute header at offset " + pos);
            }
            int type = typeData[pos] & 0xff;
            int words = typeData[pos + 1] & 0xff;
            if (words == 0) {
                throw new SimAkaDecodeException("attribute " + type + " with Length 0 at offset " + pos);
            }
            int end = pos + words * 4;
            if (end > typeData.length) {
                throw new SimAkaDecodeException("attribute " + type + " Length " + words + " runs past the packet");
            }
            if (type < 128 && Arrays.stream(KNOWN).noneMatch(k -> k == type)) {
                // RFC 4187 8.1: a non-skippable attribute we do not know makes the whole message unusable.
                throw new SimAkaDecodeException("unknown non-skippable attribute " + type);
            }
            checkLength(type, words);
            attrs.add(new Attribute(type, Arrays.copyOfRange(typeData, pos + 2, end)));
            pos = end;
        }
        return new SimAkaMessage(subtype, attrs);
    }

    /**
     * The Length (in 4-byte words) RFC 4186/4187 section 10 fix for an attribute, so that readers can rely on it:
     * found by fuzzing, an AT_IV of the wrong size reached AES as a bad IV and threw IllegalStateException. AT_RAND
     * holds one RAND in EAP-AKA and two or three in EAP-SIM (RFC 4186 10.9); {@link #rands} checks the count.
     */
    private static void checkLength(int type, int words) {
        boolean ok = switch (type) {
            case AT_AUTN, AT_MAC, AT_IV, AT_NONCE_S, AT_NONCE_MT -> words == 5;
            case AT_RAND -> words == 5 || words == 9 || words == 13;
            case AT_AUTS -> words == 4;
            case AT_PERMANENT_ID_REQ, AT_ANY_ID_REQ, AT_FULLAUTH_ID_REQ, AT_NOTIFICATION, AT_COUNTER,
                 AT_COUNTER_TOO_SMALL, AT_CLIENT_ERROR_CODE, AT_KDF, AT_RESULT_IND, AT_BIDDING,
                 AT_SELECTED_VERSION -> words == 1;
            // empty, SHA-1 (EAP-AKA) or SHA-256 (EAP-AKA') hash
            case AT_CHECKCODE -> words == 1 || words == 6 || words == 9;
            // whole AES blocks after two reserved octets
            case AT_ENCR_DATA -> words >= 5 && (words * 4 - 4) % 16 == 0;
            // Actual Length in bytes, then 2-byte versions (RFC 4186 10.2)
            case AT_VERSION_LIST -> words >= 2;
            case AT_RES, AT_IDENTITY, AT_KDF_INPUT, AT_NEXT_PSEUDONYM, AT_NEXT_REAUTH_ID, AT_PADDING -> true;
            default -> true;
        };
        if (!ok) {
            throw new SimAkaDecodeException("attribute " + type + " with Length " + words
                    + " (RFC 4186/4187 section 10 fix another)");
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
            throw new SimAkaDecodeException("attribute " + a.type() + " Actual Length " + len + " exceeds its value");
        }
        return Arrays.copyOfRange(a.value(), 2, 2 + len);
    }

    /** The RES of AT_RES, checking that the length in bits is whole bytes between 32 and 128 (RFC 4187 10.8). */
    public static byte[] resOf(Attribute a) {
        int bits = shortOf(a);
        if (bits % 8 != 0 || bits < 32 || bits > 128 || bits / 8 > a.value().length - 2) {
            throw new SimAkaDecodeException("AT_RES length of " + bits + " bits is not valid");
        }
        return Arrays.copyOfRange(a.value(), 2, 2 + bits / 8);
    }

    /**
     * The RANDs of AT_RAND: one for EAP-AKA, two or three distinct ones for EAP-SIM (RFC 4186 10.9: a peer rejects
     * repeated RANDs), each 16 bytes.
     */
    public static List<byte[]> rands(Attribute a) {
        byte[] data = afterReserved(a);
        List<byte[]> out = new ArrayList<>(data.length / 16);
        for (int i = 0; i + 16 <= data.length; i += 16) {
            out.add(Arrays.copyOfRange(data, i, i + 16));
        }
        return out;
    }

    /** AT_VERSION_LIST (RFC 4186 10.2): Actual Length of the list in bytes, then 2-byte versions, padded. */
    public static Attribute versionList(int... versions) {
        byte[] list = new byte[versions.length * 2];
        for (int i = 0; i < versions.length; i++) {
            list[2 * i] = (byte) (versions[i] >> 8);
            list[2 * i + 1] = (byte) versions[i];
        }
        return lengthPrefixed(AT_VERSION_LIST, list);
    }

    /** The versions of AT_VERSION_LIST, in the order listed. */
    public static int[] versionsOf(Attribute a) {
        byte[] list = lengthPrefixedData(a);
        if (list.length == 0 || list.length % 2 != 0) {
            throw new SimAkaDecodeException("AT_VERSION_LIST of " + list.length + " octets");
        }
        int[] out = new int[list.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((list[2 * i] & 0xff) << 8) | (list[2 * i + 1] & 0xff);
        }
        return out;
    }

    /** Thrown for Type-Data that does not follow RFC 4186/4187. */
    public static final class SimAkaDecodeException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public SimAkaDecodeException(String message) {
            super(message);
        }
    }
}
