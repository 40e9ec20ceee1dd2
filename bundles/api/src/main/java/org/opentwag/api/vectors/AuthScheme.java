package org.opentwag.api.vectors;

/** The authentication schemes a vector can be made for, with the SWx SIP-Authentication-Scheme string. */
public enum AuthScheme {
    /** EAP-AKA (RFC 4187): CK and IK are used as such. */
    EAP_AKA("EAP-AKA"),
    /** EAP-AKA' (RFC 5448/9048): CK' and IK' are bound to the access network name (TS 33.402 Annex A). */
    EAP_AKA_PRIME("EAP-AKA'");

    private final String wireName;

    AuthScheme(String wireName) {
        this.wireName = wireName;
    }

    /** The value of SIP-Authentication-Scheme on SWx. */
    public String wireName() {
        return wireName;
    }

    public static AuthScheme fromWireName(String name) {
        for (AuthScheme s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown SIP-Authentication-Scheme: " + name);
    }
}
