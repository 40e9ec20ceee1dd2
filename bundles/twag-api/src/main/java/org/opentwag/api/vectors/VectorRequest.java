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
        if (imsi == null || !imsi.matches("[0-9]{6,15}")) {
            throw new IllegalArgumentException("IMSI must be 6 to 15 digits");
        }
        if (scheme == null) {
            throw new IllegalArgumentException("scheme is required");
        }
    }
}
