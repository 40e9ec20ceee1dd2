package org.opentwag.radius.server.internal;

import java.time.Duration;

/**
 * Listener settings (configuration PID {@code org.opentwag.radius}).
 *
 * @param bindAddress        address to listen on; 0.0.0.0 = all IPv4
 * @param ipv6               also listen on IPv6 (with 0.0.0.0: one dual-stack socket on ::)
 * @param authPort           RADIUS authentication port (0 = ephemeral, for tests)
 * @param acctPort           RADIUS accounting port (0 = ephemeral, for tests)
 * @param dedupWindow        how long an answer is kept for retransmissions (RFC 5080)
 * @param dedupMaxEntries    bound of the duplicate cache
 * @param maxPendingRequests requests in flight beyond which new ones are dropped and counted
 * @param workerThreads      threads calling the handlers (the event loop never does)
 * @param requestTimeout     a handler's stage not complete by then is abandoned without answer
 * @param memoryGuardPercent heap use after the latest garbage collection, in percent of the maximum heap, from which
 *                           Access-Requests that start a login are dropped and counted (0 = never)
 */
public record ServerSettings(String bindAddress, boolean ipv6, int authPort, int acctPort, Duration dedupWindow,
                             int dedupMaxEntries, int maxPendingRequests, int workerThreads, Duration requestTimeout,
                             int memoryGuardPercent) {

    public ServerSettings {
        if (maxPendingRequests < 1 || workerThreads < 1 || dedupMaxEntries < 1) {
            throw new IllegalArgumentException("maxPendingRequests, workerThreads and dedupMaxEntries must be positive");
        }
        if (memoryGuardPercent < 0 || memoryGuardPercent > 100) {
            throw new IllegalArgumentException("memoryGuardPercent " + memoryGuardPercent + " outside 0..100");
        }
        checkPort(authPort, "authPort");
        checkPort(acctPort, "acctPort");
    }

    private static void checkPort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " " + port + " outside 0..65535");
        }
    }

    /** The defaults of the product guide. */
    public static ServerSettings defaults() {
        return new ServerSettings("0.0.0.0", false, 1812, 1813, Duration.ofSeconds(30), 100_000, 10_000, 8,
                Duration.ofSeconds(20), 90);
    }

    public ServerSettings withPorts(int auth, int acct) {
        return new ServerSettings(bindAddress, ipv6, auth, acct, dedupWindow, dedupMaxEntries, maxPendingRequests,
                workerThreads, requestTimeout, memoryGuardPercent);
    }
}
