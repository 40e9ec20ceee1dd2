package org.opentwag.radius.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One RADIUS attribute. A standard attribute has {@code vendorId == 0}. A vendor attribute (RFC 2865 section 5.26,
 * in the recommended format: Vendor-Id, then Vendor-Type, Vendor-Length, value) has {@code type == 26} and its vendor
 * id and type; a Vendor-Specific attribute whose content does not follow that format is kept as a standard
 * attribute 26 with its raw value.
 *
 * <p>Values are copied in and out, so an attribute is immutable. {@link #toString()} never prints a secret value.
 */
public record RadiusAttribute(int type, int vendorId, int vendorType, byte[] value) {

    /** Longest value of a standard attribute: 255 minus Type and Length. */
    public static final int MAX_VALUE_LENGTH = 253;
    /** Longest value of a vendor attribute: 255 minus Type, Length, Vendor-Id, Vendor-Type, Vendor-Length. */
    public static final int MAX_VENDOR_VALUE_LENGTH = 247;

    public RadiusAttribute {
        if (type < 1 || type > 255) {
            throw new IllegalArgumentException("attribute type " + type + " outside 1..255");
        }
        if (value == null) {
            throw new IllegalArgumentException("attribute " + type + " has a null value");
        }
        if (vendorId != 0) {
            if (type != RadiusDictionary.VENDOR_SPECIFIC_TYPE) {
                throw new IllegalArgumentException("vendor id " + vendorId + " on non Vendor-Specific attribute " + type);
            }
            if (vendorType < 0 || vendorType > 255) {
                throw new IllegalArgumentException("vendor type " + vendorType + " outside 0..255");
            }
            if (value.length > MAX_VENDOR_VALUE_LENGTH) {
                throw new IllegalArgumentException("vendor " + vendorId + " attribute " + vendorType + " value of "
                        + value.length + " octets exceeds " + MAX_VENDOR_VALUE_LENGTH);
            }
        } else if (value.length > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("attribute " + type + " value of " + value.length + " octets exceeds "
                    + MAX_VALUE_LENGTH);
        }
        value = value.clone();
    }

    /** A standard attribute with an opaque value. */
    public static RadiusAttribute of(int type, byte[] value) {
        return new RadiusAttribute(type, 0, 0, value);
    }

    /** A standard attribute with a UTF-8 text value. */
    public static RadiusAttribute ofString(int type, String value) {
        return of(type, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A standard attribute with a 32-bit integer value (also for enumerations and times). */
    public static RadiusAttribute ofInt(int type, long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("attribute " + type + " integer " + value + " outside 32-bit unsigned range");
        }
        return of(type, intBytes(value));
    }

    /** A standard attribute holding an IPv4 or IPv6 address. */
    public static RadiusAttribute ofAddress(int type, InetAddress address) {
        return of(type, address.getAddress());
    }

    /** A vendor attribute in the RFC 2865 recommended format. */
    public static RadiusAttribute vendor(int vendorId, int vendorType, byte[] value) {
        if (vendorId <= 0) {
            throw new IllegalArgumentException("vendor id must be positive: " + vendorId);
        }
        return new RadiusAttribute(RadiusDictionary.VENDOR_SPECIFIC_TYPE, vendorId, vendorType, value);
    }

    /** A vendor attribute with a 32-bit integer value. */
    public static RadiusAttribute vendorInt(int vendorId, int vendorType, long value) {
        return vendor(vendorId, vendorType, intBytes(value));
    }

    /** A vendor attribute with a UTF-8 text value. */
    public static RadiusAttribute vendorString(int vendorId, int vendorType, String value) {
        return vendor(vendorId, vendorType, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** Value length without copying. */
    public int length() {
        return value.length;
    }

    /** True for a vendor attribute in the recommended format. */
    public boolean isVendorSpecific() {
        return vendorId != 0;
    }

    /** True when this is the standard attribute {@code type}. */
    public boolean is(int standardType) {
        return vendorId == 0 && type == standardType;
    }

    /** True when this is the vendor attribute {@code (vendorId, vendorType)}. */
    public boolean isVendor(int vendor, int typeOfVendor) {
        return vendorId == vendor && vendorType == typeOfVendor;
    }

    /** Octets this attribute takes on the wire. */
    public int encodedLength() {
        return isVendorSpecific() ? value.length + 8 : value.length + 2;
    }

    /** The value as UTF-8 text. */
    public String asString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The value as a 32-bit unsigned integer. */
    public long asUnsignedInt() {
        if (value.length != 4) {
            throw new IllegalStateException(describe() + " is " + value.length + " octets, not a 32-bit integer");
        }
        return ((long) (value[0] & 0xff) << 24) | ((value[1] & 0xff) << 16) | ((value[2] & 0xff) << 8) | (value[3] & 0xff);
    }

    /** The value as an int; for values up to 2^31-1 (all enumerations and counters below 2 GiB). */
    public int asInt() {
        return (int) asUnsignedInt();
    }

    /** The value as an IPv4 (4 octets) or IPv6 (16 octets) address. */
    public InetAddress asInetAddress() {
        if (value.length != 4 && value.length != 16) {
            throw new IllegalStateException(describe() + " is " + value.length + " octets, not an IP address");
        }
        try {
            return InetAddress.getByAddress(value);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(describe() + " is not an IP address", e);
        }
    }

    private String describe() {
        return RadiusDictionary.standard().nameOf(this);
    }

    static byte[] intBytes(long value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RadiusAttribute other && type == other.type && vendorId == other.vendorId
                && vendorType == other.vendorType && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return ((type * 31 + vendorId) * 31 + vendorType) * 31 + Arrays.hashCode(value);
    }

    /** Name and value as the dictionary formats them; secret values are hidden. */
    @Override
    public String toString() {
        return RadiusDictionary.standard().format(this);
    }
}
