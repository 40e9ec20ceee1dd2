package org.opentwag.eap.simaka.protocol;

import org.opentwag.api.eap.EapPacket;
import org.opentwag.support.simaka.PeerIdentity;

/**
 * The three methods that share the SIM/AKA attribute format, with what tells them apart on the wire: the EAP type,
 * the name, the identity prefixes of 3GPP TS 23.003 19.3.2 / RFC 4186 4.2.1.6 / RFC 4187 4.1.1.6 / RFC 5448 3, and
 * whether AT_MAC and AT_CHECKCODE use SHA-256 (EAP-AKA') or SHA-1.
 */
public enum SimAkaMethod {
    SIM(18, "EAP-SIM", '1', '3', '5'),
    AKA(EapPacket.TYPE_AKA, "EAP-AKA", '0', '2', '4'),
    AKA_PRIME(EapPacket.TYPE_AKA_PRIME, "EAP-AKA'", '6', '7', '8');

    private final int eapType;
    private final String methodName;
    private final char permanentPrefix;
    private final char pseudonymPrefix;
    private final char reauthPrefix;

    SimAkaMethod(int eapType, String methodName, char permanentPrefix, char pseudonymPrefix, char reauthPrefix) {
        this.eapType = eapType;
        this.methodName = methodName;
        this.permanentPrefix = permanentPrefix;
        this.pseudonymPrefix = pseudonymPrefix;
        this.reauthPrefix = reauthPrefix;
    }

    /** The EAP Type (18, 23, 50). */
    public int eapType() {
        return eapType;
    }

    /** "EAP-SIM", "EAP-AKA", "EAP-AKA'" as in logs and {@code EapAuthentication.method}. */
    public String methodName() {
        return methodName;
    }

    public char permanentPrefix() {
        return permanentPrefix;
    }

    /** First character of the pseudonyms this method hands out (AT_NEXT_PSEUDONYM). */
    public char pseudonymPrefix() {
        return pseudonymPrefix;
    }

    /** First character of the fast re-authentication identities this method hands out (AT_NEXT_REAUTH_ID). */
    public char reauthPrefix() {
        return reauthPrefix;
    }

    /** AT_MAC HMAC-SHA-256-128 and AT_CHECKCODE SHA-256 (EAP-AKA'), else SHA-1. */
    public boolean sha256() {
        return this == AKA_PRIME;
    }

    /** The method of an EAP type, or null. */
    public static SimAkaMethod ofEapType(int type) {
        for (SimAkaMethod m : values()) {
            if (m.eapType == type) {
                return m;
            }
        }
        return null;
    }

    /**
     * What an identity is for this method, by its prefix: PERMANENT with this method's prefix (or a multi-IMSI
     * handset's 16 digits, which {@link PeerIdentity} reads as permanent whatever the first digit), PSEUDONYM and
     * FAST_REAUTH with this method's prefixes, UNKNOWN otherwise (another method's temporary identity included).
     */
    public PeerIdentity.Kind kindOf(PeerIdentity id) {
        char p = id.prefix();
        if (p == pseudonymPrefix) {
            return PeerIdentity.Kind.PSEUDONYM;
        }
        if (p == reauthPrefix) {
            return PeerIdentity.Kind.FAST_REAUTH;
        }
        if (id.kind() == PeerIdentity.Kind.PERMANENT) {
            return PeerIdentity.Kind.PERMANENT;
        }
        return PeerIdentity.Kind.UNKNOWN;
    }

    /** Whether the identity's prefix names this method (permanent, pseudonym or re-authentication prefix). */
    public boolean ownsPrefix(PeerIdentity id) {
        char p = id.prefix();
        return p == permanentPrefix || p == pseudonymPrefix || p == reauthPrefix;
    }
}
