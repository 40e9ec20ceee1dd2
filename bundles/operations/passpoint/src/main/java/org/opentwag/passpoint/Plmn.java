package org.opentwag.passpoint;

import java.util.Locale;

/**
 * A PLMN as the SIM knows it: MCC (3 digits) and MNC (2 or 3 digits, exactly as the operator's numbering plan has it).
 * The MNC length matters: ANQP's 3GPP Cellular Network element encodes "57" and "057" differently, and the phone
 * compares it with the MNC length on its SIM. Only the realm (TS 23.003) always pads the MNC to 3 digits.
 */
public record Plmn(String mcc, String mnc) {

    public Plmn {
        if (mcc == null || !mcc.matches("\\d{3}")) {
            throw new IllegalArgumentException("MCC must be 3 digits: " + mcc);
        }
        if (mnc == null || !mnc.matches("\\d{2,3}")) {
            throw new IllegalArgumentException("MNC must be 2 or 3 digits: " + mnc);
        }
    }

    /**
     * Parses "505-57", "505,57", "505/57" or "505:057". A run of digits alone ("50557") is refused: it cannot say
     * whether the MNC has 2 or 3 digits, which is the mistake this class exists to avoid.
     */
    public static Plmn parse(String text) {
        String t = text == null ? "" : text.trim();
        String[] parts = t.split("\\s*[-,/:]\\s*");
        if (parts.length != 2) {
            throw new IllegalArgumentException("PLMN must be written MCC-MNC (e.g. 505-57 for a 2-digit MNC, "
                    + "310-026 for a 3-digit one): '" + t + "'");
        }
        return new Plmn(parts[0], parts[1]);
    }

    /** MNC padded to 3 digits, as in realms and Apple's six-digit MCCAndMNCs. */
    public String mnc3() {
        return mnc.length() == 3 ? mnc : "0" + mnc;
    }

    /** The 3GPP WLAN realm of TS 23.003 clause 14: wlan.mnc&lt;MNC3&gt;.mcc&lt;MCC&gt;.3gppnetwork.org. */
    public String wlanRealm() {
        return "wlan.mnc" + mnc3() + ".mcc" + mcc + ".3gppnetwork.org";
    }

    /** The first digits of every IMSI of this PLMN (MCC + MNC at its true length). */
    public String imsiPrefix() {
        return mcc + mnc;
    }

    /** Six digits, MCC + MNC padded (Apple's MCCAndMNCs format). */
    public String sixDigits() {
        return mcc + mnc3();
    }

    /** MCC and MNC as numbers, to find the same network written with different MNC lengths. */
    public boolean sameNumbersAs(Plmn other) {
        return mcc.equals(other.mcc) && Integer.parseInt(mnc) == Integer.parseInt(other.mnc);
    }

    /**
     * The PLMN named by a 3GPP realm (wlan./epc./nai. ... .mncXXX.mccYYY.3gppnetwork.org), MNC as written there
     * (normally 3 digits); null when the realm is not a 3GPP one.
     */
    public static Plmn ofRealm(String realm) {
        if (realm == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?:^|\\.)mnc(\\d{2,3})\\.mcc(\\d{3})\\.3gppnetwork\\.org$")
                .matcher(realm.trim().toLowerCase(Locale.ROOT));
        return m.find() ? new Plmn(m.group(2), m.group(1)) : null;
    }

    @Override
    public String toString() {
        return mcc + "-" + mnc;
    }
}
