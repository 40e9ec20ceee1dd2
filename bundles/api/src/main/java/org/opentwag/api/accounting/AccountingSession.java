package org.opentwag.api.accounting;

import java.io.Serializable;

import org.opentwag.api.charging.Usage;

/**
 * A session as accounting knows it (the guide's "Client Usage"): keyed by Acct-Session-Id and access point.
 *
 * @param startedAtMillis when the Start arrived (or the first record, if the Start was missed)
 * @param updatedAtMillis when the last record arrived
 * @param open            false once a Stop (or the AP's Accounting-On/Off) closed it
 */
public record AccountingSession(String acctSessionId, String nasIp, String userName, String imsi,
                                String calledStationId, String callingStationId, String framedIp,
                                long startedAtMillis, long updatedAtMillis, Usage usage, boolean open,
                                int terminateCause) implements Serializable {
}
