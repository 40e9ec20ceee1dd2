package org.opentwag.support.simaka;

import java.util.Optional;

import org.opentwag.api.eap.NetworkAccessIdentifier;

/**
 * A peer identity of EAP-SIM/AKA/AKA' (in EAP-Response/Identity or AT_IDENTITY): the method-neutral
 * {@link NetworkAccessIdentifier} read with the methods' prefixes, per 3GPP TS 23.003 section 19.3 and
 * RFC 4186/4187/5448: {@code <prefix><IMSI>@wlan.mnc<MNC>.mcc<MCC>.3gppnetwork.org} for a permanent identity,
 * {@code <prefix><pseudonym>@realm} or {@code <prefix><reauth-id>@realm} for temporary ones.
 *
 * <p>Prefixes: '0' permanent EAP-AKA, '6' permanent EAP-AKA', '2'/'7' pseudonym, '4'/'8' fast re-authentication
 * (AKA/AKA'), '1'/'3'/'5' EAP-SIM. Some multi-IMSI handsets put another digit in front of the IMSI; any leading
 * digit followed by 15 digits is read as a permanent identity.
 *
 * <p>Lodged here, out of twag-api (which holds contracts only), until the shared SIM/AKA layer exists: its place is
 * that layer, next to the SIM/AKA attributes and the pseudonym store.
 *
 * @param raw     the identity as received
 * @param kind    what the identity is
 * @param prefix  its first character
 * @param value   the part after the prefix and before '@' (the IMSI for a permanent identity)
 * @param realm   the part after '@', lower-cased, or empty
 * @param mcc     the MCC from a 3GPP realm, if any
 * @param mnc     the MNC from a 3GPP realm (as written, 3 digits on the wire), if any
 */
public record PeerIdentity(String raw, Kind kind, char prefix, String value, String realm, Optional<String> mcc,
                           Optional<String> mnc) {

    public enum Kind { PERMANENT, PSEUDONYM, FAST_REAUTH, UNKNOWN }

    /** Parses an identity; throws {@link IllegalArgumentException} with a reason for a malformed one. */
    public static PeerIdentity parse(String raw) {
        NetworkAccessIdentifier nai = NetworkAccessIdentifier.parse(raw);
        String user = nai.username();
        char prefix = user.charAt(0);
        String value = user.substring(1);
        Kind kind = switch (prefix) {
            case '0', '6' -> Kind.PERMANENT;
            case '2', '7' -> Kind.PSEUDONYM;
            case '4', '8' -> Kind.FAST_REAUTH;
            default -> Kind.UNKNOWN;
        };
        if (kind == Kind.PERMANENT && !digits(value, 6, 15)) {
            throw new IllegalArgumentException("permanent identity does not carry an IMSI of 6 to 15 digits");
        }
        if (kind == Kind.UNKNOWN && digits(user, 16, 16)) {
            // A multi-IMSI SIM: one leading digit chosen by the handset, then a 15-digit IMSI.
            kind = Kind.PERMANENT;
        }
        if (kind == Kind.PERMANENT && nai.mcc().isPresent() && !value.startsWith(nai.mcc().get())) {
            // The realm names the home network; an IMSI from another MCC in it is a configuration or forgery sign.
            throw new IllegalArgumentException("IMSI does not start with the realm's MCC " + nai.mcc().get());
        }
        return new PeerIdentity(raw, kind, prefix, value, nai.realm(), nai.mcc(), nai.mnc());
    }

    private static boolean digits(String s, int min, int max) {
        int n = s.length();
        if (n < min || n > max) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The IMSI of a permanent identity, or empty. */
    public Optional<String> imsi() {
        return kind == Kind.PERMANENT ? Optional.of(value) : Optional.empty();
    }

    /** Whether the prefix asks for EAP-AKA' (permanent '6', pseudonym '7', fast re-auth '8'). */
    public boolean prefersAkaPrime() {
        return prefix == '6' || prefix == '7' || prefix == '8';
    }

    /** Whether the prefix asks for EAP-AKA (permanent '0', pseudonym '2', fast re-auth '4'). */
    public boolean prefersAka() {
        return prefix == '0' || prefix == '2' || prefix == '4';
    }

    /**
     * Whether an identity is an anonymous one that says only where the subscriber belongs: {@code anonymous@realm},
     * {@code <one character>anonymous@realm} (a method prefix, as wpa_supplicant and Android send with IMSI privacy),
     * {@code @realm}, or such a user name decorated with {@code homerealm!} (RFC 7542); as wpa_supplicant's
     * eap_sim_anonymous_username. The server then asks for the permanent identity, which the phone sends encrypted.
     */
    public static boolean isAnonymous(String identity) {
        if (identity == null || identity.isEmpty()) {
            return false;
        }
        int bang = identity.lastIndexOf('!');
        if (bang >= 0) {
            return isAnonymous(identity.substring(bang + 1));
        }
        String prefix = "anonymous@";
        if (identity.length() > prefix.length() && identity.startsWith(prefix)) {
            return true;
        }
        if (identity.length() > prefix.length() + 1 && identity.startsWith(prefix, 1)) {
            return true;
        }
        return identity.length() > 1 && identity.charAt(0) == '@';
    }

    /** The method prefix of a {@code <prefix>anonymous@realm} identity ('0', '1', '6', ...), or 0 for none. */
    public static char anonymousPrefix(String identity) {
        int bang = identity.lastIndexOf('!');
        String user = bang >= 0 ? identity.substring(bang + 1) : identity;
        return user.length() > 10 && user.startsWith("anonymous@", 1) ? user.charAt(0) : 0;
    }
}
