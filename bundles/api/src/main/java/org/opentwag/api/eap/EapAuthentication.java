package org.opentwag.api.eap;

import java.util.HexFormat;

/**
 * The outcome of a successful EAP authentication.
 *
 * @param imsi          the subscriber's permanent identity (IMSI digits)
 * @param eapIdentity   the identity the peer used (permanent NAI, pseudonym or fast re-auth id)
 * @param method        the method's name, e.g. "EAP-AKA'"
 * @param fastReauth    true for a fast re-authentication (no vector was consumed)
 * @param msk           the 64-byte Master Session Key (MS-MPPE-Recv-Key = first 32 bytes, Send-Key = next 32)
 * @param emsk          the 64-byte Extended MSK
 * @param sessionId     the EAP Session-Id (RFC 5247), sent as EAP-Key-Name when the AP asks
 */
public record EapAuthentication(String imsi, String eapIdentity, String method, boolean fastReauth, byte[] msk,
                                byte[] emsk, byte[] sessionId) {

    /** Keys are never printed. */
    @Override
    public String toString() {
        return "EapAuthentication[imsi=" + imsi + ", identity=" + eapIdentity + ", method=" + method + ", fastReauth="
                + fastReauth + ", sessionId=" + (sessionId == null ? "-" : HexFormat.of().formatHex(sessionId, 0,
                Math.min(4, sessionId.length))) + "..]";
    }
}
