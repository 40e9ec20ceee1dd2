package org.opentwag.passpoint;

/**
 * Venue Info of IEEE 802.11u (group and type, e.g. 1/8 = assembly/amphitheater... see the standard's table) and
 * one Venue Name in one language (ISO-639 code of 2 or 3 letters).
 */
public record Venue(int group, int type, String language, String name) {

    public Venue {
        if (group < 0 || group > 255 || type < 0 || type > 255) {
            throw new IllegalArgumentException("venue group/type must be 0..255: " + group + "/" + type);
        }
        language = language == null || language.isBlank() ? "eng" : language.trim();
        if (!language.matches("[a-z]{2,3}")) {
            throw new IllegalArgumentException("venue language must be an ISO-639 code of 2-3 letters: " + language);
        }
        name = PasspointProfile.singleLine("venue name", name == null ? "" : name.trim());
    }
}
