package org.opentwag.radius.codec;

import java.nio.charset.StandardCharsets;

/**
 * Operator-Name (RFC 5580 4.1): who owns the access network the phone is on, as one ASCII namespace character and
 * a name in that namespace. Roaming partners and hotspot aggregators send it so the home network can tell whose
 * WiFi carried the session.
 *
 * @param namespace the namespace the name is in
 * @param name      the operator's name in it (a TADIG code, a realm, an MCC+MNC or an ITU carrier code)
 */
public record OperatorName(Namespace namespace, String name) {

    /** The namespaces RFC 5580 4.1 registers ("0" to "3"); anything else is kept as UNKNOWN. */
    public enum Namespace {
        TADIG('0'), REALM('1'), E212('2'), ICC('3'), UNKNOWN('?');

        private final char id;

        Namespace(char id) {
            this.id = id;
        }

        static Namespace of(char id) {
            for (Namespace n : values()) {
                if (n.id == id) {
                    return n;
                }
            }
            return UNKNOWN;
        }
    }

    /** The attribute's value; null when it is empty (the RFC requires a namespace and a name). */
    public static OperatorName decode(byte[] value) {
        if (value == null || value.length < 2) {
            return null;
        }
        String text = new String(value, StandardCharsets.UTF_8);
        return new OperatorName(Namespace.of(text.charAt(0)), text.substring(1));
    }

    @Override
    public String toString() {
        return namespace + ":" + name;
    }
}
