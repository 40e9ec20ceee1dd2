package org.opentwag.eap.engine;

import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.eap.EapAuthentication;

/** What to answer the access point: Access-Challenge, Access-Accept or Access-Reject, each with its EAP packet. */
public sealed interface EapReply {

    /** Access-Challenge carrying an EAP-Request and the State to echo. */
    record Challenge(byte[] eapMessage, byte[] state) implements EapReply {
    }

    /**
     * Access-Accept carrying EAP-Success and the keys for the AP.
     *
     * @param sessionToken the token for the Class attribute, which ties the AP's accounting to this authentication
     * @param charging     what charging decided, or null when no charging is installed
     */
    record Accept(byte[] eapMessage, EapAuthentication authentication, String sessionToken,
                  ChargingDecision charging) implements EapReply {
    }

    /** Access-Reject carrying EAP-Failure (or nothing when no EAP packet could be read). */
    record Reject(byte[] eapMessage, String reason) implements EapReply {
    }
}
