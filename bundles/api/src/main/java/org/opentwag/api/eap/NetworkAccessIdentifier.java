package org.opentwag.api.eap;

import java.util.Locale;
import java.util.Optional;

/**
 * A peer's identity as an EAP method-neutral Network Access Identifier (RFC 7542): {@code username@realm}, with the
 * home network (MCC, MNC) read from a 3GPP realm {@code [<label>.]*mnc<MNC>.mcc<MCC>.3gppnetwork.org}
 * (TS 23.003 section 19.3). What the user part means (an IMSI behind a method prefix, a pseudonym, ...) is the
 * method's business: EAP-SIM/AKA/AKA' read it with their own prefixes.
 *
 * @param raw      the identity as received
 * @param username the part before '@' (the whole identity when there is no '@'): 1 to 253 printable ASCII
 *                 characters other than space and '@'
 * @param realm    the part after '@', lower-cased, or empty
 * @param mcc      the MCC from a 3GPP realm, if any
 * @param mnc      the MNC from a 3GPP realm (as written, 3 digits on the wire), if any
 */
public record NetworkAccessIdentifier(String raw, String username, String realm, Optional<String> mcc,
                                      Optional<String> mnc) {

    private static final String REALM_3GPP_SUFFIX = ".3gppnetwork.org";

    /** Parses an identity; throws {@link IllegalArgumentException} with a reason for a malformed one. */
    public static NetworkAccessIdentifier parse(String raw) {
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
        String[] plmn = plmnOf3gppRealm(realm);
        return plmn == null
                ? new NetworkAccessIdentifier(raw, user, realm, Optional.empty(), Optional.empty())
                : new NetworkAccessIdentifier(raw, user, realm, Optional.of(plmn[1]), Optional.of(plmn[0]));
    }

    // The grammar is checked by hand rather than with java.util.regex: parsing runs for every EAP identity, and the
    // character-class intersections and lazy groups of the equivalent patterns were a few percent of the server's CPU
    // per authentication. NetworkAccessIdentifierTest holds the patterns and checks this code against them.

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

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean digits(String s, int count) {
        if (s.length() != count) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
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
        if (mccAt < 4 || !digits(realm.substring(mccAt, end), 3) || !realm.startsWith(".mcc", mccAt - 4)) {
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
}
