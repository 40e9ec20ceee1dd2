package org.opentwag.api.accounting;

import java.io.Serializable;

import org.opentwag.api.charging.Usage;
import org.opentwag.api.state.StateCodec;

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

    /** Its byte form in the state store. */
    public static final StateCodec<AccountingSession> CODEC = StateCodec.of(AccountingSession.class,
            (v, out) -> out.putString(v.acctSessionId).putString(v.nasIp).putString(v.userName).putString(v.imsi)
                    .putString(v.calledStationId).putString(v.callingStationId).putString(v.framedIp)
                    .putLong(v.startedAtMillis).putLong(v.updatedAtMillis).putNullable(v.usage, Usage.CODEC)
                    .putBoolean(v.open).putInt(v.terminateCause),
            in -> new AccountingSession(in.getString(), in.getString(), in.getString(), in.getString(),
                    in.getString(), in.getString(), in.getString(), in.getLong(), in.getLong(),
                    in.getNullable(Usage.CODEC), in.getBoolean(), in.getInt()));

}
