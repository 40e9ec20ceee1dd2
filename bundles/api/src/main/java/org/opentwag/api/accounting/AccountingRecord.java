package org.opentwag.api.accounting;

import java.io.Serializable;

import org.opentwag.api.charging.Usage;

/**
 * One Accounting-Request as stored: what the access point reported, with the subscriber resolved.
 *
 * @param status            Start, Interim-Update, Stop, Accounting-On or -Off
 * @param receivedAtMillis  when the server received it
 * @param nasIp             the access point (NAS-IP-Address, else the packet's source)
 * @param nasIdentifier     NAS-Identifier, may be null
 * @param acctSessionId     Acct-Session-Id; null for Accounting-On/Off
 * @param userName          User-Name as sent (pseudonym, re-auth id or permanent NAI), may be null
 * @param imsi              the subscriber, when the session could be tied to an authentication, else null
 * @param authSessionId     our token from the Class attribute of the Access-Accept, echoed by the AP, else null
 * @param calledStationId   AP MAC:SSID as sent, may be null
 * @param callingStationId  the phone's MAC, may be null
 * @param framedIp          Framed-IP-Address in dotted form, may be null
 * @param usage             cumulative usage of the session so far (Gigawords folded in)
 * @param terminateCause    Acct-Terminate-Cause value on Stop, 0 when absent
 * @param chargeableUserIdentity Chargeable-User-Identity (RFC 4372) the AP echoes from the Access-Accept, else null
 */
public record AccountingRecord(AccountingStatus status, long receivedAtMillis, String nasIp, String nasIdentifier,
                               String acctSessionId, String userName, String imsi, String authSessionId,
                               String calledStationId, String callingStationId, String framedIp, Usage usage,
                               int terminateCause, String chargeableUserIdentity) implements Serializable {

    /** A record without Chargeable-User-Identity. */
    public AccountingRecord(AccountingStatus status, long receivedAtMillis, String nasIp, String nasIdentifier,
                            String acctSessionId, String userName, String imsi, String authSessionId,
                            String calledStationId, String callingStationId, String framedIp, Usage usage,
                            int terminateCause) {
        this(status, receivedAtMillis, nasIp, nasIdentifier, acctSessionId, userName, imsi, authSessionId,
                calledStationId, callingStationId, framedIp, usage, terminateCause, null);
    }
}
