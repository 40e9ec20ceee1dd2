package org.opentwag.accounting.sessions;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Called-Station-Id as APs send it (RFC 3580 section 3.20): the AP's MAC, then ':' and the SSID, e.g.
 * {@code 64-D9-89-1D-A4-20:ONS}. Vendors vary the MAC separators ('-', ':', '.', none) and case.
 */
public record CalledStationId(String apMac, String ssid) {

    private static final Pattern FORM =
            Pattern.compile("^([0-9A-Fa-f]{2})[-:.]?([0-9A-Fa-f]{2})[-:.]?([0-9A-Fa-f]{2})[-:.]?"
                    + "([0-9A-Fa-f]{2})[-:.]?([0-9A-Fa-f]{2})[-:.]?([0-9A-Fa-f]{2})(?::(.*))?$");

    /** The MAC in the canonical {@code AA-BB-CC-DD-EE-FF} form and the SSID (null when absent); null if no MAC. */
    public static CalledStationId parse(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = FORM.matcher(value.trim());
        if (!m.matches()) {
            return null;
        }
        String mac = String.join("-", m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6))
                .toUpperCase(java.util.Locale.ROOT);
        String ssid = m.group(7);
        return new CalledStationId(mac, ssid == null || ssid.isEmpty() ? null : ssid);
    }
}
