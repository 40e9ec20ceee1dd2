package org.opentwag.api.accounting;

import java.io.Serializable;

import org.opentwag.api.state.StateCodec;

/**
 * An access point as the server has seen it (the guide's "Access Point Details"), from its Access- and
 * Accounting-Requests.
 *
 * @param nasIp          NAS-IP-Address (else the packet source): the key
 * @param nasIdentifier  NAS-Identifier, may be null
 * @param apMac          the AP's MAC from Called-Station-Id ("AA-BB-CC-DD-EE-FF:SSID"), may be null
 * @param ssid           the SSID from Called-Station-Id, may be null
 * @param nasPortType    NAS-Port-Type value (19 = Wireless-802.11), 0 when never sent
 * @param framedMtu      Framed-MTU the AP announced, 0 when never sent
 * @param clientCount    sessions open on it now (accounting Start without Stop)
 */
public record AccessPoint(String nasIp, String nasIdentifier, String apMac, String ssid, int nasPortType,
                          int framedMtu, long firstSeenMillis, long lastSeenMillis, int clientCount)
        implements Serializable {

    /** Its byte form in the state store. */
    public static final StateCodec<AccessPoint> CODEC = StateCodec.of(AccessPoint.class,
            (v, out) -> out.putString(v.nasIp).putString(v.nasIdentifier).putString(v.apMac).putString(v.ssid)
                    .putInt(v.nasPortType).putInt(v.framedMtu).putLong(v.firstSeenMillis).putLong(v.lastSeenMillis)
                    .putInt(v.clientCount),
            in -> new AccessPoint(in.getString(), in.getString(), in.getString(), in.getString(), in.getInt(),
                    in.getInt(), in.getLong(), in.getLong(), in.getInt()));

}
