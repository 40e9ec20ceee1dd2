package org.opentwag.dashboard.rest;

import java.util.List;

/**
 * One row of the guide's "Diameter Peers" page, in plain types so this package does not depend on the Diameter
 * bundle being installed.
 *
 * @param status "Connected" when the peer is open, else the state machine's state name
 * @param requests  requests sent to the peer since start (answered or timed out), null when unknown
 * @param errors    of those, error answers and timeouts
 * @param p50Millis median answer time, null before the first answer
 * @param p99Millis 99th percentile answer time, null before the first answer
 */
public record PeerView(String host, String realm, String address, int port, String transport, String initiation,
                       String status, boolean connected, String since, String productName,
                       List<Long> advertisedApplications, List<Long> commonApplications, boolean defaultRoute,
                       int pendingRequests, Long requests, Long errors, Double p50Millis, Double p99Millis) {

    /** Without traffic figures (a node that does not measure them). */
    public PeerView(String host, String realm, String address, int port, String transport, String initiation,
                    String status, boolean connected, String since, String productName,
                    List<Long> advertisedApplications, List<Long> commonApplications, boolean defaultRoute,
                    int pendingRequests) {
        this(host, realm, address, port, transport, initiation, status, connected, since, productName,
                advertisedApplications, commonApplications, defaultRoute, pendingRequests, null, null, null, null);
    }
}
