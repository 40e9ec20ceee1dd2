package org.opentwag.diameter.codec;

/** SMI Network Management Private Enterprise Codes used as Diameter Vendor-Ids. */
public final class Vendors {
    private Vendors() {
    }

    /** IETF AVPs carry no vendor id. */
    public static final int IETF = 0;
    /** 3GPP (TS 29.230). */
    public static final int THREE_GPP = 10415;
}
