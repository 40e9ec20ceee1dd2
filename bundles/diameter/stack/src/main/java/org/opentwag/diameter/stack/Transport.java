package org.opentwag.diameter.stack;

import java.util.Locale;

/** Transport of a peer connection. SCTP is not supported yet. */
public enum Transport {
    TCP,
    /** TLS from the first octet (RFC 6733 2.1, port 5658 by convention). */
    TLS;

    /** "tcp" or "tls", case-insensitive. */
    public static Transport parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "tcp", "diameter_tcp" -> TCP;
            case "tls", "diameter_tls" -> TLS;
            default -> throw new IllegalArgumentException("unsupported Diameter transport '" + text + "' (tcp or tls)");
        };
    }
}
