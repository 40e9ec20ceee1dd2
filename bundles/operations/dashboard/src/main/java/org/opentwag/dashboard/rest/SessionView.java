package org.opentwag.dashboard.rest;

import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.api.charging.Usage;

/**
 * One row of the guide's "Client Usage" page: a session as its access point accounts for it.
 *
 * @param durationSeconds  Acct-Session-Time when the AP sent one, else the time since the Start
 * @param downloadOctets   octets to the phone (Acct-Output-Octets, Gigawords folded in)
 * @param uploadOctets     octets from the phone (Acct-Input-Octets)
 */
public record SessionView(String acctSessionId, String nasIp, String userName, String imsi, String calledStationId,
                          String callingStationId, String framedIp, String started, String updated,
                          long durationSeconds, long downloadOctets, long uploadOctets, long downloadPackets,
                          long uploadPackets, boolean open, int terminateCause) {

    public static SessionView of(AccountingSession s, long nowMillis) {
        Usage u = s.usage() == null ? Usage.NONE : s.usage();
        long end = s.open() ? nowMillis : s.updatedAtMillis();
        long duration = u.sessionTimeSeconds() > 0 ? u.sessionTimeSeconds()
                : Math.max(0, (end - s.startedAtMillis()) / 1000);
        return new SessionView(s.acctSessionId(), s.nasIp(), s.userName(), s.imsi(), s.calledStationId(),
                s.callingStationId(), s.framedIp(), AccessPointView.instant(s.startedAtMillis()),
                AccessPointView.instant(s.updatedAtMillis()), duration, u.outputOctets(), u.inputOctets(),
                u.outputPackets(), u.inputPackets(), s.open(), s.terminateCause());
    }
}
