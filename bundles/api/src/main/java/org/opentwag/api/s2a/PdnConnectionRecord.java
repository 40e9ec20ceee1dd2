package org.opentwag.api.s2a;

import java.io.Serializable;

import org.opentwag.api.state.StateCodec;

/**
 * One home-routed PDN connection as the S2a gateway keeps it in the state store (its only owner), so that a restart
 * or update of the gateway bundle, or another node of the cluster, can still end it at the PGW (Delete Session on the
 * subscriber's Accounting-Stop) and match the PGW's requests to it by TEID. Plain data: no codec types.
 *
 * @param imsi          the subscriber
 * @param apn           APN of the connection
 * @param address       the phone's IPv4 address (PAA), dotted
 * @param pgwAddress    the PGW's GTP-C address
 * @param pgwPort       the PGW's GTP-C port
 * @param localAddress  our GTP-C address (in our F-TEIDs)
 * @param localTeid     our control-plane TEID (S2a TWAN GTP-C)
 * @param pgwTeid       the PGW's control-plane TEID
 * @param localUserTeid our user-plane TEID (S2a TWAN GTP-U)
 * @param pgwUserTeid   the PGW's user-plane TEID, -1 when it sent none
 * @param pgwUserAddress the PGW's user-plane address, or null
 * @param openedMillis  when the Create Session Response accepted it
 */
public record PdnConnectionRecord(String imsi, String apn, String address, String pgwAddress, int pgwPort,
                                  String localAddress, long localTeid, long pgwTeid, long localUserTeid,
                                  long pgwUserTeid, String pgwUserAddress, long openedMillis) implements Serializable {

    /** Its byte form in the state store. */
    public static final StateCodec<PdnConnectionRecord> CODEC = StateCodec.of(PdnConnectionRecord.class,
            (v, out) -> out.putString(v.imsi).putString(v.apn).putString(v.address).putString(v.pgwAddress)
                    .putInt(v.pgwPort).putString(v.localAddress).putLong(v.localTeid).putLong(v.pgwTeid)
                    .putLong(v.localUserTeid).putLong(v.pgwUserTeid).putString(v.pgwUserAddress)
                    .putLong(v.openedMillis),
            in -> new PdnConnectionRecord(in.getString(), in.getString(), in.getString(), in.getString(),
                    in.getInt(), in.getString(), in.getLong(), in.getLong(), in.getLong(), in.getLong(),
                    in.getString(), in.getLong()));

    private static final long serialVersionUID = 1L;
}
