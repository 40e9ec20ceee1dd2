package org.opentwag.radius.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A RADIUS packet (RFC 2865 section 3): code, identifier, 16-octet authenticator and attributes in wire order.
 * Immutable. {@link #decode} validates every length; {@link #encode} writes exactly what it holds (authenticators
 * and hiding are the job of {@link RadiusAuthenticators}, {@link RadiusResponseEncoder}, {@link RadiusRequestEncoder}).
 */
public record RadiusPacket(int code, int identifier, byte[] authenticator, List<RadiusAttribute> attributes) {

    public static final int HEADER_LENGTH = 20;
    /** RFC 2865 section 3: minimum 20, maximum 4096 octets. */
    public static final int MIN_LENGTH = 20;
    public static final int MAX_LENGTH = 4096;
    public static final int AUTHENTICATOR_LENGTH = 16;

    public RadiusPacket {
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("code " + code + " outside 0..255");
        }
        if (identifier < 0 || identifier > 255) {
            throw new IllegalArgumentException("identifier " + identifier + " outside 0..255");
        }
        if (authenticator == null || authenticator.length != AUTHENTICATOR_LENGTH) {
            throw new IllegalArgumentException("authenticator must be 16 octets");
        }
        authenticator = authenticator.clone();
        attributes = List.copyOf(attributes);
    }

    /** A packet with an all-zero authenticator, to be filled by an encoder. */
    public static RadiusPacket of(int code, int identifier, List<RadiusAttribute> attributes) {
        return new RadiusPacket(code, identifier, new byte[AUTHENTICATOR_LENGTH], attributes);
    }

    @Override
    public byte[] authenticator() {
        return authenticator.clone();
    }

    public RadiusPacket withAuthenticator(byte[] newAuthenticator) {
        return new RadiusPacket(code, identifier, newAuthenticator, attributes);
    }

    public RadiusPacket withAttributes(List<RadiusAttribute> newAttributes) {
        return new RadiusPacket(code, identifier, authenticator, newAttributes);
    }

    // ---------------------------------------------------------------- lookups

    /** The first standard attribute of this type. */
    public Optional<RadiusAttribute> attribute(int type) {
        // Loops, not streams: several lookups per request, and a stream pipeline allocates five objects each.
        for (int i = 0, n = attributes.size(); i < n; i++) {
            RadiusAttribute a = attributes.get(i);
            if (a.is(type)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** All standard attributes of this type, in order. */
    public List<RadiusAttribute> attributes(int type) {
        List<RadiusAttribute> out = new ArrayList<>(2);
        for (int i = 0, n = attributes.size(); i < n; i++) {
            RadiusAttribute a = attributes.get(i);
            if (a.is(type)) {
                out.add(a);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The first vendor attribute {@code (vendorId, vendorType)}. */
    public Optional<RadiusAttribute> vendorAttribute(int vendorId, int vendorType) {
        for (int i = 0, n = attributes.size(); i < n; i++) {
            RadiusAttribute a = attributes.get(i);
            if (a.isVendor(vendorId, vendorType)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The first standard attribute of this type as UTF-8 text. */
    public Optional<String> string(int type) {
        return attribute(type).map(RadiusAttribute::asString);
    }

    /** The first standard attribute of this type as a 32-bit unsigned integer. */
    public OptionalLong integer(int type) {
        Optional<RadiusAttribute> attribute = attribute(type);
        return attribute.isPresent() ? OptionalLong.of(attribute.get().asUnsignedInt()) : OptionalLong.empty();
    }

    /** The first standard attribute of this type as octets. */
    public Optional<byte[]> octets(int type) {
        return attribute(type).map(RadiusAttribute::value);
    }

    /** The EAP packet carried by this RADIUS packet: all EAP-Message attributes joined (RFC 3579 section 3.1). */
    public Optional<byte[]> eapMessage() {
        return EapMessages.join(attributes);
    }

    // ---------------------------------------------------------------- codec

    /** Decodes a whole datagram. */
    public static RadiusPacket decode(byte[] datagram) throws RadiusDecodeException {
        return decode(datagram, 0, datagram.length);
    }

    /**
     * Decodes {@code length} octets of {@code buffer} from {@code offset}. Octets beyond the Length field are padding
     * and ignored (RFC 2865 section 3); a datagram shorter than its Length field, a Length outside 20..4096 or an
     * attribute that does not fit is rejected.
     */
    public static RadiusPacket decode(byte[] buffer, int offset, int length) throws RadiusDecodeException {
        if (buffer == null || offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new RadiusDecodeException("no datagram to decode");
        }
        if (length < MIN_LENGTH) {
            throw new RadiusDecodeException("datagram of " + length + " octets is shorter than the 20-octet RADIUS header");
        }
        int code = buffer[offset] & 0xff;
        int identifier = buffer[offset + 1] & 0xff;
        int declared = ((buffer[offset + 2] & 0xff) << 8) | (buffer[offset + 3] & 0xff);
        if (declared < MIN_LENGTH || declared > MAX_LENGTH) {
            throw new RadiusDecodeException("Length field " + declared + " outside 20..4096");
        }
        if (declared > length) {
            throw new RadiusDecodeException("Length field " + declared + " exceeds the " + length + " octets received");
        }
        byte[] authenticator = Arrays.copyOfRange(buffer, offset + 4, offset + 20);
        List<RadiusAttribute> attributes = new ArrayList<>();
        RadiusDictionary dictionary = RadiusDictionary.standard();
        int position = offset + HEADER_LENGTH;
        int end = offset + declared;
        while (position < end) {
            int type = buffer[position] & 0xff;
            if (position + 1 >= end) {
                throw new RadiusDecodeException(attributeName(type) + " at offset " + (position - offset)
                        + " is truncated: no room for its Length octet", type);
            }
            int attributeLength = buffer[position + 1] & 0xff;
            if (attributeLength < 2) {
                throw new RadiusDecodeException(attributeName(type) + " at offset " + (position - offset)
                        + " has invalid Length " + attributeLength + " (minimum 2)", type);
            }
            if (position + attributeLength > end) {
                throw new RadiusDecodeException(attributeName(type) + " at offset " + (position - offset)
                        + " has Length " + attributeLength + " running past the packet end", type);
            }
            if (type == 0) {
                throw new RadiusDecodeException("attribute type 0 at offset " + (position - offset) + " is reserved", 0);
            }
            byte[] value = Arrays.copyOfRange(buffer, position + 2, position + attributeLength);
            if (type == RadiusDictionary.VENDOR_SPECIFIC_TYPE) {
                decodeVendorSpecific(value, attributes, position - offset, dictionary);
            } else {
                RadiusAttribute attribute = RadiusAttribute.of(type, value);
                checkFixedLength(attribute, dictionary, position - offset);
                attributes.add(attribute);
            }
            position += attributeLength;
        }
        return new RadiusPacket(code, identifier, authenticator, attributes);
    }

    private static void decodeVendorSpecific(byte[] value, List<RadiusAttribute> out, int offset,
                                             RadiusDictionary dictionary) throws RadiusDecodeException {
        if (value.length < 4) {
            throw new RadiusDecodeException("Vendor-Specific at offset " + offset + " has " + value.length
                    + " octets, too short for a Vendor-Id", RadiusDictionary.VENDOR_SPECIFIC_TYPE);
        }
        int vendorId = ((value[0] & 0xff) << 24) | ((value[1] & 0xff) << 16) | ((value[2] & 0xff) << 8) | (value[3] & 0xff);
        // Only the RFC 2865 recommended layout (type, length, value)* is split; anything else stays opaque.
        List<RadiusAttribute> parsed = new ArrayList<>();
        int position = 4;
        // RFC 2865 5.26: the Vendor-Id's high-order octet is 0 (a 24-bit SMI enterprise code); any other value
        // cannot be a vendor we know, so its content stays opaque (found by fuzzing: it used to throw).
        boolean recommendedFormat = vendorId != 0 && (vendorId & 0xff000000) == 0 && value.length >= 6;
        while (recommendedFormat && position < value.length) {
            if (position + 2 > value.length) {
                recommendedFormat = false;
                break;
            }
            int subType = value[position] & 0xff;
            int subLength = value[position + 1] & 0xff;
            if (subLength < 2 || position + subLength > value.length) {
                recommendedFormat = false;
                break;
            }
            parsed.add(RadiusAttribute.vendor(vendorId, subType, Arrays.copyOfRange(value, position + 2, position + subLength)));
            position += subLength;
        }
        if (!recommendedFormat) {
            out.add(RadiusAttribute.of(RadiusDictionary.VENDOR_SPECIFIC_TYPE, value));
            return;
        }
        for (RadiusAttribute attribute : parsed) {
            checkFixedLength(attribute, dictionary, offset);
        }
        out.addAll(parsed);
    }

    private static void checkFixedLength(RadiusAttribute attribute, RadiusDictionary dictionary, int offset)
            throws RadiusDecodeException {
        int expected = attribute.is(RadiusDictionary.MESSAGE_AUTHENTICATOR)
                ? 16
                : dictionary.definitionOf(attribute).map(d -> d.dataType().fixedLength()).orElse(-1);
        if (expected >= 0 && attribute.length() != expected) {
            throw new RadiusDecodeException(dictionary.nameOf(attribute) + " at offset " + offset + " has a "
                    + attribute.length() + "-octet value, expected " + expected, attribute.type());
        }
    }

    private static String attributeName(int type) {
        return RadiusDictionary.standard().attribute(type).map(d -> d.name() + " (" + type + ")")
                .orElse("Attr-" + type);
    }

    /** Octets this packet takes on the wire. */
    public int encodedLength() {
        int length = HEADER_LENGTH;
        for (RadiusAttribute attribute : attributes) {
            length += attribute.encodedLength();
        }
        return length;
    }

    /** The wire form, with the authenticator as held. */
    public byte[] encode() {
        int length = encodedLength();
        if (length > MAX_LENGTH) {
            throw new IllegalStateException(RadiusCode.name(code) + " of " + length + " octets exceeds the RADIUS maximum of 4096");
        }
        byte[] wire = new byte[length];
        wire[0] = (byte) code;
        wire[1] = (byte) identifier;
        wire[2] = (byte) (length >>> 8);
        wire[3] = (byte) length;
        System.arraycopy(authenticator, 0, wire, 4, AUTHENTICATOR_LENGTH);
        int position = HEADER_LENGTH;
        for (RadiusAttribute attribute : attributes) {
            byte[] value = attribute.value();
            wire[position] = (byte) attribute.type();
            wire[position + 1] = (byte) attribute.encodedLength();
            if (attribute.isVendorSpecific()) {
                int vendorId = attribute.vendorId();
                wire[position + 2] = (byte) (vendorId >>> 24);
                wire[position + 3] = (byte) (vendorId >>> 16);
                wire[position + 4] = (byte) (vendorId >>> 8);
                wire[position + 5] = (byte) vendorId;
                wire[position + 6] = (byte) attribute.vendorType();
                wire[position + 7] = (byte) (value.length + 2);
                System.arraycopy(value, 0, wire, position + 8, value.length);
            } else {
                System.arraycopy(value, 0, wire, position + 2, value.length);
            }
            position += attribute.encodedLength();
        }
        return wire;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RadiusPacket other && code == other.code && identifier == other.identifier
                && Arrays.equals(authenticator, other.authenticator) && attributes.equals(other.attributes);
    }

    @Override
    public int hashCode() {
        return ((code * 31 + identifier) * 31 + Arrays.hashCode(authenticator)) * 31 + attributes.hashCode();
    }

    /** Code, identifier and attributes for logs; secret attribute values are hidden. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(RadiusCode.name(code)).append(" id=").append(identifier)
                .append(" auth=").append(HexFormat.of().formatHex(authenticator)).append(" {");
        for (int i = 0; i < attributes.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(attributes.get(i));
        }
        return text.append('}').toString();
    }
}
