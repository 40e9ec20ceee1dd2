package org.opentwag.api.session;

import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.trace.RejectReason;

/** The access-session bundle's answer to a verified subscriber. */
public sealed interface AccessGrant {

    /**
     * Access granted: what the Access-Accept carries besides the EAP keys.
     *
     * @param classValue             the Class attribute (RFC 2865 5.25) the AP echoes in accounting
     * @param sessionTimeoutSeconds  Session-Timeout, 0 for none
     * @param interimIntervalSeconds Acct-Interim-Interval, 0 for none
     * @param charging               what charging decided, or null when no charging is installed (for logs)
     * @param chargeableUserIdentity the Chargeable-User-Identity (RFC 4372) when the AP asked for one, else null
     */
    record Granted(String classValue, int sessionTimeoutSeconds, int interimIntervalSeconds,
                   ChargingDecision charging, String chargeableUserIdentity) implements AccessGrant {

        /** A grant without Chargeable-User-Identity. */
        public Granted(String classValue, int sessionTimeoutSeconds, int interimIntervalSeconds,
                       ChargingDecision charging) {
            this(classValue, sessionTimeoutSeconds, interimIntervalSeconds, charging, null);
        }
    }

    /**
     * Access refused; {@code reason} is for logs and the client list.
     *
     * @param why the typed reason of the Access-Reject
     */
    record Refused(RejectReason why, String reason) implements AccessGrant {

        /** Charging said no or failed. */
        public Refused(String reason) {
            this(RejectReason.CHARGING_REFUSED, reason);
        }
    }
}
