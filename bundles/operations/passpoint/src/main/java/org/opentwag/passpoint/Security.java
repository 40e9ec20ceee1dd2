package org.opentwag.passpoint;

/** The enterprise security the SSID offers; Passpoint always authenticates with 802.1X (EAP) and CCMP. */
public enum Security {
    /** WPA2-Enterprise, PMF optional (oldest phones). */
    WPA2,
    /** WPA2/WPA3-Enterprise transition: WPA-EAP and WPA-EAP-SHA256, PMF capable (the default). */
    WPA2_WPA3,
    /** WPA3-Enterprise only: WPA-EAP-SHA256, PMF required. */
    WPA3;

    public static Security parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_').replace('/', '_');
        return switch (t) {
            case "WPA2" -> WPA2;
            case "", "WPA2_WPA3", "WPA3_TRANSITION", "TRANSITION" -> WPA2_WPA3;
            case "WPA3" -> WPA3;
            default -> throw new IllegalArgumentException("security must be wpa2, wpa2-wpa3 or wpa3: " + text);
        };
    }
}
