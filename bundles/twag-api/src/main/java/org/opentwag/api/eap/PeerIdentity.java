package org.opentwag.api.eap;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A peer identity as sent in EAP-Response/Identity or AT_IDENTITY, parsed per 3GPP TS 23.003 section 19.3 and
 * RFC 4187/5448: {@code <prefix><IMSI>@wlan.mnc<MNC>.mcc<MCC>.3gppnetwork.org} for a permanent identity,
 * {@code <prefix><pseudonym>@realm} or {@code <prefix><reauth-id>@realm} for temporary ones.
 *
 * <p>Prefixes: '0' permanent EAP-AKA, '6' permanent EAP-AKA', '2'/'7' pseudonym, '4'/'8' fast re-authentication
 * (AKA/AKA'), '1'/'3'/'5' EAP-SIM. Some multi-IMSI handsets put another digit in front of the IMSI; with
 * {@code strictPrefix=false} any leading digit followed by 15 digits is read as a permanent identity.
 *
 * @param raw     the identity as received
 * @param kind    what the identity is
 * @param prefix  its first character (or 0 when there is none)
 * @param value   the part after the prefix and before '@' (the IMSI for a permanent identity)
 * @param realm   the part after '@', lower-cased, or empty
 * @param mcc     the MCC from a 3GPP realm, if any
 * @param mnc     the MNC from a 3GPP realm (as written, 3 digits on the wire), if any
 */
public record PeerIdentity(String raw, Kind kind, char prefix, String value, String realm, Optional<String> mcc,
                           Optional<String> mnc) {

    public enum Kind { PERMANENT, PSEUDONYM, FAST_REAUTH, UNKNOWN }

    private static final Pattern REALM_3GPP =
            Pattern.compile("(?:[a-z0-9-]+\\.)*?mnc(\\d{2,3})\\.mcc(\\d{3})\\.3gppnetwork\\.org");
    private static final Pattern USERNAME = Pattern.compile("[\\x21-\\x7e&&[^@]]{1,253}");
    // Precompiled: String.matches compiles its pattern on every call, and this runs for every EAP identity.
    private static final Pattern IMSI = Pattern.compile("\\d{6,15}");
    private static final Pattern MULTI_IMSI = Pattern.compile("\\d{16}");

    /** Parses an identity; throws {@link IllegalArgumentException} with a reason for a malformed one. */
    public static PeerIdentity parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new IllegalArgumentException("empty identity");
        }
        if (raw.length() > 253) {
            throw new IllegalArgumentException("identity longer than 253 characters");
        }
        int at = raw.indexOf('@');
        if (at != raw.lastIndexOf('@')) {
            throw new IllegalArgumentException("identity has more than one '@'");
        }
        String user = at < 0 ? raw : raw.substring(0, at);
        String realm = at < 0 ? "" : raw.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(user).matches()) {
            throw new IllegalArgumentException("identity user part is empty or has characters outside printable ASCII");
        }
        if (at >= 0 && realm.isEmpty()) {
            throw new IllegalArgumentException("identity has an empty realm");
        }
        Optional<String> mcc = Optional.empty();
        Optional<String> mnc = Optional.empty();
        Matcher m = REALM_3GPP.matcher(realm);
        if (m.matches()) {
            mnc = Optional.of(m.group(1));
            mcc = Optional.of(m.group(2));
        }
        char prefix = user.charAt(0);
        String value = user.substring(1);
        Kind kind = switch (prefix) {
            case '0', '6' -> Kind.PERMANENT;
            case '2', '7' -> Kind.PSEUDONYM;
            case '4', '8' -> Kind.FAST_REAUTH;
            default -> Kind.UNKNOWN;
        };
        if (kind == Kind.PERMANENT && !IMSI.matcher(value).matches()) {
            throw new IllegalArgumentException("permanent identity does not carry an IMSI of 6 to 15 digits");
        }
        if (kind == Kind.UNKNOWN && MULTI_IMSI.matcher(user).matches()) {
            // A multi-IMSI SIM: one leading digit chosen by the handset, then a 15-digit IMSI.
            kind = Kind.PERMANENT;
        }
        if (kind == Kind.PERMANENT && mcc.isPresent() && !value.startsWith(mcc.get())) {
            // The realm names the home network; an IMSI from another MCC in it is a configuration or forgery sign.
            throw new IllegalArgumentException("IMSI does not start with the realm's MCC " + mcc.get());
        }
        return new PeerIdentity(raw, kind, prefix, value, realm, mcc, mnc);
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
}
