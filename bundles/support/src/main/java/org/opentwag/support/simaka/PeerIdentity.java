package org.opentwag.support.simaka;

import java.util.Locale;
import java.util.Optional;

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

    private static final String REALM_3GPP_SUFFIX = ".3gppnetwork.org";

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
        if (!printableUserPart(user)) {
            throw new IllegalArgumentException("identity user part is empty or has characters outside printable ASCII");
        }
        if (at >= 0 && realm.isEmpty()) {
            throw new IllegalArgumentException("identity has an empty realm");
        }
        Optional<String> mcc = Optional.empty();
        Optional<String> mnc = Optional.empty();
        String[] plmn = plmnOf3gppRealm(realm);
        if (plmn != null) {
            mnc = Optional.of(plmn[0]);
            mcc = Optional.of(plmn[1]);
        }
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
        if (kind == Kind.PERMANENT && mcc.isPresent() && !value.startsWith(mcc.get())) {
            // The realm names the home network; an IMSI from another MCC in it is a configuration or forgery sign.
            throw new IllegalArgumentException("IMSI does not start with the realm's MCC " + mcc.get());
        }
        return new PeerIdentity(raw, kind, prefix, value, realm, mcc, mnc);
    }

    // The grammar is checked by hand rather than with java.util.regex: parsing runs for every EAP identity, and the
    // character-class intersections and lazy groups of the equivalent patterns were a few percent of the server's CPU
    // per authentication. PeerIdentityTest holds the patterns and checks this code against them.

    /** 1 to 253 printable ASCII characters other than space and '@'. */
    private static boolean printableUserPart(String user) {
        int n = user.length();
        if (n < 1 || n > 253) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = user.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '@') {
                return false;
            }
        }
        return true;
    }

    private static boolean digits(String s, int min, int max) {
        int n = s.length();
        if (n < min || n > max) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * {MNC, MCC} of a realm {@code [<label>.]*mnc<2-3 digits>.mcc<3 digits>.3gppnetwork.org} (labels of a-z, 0-9 and
     * '-'), else null.
     */
    private static String[] plmnOf3gppRealm(String realm) {
        if (!realm.endsWith(REALM_3GPP_SUFFIX)) {
            return null;
        }
        int end = realm.length() - REALM_3GPP_SUFFIX.length(); // just after the MCC digits
        int mccAt = end - 3;
        if (mccAt < 4 || !digits(realm.substring(mccAt, end), 3, 3) || !realm.startsWith(".mcc", mccAt - 4)) {
            return null;
        }
        int mncEnd = mccAt - 4;
        int mncDigits = 0;
        while (mncDigits < 3 && mncEnd - mncDigits - 1 >= 0 && isDigit(realm.charAt(mncEnd - mncDigits - 1))) {
            mncDigits++;
        }
        int mncAt = mncEnd - mncDigits;
        if (mncDigits < 2 || mncAt < 3 || !realm.startsWith("mnc", mncAt - 3)) {
            return null;
        }
        int labelsEnd = mncAt - 3;
        if (!labels(realm, labelsEnd)) {
            return null;
        }
        return new String[]{realm.substring(mncAt, mncEnd), realm.substring(mccAt, end)};
    }

    /** Whether {@code s[0, end)} is empty or non-empty labels of a-z, 0-9 and '-', each followed by a dot. */
    private static boolean labels(String s, int end) {
        int labelLength = 0;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (labelLength == 0) {
                    return false;
                }
                labelLength = 0;
            } else if ((c >= 'a' && c <= 'z') || isDigit(c) || c == '-') {
                labelLength++;
            } else {
                return false;
            }
        }
        return labelLength == 0;
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
