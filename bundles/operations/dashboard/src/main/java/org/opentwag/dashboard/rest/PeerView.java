package org.opentwag.dashboard.rest;

import java.util.List;

/**
 * One row of the guide's "Diameter Peers" page, in plain types so this package does not depend on the Diameter
 * bundle being installed.
 *
 * @param status "Connected" when the peer is open, else the state machine's state name
 */
public record PeerView(String host, String realm, String address, int port, String transport, String initiation,
                       String status, boolean connected, String since, String productName,
                       List<Long> advertisedApplications, List<Long> commonApplications, boolean defaultRoute,
                       int pendingRequests) {
}
