package org.opentwag.passpoint;

import java.util.Locale;

/** What can be generated, with the file name and the media type a download should use. */
public enum PasspointFormat {
    /** hostapd.conf fragment. */
    AP("hostapd-passpoint.conf", "text/plain; charset=utf-8"),
    /** Cisco WLC style CLI snippet. */
    CISCO("controller-passpoint.txt", "text/plain; charset=utf-8"),
    /** Android Passpoint R1 installation file (base64 MIME). */
    ANDROID("passpoint.config", AndroidPasspoint.CONTENT_TYPE),
    /** Apple configuration profile. */
    APPLE("passpoint.mobileconfig", AppleMobileconfig.CONTENT_TYPE);

    private final String fileName;
    private final String contentType;

    PasspointFormat(String fileName, String contentType) {
        this.fileName = fileName;
        this.contentType = contentType;
    }

    public String fileName() {
        return fileName;
    }

    public String contentType() {
        return contentType;
    }

    /** The shell's name for it: ap, cisco, android, apple. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PasspointFormat parse(String text) {
        for (PasspointFormat f : values()) {
            if (f.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + text + "' (ap, cisco, android, apple)");
    }

    /** Generates this format for a profile. */
    public GeneratedFile generate(PasspointProfile p) {
        String text = switch (this) {
            case AP -> HostapdConfig.render(p);
            case CISCO -> ControllerCli.render(p);
            case ANDROID -> AndroidPasspoint.wifiConfig(p);
            case APPLE -> AppleMobileconfig.render(p);
        };
        return new GeneratedFile(fileName, contentType, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
