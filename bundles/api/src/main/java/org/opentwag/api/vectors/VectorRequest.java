package org.opentwag.api.vectors;

/**
 * What the EAP method asks a vector source for.
 *
 * @param imsi              the subscriber's IMSI (digits only)
 * @param scheme            EAP-AKA or EAP-AKA'
 * @param accessNetworkName for EAP-AKA' the access network identity (ANID) that CK'/IK' are bound to, e.g. "WLAN";
 *                          ignored for EAP-AKA
 */
public record VectorRequest(String imsi, AuthScheme scheme, String accessNetworkName) {
    public VectorRequest {
        if (!isImsi(imsi)) {
            throw new IllegalArgumentException("IMSI must be 6 to 15 digits");
        }
        if (scheme == null) {
            throw new IllegalArgumentException("scheme is required");
        }
    }

    // Checked for every vector request: String.matches compiled a regex each time.
    private static boolean isImsi(String s) {
        if (s == null || s.length() < 6 || s.length() > 15) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
