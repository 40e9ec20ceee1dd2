package org.opentwag.diameter.codec;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One Diameter AVP (RFC 6733 section 4.1): code, flags, optional vendor id and data, or, for a Grouped AVP,
 * its member AVPs. Immutable.
 *
 * <p>A decoded AVP keeps a view on the received message bytes instead of copying them; the accessors
 * ({@link #utf8()}, {@link #unsigned32()}, ...) read the value when asked. A Grouped AVP that a message's
 * {@link DiameterMessage#find(AvpDefinition)} hands out reads its members in place too ({@link #find(AvpDefinition)},
 * {@link #memberOctets(AvpDefinition)}, {@link #memberUnsigned32(AvpDefinition, long)}...), making member objects
 * only for what is asked. The factory methods
 * ({@link #utf8(AvpDefinition, String)}, {@link #unsigned32(AvpDefinition, long)}, ...) take the flags and
 * vendor from the {@link AvpDefinition} and refuse a definition whose format does not fit the value.
 */
public final class Avp {
    public static final int FLAG_VENDOR = 0x80;
    public static final int FLAG_MANDATORY = 0x40;
    public static final int FLAG_PROTECTED = 0x20;

    /** IANA address family numbers used by the Address format. */
    public static final int ADDRESS_FAMILY_IPV4 = 1;
    public static final int ADDRESS_FAMILY_IPV6 = 2;

    /** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (RFC 5905). */
    static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;
    private static final long NTP_ERA_SECONDS = 1L << 32;

    private final AvpDefinition definition;
    private final int code;
    private final int flags;
    private final int vendorId;
    private final byte[] data;
    private final int dataOffset;
    private final int dataLength;
    private final List<Avp> children;
    /**
     * Set on a view of a Grouped AVP the decoder checked with this dictionary: its members can be read in place.
     * Null otherwise (members built, or not checked as Grouped).
     */
    private final DiameterDictionary checkedWith;

    Avp(AvpDefinition definition, int code, int flags, int vendorId, byte[] data, int dataOffset, int dataLength,
        List<Avp> children) {
        this(definition, code, flags, vendorId, data, dataOffset, dataLength, children, null);
    }

    private Avp(AvpDefinition definition, int code, int flags, int vendorId, byte[] data, int dataOffset, int dataLength,
                List<Avp> children, DiameterDictionary checkedWith) {
        this.definition = definition;
        this.code = code;
        this.flags = vendorId != 0 ? flags | FLAG_VENDOR : flags & ~FLAG_VENDOR;
        this.vendorId = vendorId;
        this.data = data;
        this.dataOffset = dataOffset;
        this.dataLength = dataLength;
        this.children = children;
        this.checkedWith = checkedWith;
    }

    // ---------------------------------------------------------------- factories

    /** An OctetString AVP; the bytes are copied. */
    public static Avp octets(AvpDefinition def, byte[] value) {
        requireFormat(def, value, OCTETS_FORMATS);
        return leaf(def, value.clone());
    }

    /** A UTF8String (or DiameterIdentity, DiameterURI, IPFilterRule, text OctetString) AVP. */
    public static Avp utf8(AvpDefinition def, String value) {
        requireFormat(def, value, TEXT_FORMATS);
        return leaf(def, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A DiameterIdentity AVP (FQDN or realm, ASCII). */
    public static Avp identity(AvpDefinition def, String value) {
        requireFormat(def, value, AvpFormat.DIAMETER_IDENTITY);
        return leaf(def, value.getBytes(StandardCharsets.US_ASCII));
    }

    /** An Unsigned32 AVP; the value must be in 0..2^32-1. */
    public static Avp unsigned32(AvpDefinition def, long value) {
        requireFormat(def, AvpFormat.UNSIGNED32);
        if (value < 0 || value > 0xffffffffL) {
            throw new IllegalArgumentException(def + ": " + value + " is not an Unsigned32");
        }
        return leaf(def, Bytes.of32((int) value));
    }

    public static Avp integer32(AvpDefinition def, int value) {
        requireFormat(def, INTEGER32_FORMATS);
        return leaf(def, Bytes.of32(value));
    }

    public static Avp enumerated(AvpDefinition def, int value) {
        requireFormat(def, ENUMERATED_FORMATS);
        return leaf(def, Bytes.of32(value));
    }

    public static Avp integer64(AvpDefinition def, long value) {
        requireFormat(def, AvpFormat.INTEGER64);
        return leaf(def, Bytes.of64(value));
    }

    /** An Unsigned64 AVP; the long is read as unsigned (values above 2^63-1 are negative longs). */
    public static Avp unsigned64(AvpDefinition def, long value) {
        requireFormat(def, AvpFormat.UNSIGNED64);
        return leaf(def, Bytes.of64(value));
    }

    public static Avp float32(AvpDefinition def, float value) {
        requireFormat(def, AvpFormat.FLOAT32);
        return leaf(def, Bytes.of32(Float.floatToIntBits(value)));
    }

    public static Avp float64(AvpDefinition def, double value) {
        requireFormat(def, AvpFormat.FLOAT64);
        return leaf(def, Bytes.of64(Double.doubleToLongBits(value)));
    }

    /** An Address AVP: the IANA family (1 IPv4, 2 IPv6) followed by the address octets. */
    public static Avp address(AvpDefinition def, InetAddress value) {
        requireFormat(def, value, AvpFormat.ADDRESS);
        byte[] addr = value.getAddress();
        byte[] out = new byte[2 + addr.length];
        out[1] = (byte) (value instanceof Inet6Address ? ADDRESS_FAMILY_IPV6 : ADDRESS_FAMILY_IPV4);
        System.arraycopy(addr, 0, out, 2, addr.length);
        return leaf(def, out);
    }

    /**
     * A Time AVP: NTP seconds (RFC 6733 4.3.1). Instants from 2036-02-07T06:28:16Z on use NTP era 1
     * (most significant bit clear), as RFC 6733 requires via RFC 4330.
     */
    public static Avp time(AvpDefinition def, Instant value) {
        requireFormat(def, value, AvpFormat.TIME);
        long ntp = value.getEpochSecond() + NTP_TO_UNIX_SECONDS;
        if (ntp < 0x80000000L || ntp >= NTP_ERA_SECONDS + 0x80000000L) {
            throw new IllegalArgumentException(def + ": " + value + " is outside the Time range 1968-2104");
        }
        return leaf(def, Bytes.of32((int) (ntp % NTP_ERA_SECONDS)));
    }

    /** A Grouped AVP holding the given members, in order. */
    public static Avp grouped(AvpDefinition def, Avp... members) {
        requireFormat(def, members, AvpFormat.GROUPED);
        return groupOf(def, List.of(members));
    }

    /** A Grouped AVP holding the given members, in order. */
    public static Avp grouped(AvpDefinition def, Collection<Avp> members) {
        requireFormat(def, members, AvpFormat.GROUPED);
        return groupOf(def, List.copyOf(members));
    }

    private static Avp groupOf(AvpDefinition def, List<Avp> members) {
        int length = 0;
        for (int i = 0, n = members.size(); i < n; i++) {
            length += members.get(i).paddedLength();
        }
        return new Avp(def, def.code(), def.flags(), def.vendorId(), null, 0, length, members);
    }

    /**
     * An AVP the dictionary may not know, with explicit flags and raw data (copied). The 'V' flag follows
     * the vendor id.
     */
    public static Avp raw(int code, int flags, int vendorId, byte[] data) {
        return new Avp(null, code, flags, vendorId, data.clone(), 0, data.length, null);
    }

    private static Avp leaf(AvpDefinition def, byte[] bytes) {
        return new Avp(def, def.code(), def.flags(), def.vendorId(), bytes, 0, bytes.length, null);
    }

    // The factories run for every AVP sent: the allowed formats are constant arrays (no varargs array per call),
    // numbers are not boxed to be checked for null, and no message is built unless it is thrown.
    private static final AvpFormat[] OCTETS_FORMATS = {AvpFormat.OCTET_STRING, AvpFormat.UTF8_STRING,
            AvpFormat.DIAMETER_IDENTITY, AvpFormat.DIAMETER_URI, AvpFormat.IP_FILTER_RULE, AvpFormat.ADDRESS};
    private static final AvpFormat[] TEXT_FORMATS = {AvpFormat.UTF8_STRING, AvpFormat.DIAMETER_IDENTITY,
            AvpFormat.DIAMETER_URI, AvpFormat.IP_FILTER_RULE, AvpFormat.OCTET_STRING};
    private static final AvpFormat[] INTEGER32_FORMATS = {AvpFormat.INTEGER32, AvpFormat.ENUMERATED};
    private static final AvpFormat[] ENUMERATED_FORMATS = {AvpFormat.ENUMERATED, AvpFormat.INTEGER32};

    private static void requireFormat(AvpDefinition def, Object value, AvpFormat... allowed) {
        requireValue(def, value);
        requireFormat(def, allowed);
    }

    private static void requireFormat(AvpDefinition def, Object value, AvpFormat format) {
        requireValue(def, value);
        requireFormat(def, format);
    }

    private static void requireValue(AvpDefinition def, Object value) {
        Objects.requireNonNull(def, "AVP definition");
        if (value == null) {
            throw new NullPointerException("value of " + def);
        }
    }

    private static void requireFormat(AvpDefinition def, AvpFormat format) {
        Objects.requireNonNull(def, "AVP definition");
        if (def.format() != format) {
            throw new IllegalArgumentException(def + " is " + def.format() + ", not " + format);
        }
    }

    private static void requireFormat(AvpDefinition def, AvpFormat[] allowed) {
        Objects.requireNonNull(def, "AVP definition");
        for (AvpFormat f : allowed) {
            if (def.format() == f) {
                return;
            }
        }
        throw new IllegalArgumentException(def + " is " + def.format() + ", not " + allowed[0]);
    }

    // ---------------------------------------------------------------- header fields

    public int code() {
        return code;
    }

    public int flags() {
        return flags;
    }

    /** 0 when the 'V' bit is clear. */
    public int vendorId() {
        return vendorId;
    }

    public boolean isVendorSpecific() {
        return (flags & FLAG_VENDOR) != 0;
    }

    public boolean isMandatory() {
        return (flags & FLAG_MANDATORY) != 0;
    }

    public boolean isProtected() {
        return (flags & FLAG_PROTECTED) != 0;
    }

    /** The dictionary entry this AVP was built or decoded with, if known. */
    public Optional<AvpDefinition> definition() {
        return Optional.ofNullable(definition);
    }

    /** Whether this AVP has the code and vendor of the definition. */
    public boolean is(AvpDefinition def) {
        return def.matches(code, vendorId);
    }

    /** Length of the data (for a Grouped AVP: its members with their padding), without header and padding. */
    public int dataLength() {
        return dataLength;
    }

    // ---------------------------------------------------------------- values

    /** The data octets (a copy). For a Grouped AVP: the encoded members. */
    public byte[] octets() {
        if (data == null) {
            byte[] out = new byte[dataLength];
            int pos = 0;
            for (Avp child : children) {
                pos = child.writeTo(out, pos);
            }
            return out;
        }
        return Arrays.copyOfRange(data, dataOffset, dataOffset + dataLength);
    }

    /**
     * The data as UTF-8 text.
     *
     * @throws DiameterDecodeException (5004 DIAMETER_INVALID_AVP_VALUE) if the octets are not valid UTF-8
     */
    public String utf8() {
        requireLeaf();
        int end = dataOffset + dataLength;
        for (int i = dataOffset; i < end; i++) {
            if (data[i] < 0) {
                try {
                    return StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(data, dataOffset, dataLength)).toString();
                } catch (CharacterCodingException e) {
                    throw invalid(ResultCodes.DIAMETER_INVALID_AVP_VALUE, "is not valid UTF-8");
                }
            }
        }
        // ASCII: the fast path, no decoder needed
        return new String(data, dataOffset, dataLength, StandardCharsets.ISO_8859_1);
    }

    public long unsigned32() {
        requireLength(4);
        return Bytes.u32(data, dataOffset);
    }

    public int integer32() {
        requireLength(4);
        return Bytes.i32(data, dataOffset);
    }

    public int enumerated() {
        return integer32();
    }

    public long integer64() {
        requireLength(8);
        return Bytes.i64(data, dataOffset);
    }

    /** The Unsigned64 value as raw bits: use {@link Long#toUnsignedString(long)} for values above 2^63-1. */
    public long unsigned64() {
        return integer64();
    }

    public float float32() {
        return Float.intBitsToFloat(integer32());
    }

    public double float64() {
        return Double.longBitsToDouble(integer64());
    }

    /** The Address family number (1 IPv4, 2 IPv6, others per IANA). */
    public int addressFamily() {
        requireLeaf();
        if (dataLength < 2) {
            throw invalid(ResultCodes.DIAMETER_INVALID_AVP_LENGTH, "has " + dataLength + " octets, an Address needs 2 for its family");
        }
        return (data[dataOffset] & 0xff) << 8 | (data[dataOffset + 1] & 0xff);
    }

    /**
     * The IPv4 or IPv6 address of an Address AVP.
     *
     * @throws DiameterDecodeException if the family is neither IPv4 nor IPv6 or the length does not fit it
     */
    public InetAddress address() {
        int family = addressFamily();
        int expected = switch (family) {
            case ADDRESS_FAMILY_IPV4 -> 4;
            case ADDRESS_FAMILY_IPV6 -> 16;
            default -> throw invalid(ResultCodes.DIAMETER_INVALID_AVP_VALUE, "has address family " + family + ", not IPv4 (1) or IPv6 (2)");
        };
        if (dataLength != 2 + expected) {
            throw invalid(ResultCodes.DIAMETER_INVALID_AVP_LENGTH, "has " + (dataLength - 2) + " address octets for family " + family + ", expected " + expected);
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(data, dataOffset + 2, dataOffset + dataLength));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("length checked above", e);
        }
    }

    /** The Time value, NTP era chosen by the most significant bit (RFC 4330 section 3). */
    public Instant time() {
        long ntp = unsigned32();
        long unixSeconds = (ntp & 0x80000000L) != 0 ? ntp - NTP_TO_UNIX_SECONDS : ntp + NTP_ERA_SECONDS - NTP_TO_UNIX_SECONDS;
        return Instant.ofEpochSecond(unixSeconds);
    }

    /**
     * The members of a Grouped AVP. An AVP decoded without a dictionary entry saying it is Grouped is parsed
     * now (with the standard dictionary).
     *
     * @throws DiameterDecodeException if the data is not a valid sequence of AVPs
     */
    public List<Avp> children() {
        if (children != null) {
            return children;
        }
        if (checkedWith != null) {
            return MessageDecoder.parseAvps(data, dataOffset, dataOffset + dataLength, checkedWith, 1, definition);
        }
        return MessageDecoder.parseAvps(data, dataOffset, dataOffset + dataLength, DiameterDictionary.standard(), 1, null);
    }

    /** The first member with the definition's code and vendor. */
    public Optional<Avp> find(AvpDefinition def) {
        if (checkedWith != null) {
            int pos = seek(def);
            return pos < 0 ? Optional.empty() : Optional.of(AvpReader.view(data, pos, checkedWith));
        }
        for (Avp child : children()) {
            if (child.is(def)) {
                return Optional.of(child);
            }
        }
        return Optional.empty();
    }

    /** All members with the definition's code and vendor, in order. */
    public List<Avp> findAll(AvpDefinition def) {
        List<Avp> out = new ArrayList<>(2);
        if (checkedWith != null) {
            int end = dataOffset + dataLength;
            for (int pos = AvpReader.seek(data, dataOffset, end, def.code(), def.vendorId()); pos >= 0;
                 pos = AvpReader.seek(data, AvpReader.next(data, pos, end), end, def.code(), def.vendorId())) {
                out.add(AvpReader.view(data, pos, checkedWith));
            }
            return out;
        }
        for (Avp child : children()) {
            if (child.is(def)) {
                out.add(child);
            }
        }
        return out;
    }

    /** Whether a member has the definition's code and vendor. */
    public boolean has(AvpDefinition def) {
        return checkedWith != null ? seek(def) >= 0 : firstChild(def) != null;
    }

    // Members read without an object per member: the grouped AVPs of the SWx and Gy answers read per login.

    /** The first such member's text, or null when there is none. */
    public String memberUtf8(AvpDefinition def) {
        if (checkedWith != null) {
            int pos = seek(def);
            return pos < 0 ? null : AvpReader.utf8(data, pos, checkedWith);
        }
        Avp m = firstChild(def);
        return m == null ? null : m.utf8();
    }

    /** The first such member's Unsigned32 value, or {@code absent}. */
    public long memberUnsigned32(AvpDefinition def, long absent) {
        if (checkedWith != null) {
            int pos = seek(def);
            return pos < 0 ? absent : AvpReader.unsigned32(data, pos, checkedWith);
        }
        Avp m = firstChild(def);
        return m == null ? absent : m.unsigned32();
    }

    /** The first such member's Enumerated (Integer32) value, or {@code absent}. */
    public int memberEnumerated(AvpDefinition def, int absent) {
        if (checkedWith != null) {
            int pos = seek(def);
            return pos < 0 ? absent : AvpReader.integer32(data, pos, checkedWith);
        }
        Avp m = firstChild(def);
        return m == null ? absent : m.integer32();
    }

    /** The first such member's Unsigned64 (or Integer64) value as raw bits, or {@code absent}. */
    public long memberUnsigned64(AvpDefinition def, long absent) {
        if (checkedWith != null) {
            int pos = seek(def);
            return pos < 0 ? absent : AvpReader.integer64(data, pos, checkedWith);
        }
        Avp m = firstChild(def);
        return m == null ? absent : m.integer64();
    }

    /** A copy of the first such member's data, or null when there is none. */
    public byte[] memberOctets(AvpDefinition def) {
        if (checkedWith != null) {
            int pos = seek(def);
            return pos < 0 ? null : AvpReader.octets(data, pos);
        }
        Avp m = firstChild(def);
        return m == null ? null : m.octets();
    }

    private int seek(AvpDefinition def) {
        return AvpReader.seek(data, dataOffset, dataOffset + dataLength, def.code(), def.vendorId());
    }

    private Avp firstChild(AvpDefinition def) {
        List<Avp> members = children();
        for (int i = 0, n = members.size(); i < n; i++) {
            if (members.get(i).is(def)) {
                return members.get(i);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- encoding

    /** The AVP Length field: header plus data, without padding. */
    public int encodedLength() {
        return headerLength() + dataLength;
    }

    /** Octets this AVP takes in a message, padding to a multiple of 4 included. */
    public int paddedLength() {
        return (encodedLength() + 3) & ~3;
    }

    private int headerLength() {
        return vendorId != 0 ? 12 : 8;
    }

    /** Writes the AVP with its padding at {@code pos}; returns the position after it. */
    int writeTo(byte[] out, int pos) {
        Bytes.put32(out, pos, code);
        out[pos + 4] = (byte) flags;
        Bytes.put24(out, pos + 5, encodedLength());
        int p = pos + 8;
        if (vendorId != 0) {
            Bytes.put32(out, p, vendorId);
            p += 4;
        }
        if (data != null) {
            System.arraycopy(data, dataOffset, out, p, dataLength);
            p += dataLength;
        } else {
            for (Avp child : children) {
                p = child.writeTo(out, p);
            }
        }
        int end = pos + paddedLength();
        Arrays.fill(out, p, end, (byte) 0);
        return end;
    }

    /** The encoded AVP, padding included. */
    public byte[] encode() {
        byte[] out = new byte[paddedLength()];
        writeTo(out, 0);
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private void requireLeaf() {
        if (data == null) {
            throw new IllegalStateException(name() + " is Grouped");
        }
    }

    private void requireLength(int expected) {
        requireLeaf();
        if (dataLength != expected) {
            throw invalid(ResultCodes.DIAMETER_INVALID_AVP_LENGTH, "has " + dataLength + " octets of data, expected " + expected);
        }
    }

    private DiameterDecodeException invalid(long resultCode, String what) {
        return new DiameterDecodeException(resultCode, "AVP " + name() + " " + what, null, code, vendorId,
                data == null ? -1 : dataOffset - headerLength(), this);
    }

    private String name() {
        if (definition != null) {
            return definition.toString();
        }
        return vendorId == 0 ? String.valueOf(code) : code + "/" + Integer.toUnsignedString(vendorId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Avp other && code == other.code && vendorId == other.vendorId && flags == other.flags
                && Arrays.equals(octets(), other.octets());
    }

    @Override
    public int hashCode() {
        return 31 * code + vendorId;
    }

    /** Names and values, except OctetString data (keys, XRES, RAND...), shown only by its length. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTo(sb);
        return sb.toString();
    }

    void appendTo(StringBuilder sb) {
        sb.append(definition != null ? definition.name() : "AVP " + name());
        AvpFormat format = definition != null ? definition.format() : null;
        if (children != null || format == AvpFormat.GROUPED) {
            sb.append(" {");
            try {
                List<Avp> members = children();
                for (int i = 0; i < members.size(); i++) {
                    sb.append(i == 0 ? "" : ", ");
                    members.get(i).appendTo(sb);
                }
            } catch (DiameterDecodeException e) {
                sb.append("malformed");
            }
            sb.append('}');
            return;
        }
        sb.append('=');
        try {
            if (format == null || format == AvpFormat.OCTET_STRING) {
                sb.append('<').append(dataLength).append(" octets>");
            } else if (format.isText()) {
                sb.append('"').append(utf8()).append('"');
            } else {
                sb.append(switch (format) {
                    case UNSIGNED32 -> String.valueOf(unsigned32());
                    case INTEGER32, ENUMERATED -> String.valueOf(integer32());
                    case INTEGER64 -> String.valueOf(integer64());
                    case UNSIGNED64 -> Long.toUnsignedString(unsigned64());
                    case FLOAT32 -> String.valueOf(float32());
                    case FLOAT64 -> String.valueOf(float64());
                    case ADDRESS -> address().getHostAddress();
                    case TIME -> time().toString();
                    default -> "<" + dataLength + " octets>";
                });
            }
        } catch (RuntimeException e) {
            sb.append("<malformed ").append(dataLength).append(" octets>");
        }
    }

    /**
     * A view on an AVP of a message the decoder checked with {@code dictionary}: a Grouped one (by the dictionary)
     * reads its members in place.
     */
    static Avp view(AvpDefinition def, int code, int flags, int vendorId, byte[] data, int offset, int length,
                    DiameterDictionary dictionary) {
        boolean checkedGroup = def != null && def.format() == AvpFormat.GROUPED;
        return new Avp(def, code, flags, vendorId, data, offset, length, null, checkedGroup ? dictionary : null);
    }

    /** Used by the decoder: an AVP whose value is a view on the received message. */
    static Avp decoded(AvpDefinition def, int code, int flags, int vendorId, byte[] data, int offset, int length,
                       List<Avp> children) {
        return new Avp(def, code, flags, vendorId, data, offset, length, children);
    }
}
