package org.opentwag.eap.engine;

import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.session.AccessGrant;
import org.opentwag.api.trace.Rejection;

/** What to answer the access point: Access-Challenge, Access-Accept or Access-Reject, each with its EAP packet. */
public sealed interface EapReply {

    /** Access-Challenge carrying an EAP-Request and the State to echo. */
    record Challenge(byte[] eapMessage, byte[] state) implements EapReply {
    }

    /**
     * Access-Accept carrying EAP-Success and the keys for the AP.
     *
     * @param grant what the access-session service granted: Class, Session-Timeout, Acct-Interim-Interval
     */
    record Accept(byte[] eapMessage, EapAuthentication authentication, AccessGrant.Granted grant)
            implements EapReply {
    }

    /** Access-Reject carrying EAP-Failure (or nothing when no EAP packet could be read), and why. */
    record Reject(byte[] eapMessage, Rejection rejection) implements EapReply {

        /** The reason as logged. */
        public String reason() {
            return rejection.toString();
        }
    }
}
