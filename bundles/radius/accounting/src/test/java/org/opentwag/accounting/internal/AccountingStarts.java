package org.opentwag.accounting.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.server.RadiusRequest;

/** The Accounting-Requests the service tests send: one AP (10.0.0.7), one phone, the session id given. */
final class AccountingStarts {
    private AccountingStarts() {
    }

    static RadiusRequest request(String acctSessionId) throws Exception {
        return request(acctSessionId, RadiusDictionary.ACCT_STATUS_START, 0);
    }

    /** An Interim-Update of that session, with {@code inputOctets} used so far. */
    static RadiusRequest interim(String acctSessionId, long inputOctets) throws Exception {
        return request(acctSessionId, RadiusDictionary.ACCT_STATUS_INTERIM_UPDATE, inputOctets);
    }

    /** The AP's Accounting-On: it restarted, none of its sessions is open. */
    static RadiusRequest accountingOn() throws Exception {
        return request("on", RadiusDictionary.ACCT_STATUS_ACCOUNTING_ON, 0);
    }

    private static RadiusRequest request(String acctSessionId, int statusType, long inputOctets) throws Exception {
        RadiusPacket packet = RadiusPacket.of(RadiusCode.ACCOUNTING_REQUEST, 1, List.of(
                RadiusAttribute.ofInt(RadiusDictionary.ACCT_STATUS_TYPE, statusType),
                RadiusAttribute.ofInt(RadiusDictionary.ACCT_INPUT_OCTETS, inputOctets),
                RadiusAttribute.ofString(RadiusDictionary.ACCT_SESSION_ID, acctSessionId),
                RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "0001010000000001@wlan"),
                RadiusAttribute.ofString(RadiusDictionary.CALLED_STATION_ID, "64-D9-89-1D-A4-20:ONS"),
                RadiusAttribute.ofString(RadiusDictionary.CALLING_STATION_ID, "86-81-69-A7-B4-B2"),
                RadiusAttribute.ofAddress(RadiusDictionary.NAS_IP_ADDRESS, InetAddress.getByName("10.0.0.7"))));
        return new RadiusRequest(packet, new InetSocketAddress("10.0.0.7", 40000), "default", Instant.now());
    }
}
