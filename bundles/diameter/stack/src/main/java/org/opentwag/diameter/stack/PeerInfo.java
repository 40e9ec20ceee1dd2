package org.opentwag.diameter.stack;

import java.time.Instant;
import java.util.Set;

/**
 * What an operator sees of a peer: identity, state, what it told us in CER/CEA.
 *
 * @param host               Origin-Host of the peer
 * @param realm              the realm we route to it
 * @param address            remote address of the current connection (or the configured one)
 * @param port               remote port
 * @param transport          TCP or TLS
 * @param role               who opened the current (or next) connection
 * @param state              peer state
 * @param since              when the state last changed
 * @param productName        Product-Name from its CER/CEA, null before the first exchange
 * @param advertisedApplications application ids it advertised
 * @param commonApplications application ids we both support (what we route to it)
 * @param defaultRoute       whether it is a default route (DRA)
 * @param configured         false for a peer accepted through {@code acceptUnknownPeers}
 * @param pendingRequests    requests sent to it and not yet answered
 */
public record PeerInfo(String host, String realm, String address, int port, Transport transport, ConnectionRole role,
                       PeerState state, Instant since, String productName, Set<Long> advertisedApplications,
                       Set<Long> commonApplications, boolean defaultRoute, boolean configured, int pendingRequests) {

    public boolean isOpen() {
        return state == PeerState.OPEN;
    }
}
