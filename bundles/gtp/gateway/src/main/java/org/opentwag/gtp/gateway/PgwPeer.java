package org.opentwag.gtp.gateway;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import org.opentwag.api.s2a.HomeRouting.PeerState;
import org.opentwag.api.s2a.HomeRouting.PgwPeerView;

/** One PGW as the gateway sees it: reachability, its restart counter (Recovery) and the last round trip. */
final class PgwPeer {
    private final InetSocketAddress address;
    private PeerState state = PeerState.UNKNOWN;
    private int restartCounter = -1;
    private long restarts;
    private long rttMillis = -1;

    PgwPeer(InetSocketAddress address) {
        this.address = address;
    }

    synchronized void answered(long rttNanos) {
        state = PeerState.UP;
        rttMillis = TimeUnit.NANOSECONDS.toMillis(rttNanos);
    }

    /** A request went unanswered after N3 retransmissions; true when this made the peer DOWN. */
    synchronized boolean unanswered() {
        boolean was = state != PeerState.DOWN;
        state = PeerState.DOWN;
        return was;
    }

    /** Records the PGW's Recovery; true when it differs from the one seen before (the PGW restarted). */
    synchronized boolean recovery(int value) {
        int before = restartCounter;
        restartCounter = value;
        if (before >= 0 && before != value) {
            restarts++;
            return true;
        }
        return false;
    }

    synchronized PgwPeerView view() {
        return new PgwPeerView(address.getAddress().getHostAddress() + ":" + address.getPort(), state, restartCounter,
                restarts, rttMillis);
    }
}
