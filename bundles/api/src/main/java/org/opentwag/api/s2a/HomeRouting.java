package org.opentwag.api.s2a;

import java.util.List;
import java.util.Optional;

/**
 * What the S2a gateway (home routing to the operator's PGW, TS 23.402 16) shows operators: its PGW peers and its
 * PDN connections. Read by the shell ({@code twag:s2a}); the gateway alone owns this state.
 */
public interface HomeRouting {

    List<PgwPeerView> peers();

    List<PdnConnectionView> connections();

    /** The subscriber's PDN connection, if it is home-routed now. */
    default Optional<PdnConnectionView> connection(String imsi) {
        return connections().stream().filter(c -> c.imsi().equals(imsi)).findFirst();
    }

    /** Where a PGW stands as seen by Echo (TS 29.274 7.1) and requests: UNKNOWN before the first answer. */
    enum PeerState { UNKNOWN, UP, DOWN }

    /**
     * @param address        PGW GTP-C address:port
     * @param state          UP after an answer, DOWN after a request went unanswered N3+1 times
     * @param restartCounter the PGW's Recovery, -1 before it sent one
     * @param restarts       restarts detected (Recovery changed)
     * @param rttMillis      the last Echo round trip, -1 before one
     */
    record PgwPeerView(String address, PeerState state, int restartCounter, long restarts, long rttMillis) {
    }

    /**
     * @param imsi          the subscriber
     * @param apn           APN of the connection
     * @param address       the phone's IPv4 address (PAA)
     * @param pgw           the PGW's GTP-C address
     * @param localTeid     our control-plane TEID (S2a TWAN GTP-C)
     * @param pgwTeid       the PGW's control-plane TEID
     * @param localUserTeid our user-plane TEID (S2a TWAN GTP-U)
     * @param pgwUserTeid   the PGW's user-plane TEID and address
     * @param openedMillis  when the Create Session Response accepted it
     */
    record PdnConnectionView(String imsi, String apn, String address, String pgw, long localTeid, long pgwTeid,
                             long localUserTeid, String pgwUserTeid, long openedMillis) {
    }
}
