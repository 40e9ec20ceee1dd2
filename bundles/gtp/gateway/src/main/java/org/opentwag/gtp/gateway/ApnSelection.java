package org.opentwag.gtp.gateway;

import java.util.List;

import org.opentwag.api.vectors.Non3gppUserData;

/**
 * Which APN a login asks the PGW for, and whether that APN is home-routed ({@code etc/org.opentwag.s2a.cfg}).
 * The APN is the subscriber's default APN from the HSS (SAA Non-3GPP-User-Data: TWAN-Default-APN-Context-Id, else
 * Context-Identifier, naming one of its APN-Configurations), else {@code defaultApn}.
 *
 * @param defaultApn     the APN when the HSS names none
 * @param homeRoutedApns the APNs whose logins go home over S2a (case-insensitive); empty = every APN. A login whose APN
 *                       is not listed stays local breakout.
 */
public record ApnSelection(String defaultApn, List<String> homeRoutedApns) {

    public ApnSelection {
        homeRoutedApns = homeRoutedApns == null ? List.of() : List.copyOf(homeRoutedApns);
    }

    /** Every APN home-routed; the configured default when the HSS names none. */
    public static ApnSelection every(String defaultApn) {
        return new ApnSelection(defaultApn, List.of());
    }

    /** The subscriber's APN configuration the login uses, or null when the HSS named none. */
    public Non3gppUserData.ApnConfiguration fromHss(Non3gppUserData userData) {
        return userData == null ? null : userData.defaultApn().orElse(null);
    }

    /** The APN asked for: the HSS's default APN, else {@link #defaultApn}. */
    public String apn(Non3gppUserData userData) {
        Non3gppUserData.ApnConfiguration c = fromHss(userData);
        return c != null ? c.serviceSelection() : defaultApn;
    }

    public boolean homeRouted(String apn) {
        return homeRoutedApns.isEmpty() || homeRoutedApns.stream().anyMatch(a -> a.equalsIgnoreCase(apn));
    }
}
