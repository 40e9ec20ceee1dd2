package org.opentwag.radius.codec;

/** How an attribute's value is laid out (RFC 2865 section 5, RFC 8044 names). */
public enum AttributeDataType {
    /** UTF-8 text. */
    TEXT(-1),
    /** Opaque octets. */
    OCTETS(-1),
    /** 32-bit unsigned, network order. */
    INTEGER(4),
    /** Seconds since 1970-01-01 UTC, 32-bit (RFC 2869 Event-Timestamp). */
    TIME(4),
    /** IPv4 address. */
    IPV4_ADDRESS(4),
    /** IPv6 address (RFC 3162). */
    IPV6_ADDRESS(16),
    /** Vendor-Specific container (RFC 2865 section 5.26). */
    VENDOR_SPECIFIC(-1);

    private final int fixedLength;

    AttributeDataType(int fixedLength) {
        this.fixedLength = fixedLength;
    }

    /** The exact value length this type requires, or -1 when it varies. */
    public int fixedLength() {
        return fixedLength;
    }
}
