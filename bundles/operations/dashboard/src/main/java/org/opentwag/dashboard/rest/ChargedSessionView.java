package org.opentwag.dashboard.rest;

import org.opentwag.api.charging.ChargedSession;
import org.opentwag.api.charging.ChargingDecision;

/**
 * A session as the charging core sees it. The backend's own state (Gy Session-Id, request numbers) stays on the
 * server.
 *
 * @param leftOctets octets left in the current grant, or null when unlimited
 */
public record ChargedSessionView(String imsi, String mode, String acctSessionId, String userName, String nasIp,
                                 String started, String updated, long usedOctets, Long leftOctets,
                                 String validUntil, boolean finalUnit) {

    public static ChargedSessionView of(ChargedSession s) {
        long left = s.leftOctets();
        return new ChargedSessionView(s.session().imsi(), s.mode(), s.acctSessionId(), s.userName(),
                s.session().nasIp(), AccessPointView.instant(s.startedAtMillis()),
                AccessPointView.instant(s.updatedAtMillis()), s.usedOctets(),
                left == ChargingDecision.UNLIMITED ? null : left, AccessPointView.instant(s.validUntilMillis()),
                s.finalUnit());
    }
}
