package org.opentwag.diameter.codec;

import java.util.Objects;

/**
 * What the dictionary knows about one AVP: its name, code, vendor, data format and whether we set the
 * 'M' bit when we send it. Used as the key of the {@link Avp} factory methods and accessors.
 *
 * @param name      the name used in the specifications, e.g. "Origin-Host"
 * @param code      the AVP code
 * @param vendorId  0 for IETF AVPs, else the vendor (10415 for 3GPP); when non-zero the 'V' bit is set
 * @param format    the data format
 * @param mandatory whether the 'M' bit is set when we send the AVP (the "MUST" column of the spec table)
 */
public record AvpDefinition(String name, int code, int vendorId, AvpFormat format, boolean mandatory) {

    public AvpDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(format, "format");
    }

    /** The AVP flags byte we send: 'V' when vendor specific, 'M' when mandatory. */
    public int flags() {
        return (vendorId != 0 ? Avp.FLAG_VENDOR : 0) | (mandatory ? Avp.FLAG_MANDATORY : 0);
    }

    /** Whether an AVP with this code and vendor is the one this definition describes. */
    public boolean matches(int avpCode, int avpVendorId) {
        return code == avpCode && vendorId == avpVendorId;
    }

    @Override
    public String toString() {
        return vendorId == 0 ? name + "(" + code + ")" : name + "(" + code + "/" + Integer.toUnsignedString(vendorId) + ")";
    }
}
