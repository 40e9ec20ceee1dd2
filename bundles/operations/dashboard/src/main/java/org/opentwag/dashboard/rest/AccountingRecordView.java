package org.opentwag.dashboard.rest;

import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingStatus;
import org.opentwag.api.charging.Usage;

/**
 * One stored Accounting-Request of a session, as the database holds it. Counters are the session's totals so far,
 * as the AP reports them (RFC 2866); the Class token that tied it to the authentication is left out.
 *
 * @param status          Acct-Status-Type by its RFC 2866 name, or "other" for a value the server does not handle
 * @param downloadOctets  octets to the phone (Acct-Output-Octets, Gigawords folded in)
 * @param uploadOctets    octets from the phone (Acct-Input-Octets)
 * @param terminateCause  Acct-Terminate-Cause, 0 when absent
 */
public record AccountingRecordView(String received, String status, String userName, String imsi,
                                   String nasIdentifier, String calledStationId, String callingStationId,
                                   String framedIp, long sessionTimeSeconds, long downloadOctets, long uploadOctets,
                                   long downloadPackets, long uploadPackets, int terminateCause) {

    public static AccountingRecordView of(AccountingRecord r) {
        Usage u = r.usage() == null ? Usage.NONE : r.usage();
        return new AccountingRecordView(AccessPointView.instant(r.receivedAtMillis()),
                AccountingStatus.rfcNameOf(r.status()), r.userName(), r.imsi(), r.nasIdentifier(),
                r.calledStationId(), r.callingStationId(), r.framedIp(), u.sessionTimeSeconds(), u.outputOctets(),
                u.inputOctets(), u.outputPackets(), u.inputPackets(), r.terminateCause());
    }
}
