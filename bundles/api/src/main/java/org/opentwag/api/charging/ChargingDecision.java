package org.opentwag.api.charging;

import java.io.Serializable;

/**
 * What a charging backend answered.
 *
 * @param allowed         whether the session may (go on) using the network
 * @param grantedOctets   the volume granted from now on, or {@link #UNLIMITED}
 * @param validitySeconds after how long the grant must be re-authorised, 0 for none
 * @param finalUnit       true when this grant is the last one (Final-Unit-Indication): disconnect once used
 * @param reason          why a session was refused, for logs; null when allowed
 */
public record ChargingDecision(boolean allowed, long grantedOctets, long validitySeconds, boolean finalUnit,
                               String reason) implements Serializable {
    public static final long UNLIMITED = -1;

    public static ChargingDecision unlimited() {
        return new ChargingDecision(true, UNLIMITED, 0, false, null);
    }

    public static ChargingDecision refused(String reason) {
        return new ChargingDecision(false, 0, 0, true, reason);
    }
}
