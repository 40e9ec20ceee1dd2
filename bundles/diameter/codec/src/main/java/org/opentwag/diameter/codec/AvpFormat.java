package org.opentwag.diameter.codec;

/** The AVP data formats of RFC 6733 section 4.2 (basic) and 4.3 (derived). */
public enum AvpFormat {
    OCTET_STRING(-1),
    INTEGER32(4),
    INTEGER64(8),
    UNSIGNED32(4),
    UNSIGNED64(8),
    FLOAT32(4),
    FLOAT64(8),
    GROUPED(-1),
    /** 2-octet IANA address family followed by the address (RFC 6733 4.3.1). */
    ADDRESS(-1),
    /** Seconds since 1900-01-01 UTC as in NTP, 4 octets (RFC 6733 4.3.1). */
    TIME(4),
    UTF8_STRING(-1),
    DIAMETER_IDENTITY(-1),
    DIAMETER_URI(-1),
    /** Integer32 on the wire. */
    ENUMERATED(4),
    IP_FILTER_RULE(-1);

    private final int fixedLength;

    AvpFormat(int fixedLength) {
        this.fixedLength = fixedLength;
    }

    /** The data length every value of this format has, or -1 when it varies. */
    public int fixedLength() {
        return fixedLength;
    }

    /** Formats whose values are text an operator may read in logs (never key material). */
    boolean isText() {
        return this == UTF8_STRING || this == DIAMETER_IDENTITY || this == DIAMETER_URI || this == IP_FILTER_RULE;
    }
}
