package org.opentwag.api.radius;

import java.time.Duration;

import org.opentwag.api.metrics.CounterStore;

/**
 * What the RADIUS server keeps outside its own bundle, so that a {@code bundle:update} of the server loses neither
 * its RFC 5080 duplicate cache (a retransmission of a request answered just before the update still gets the same
 * answer) nor its counters (the {@code radius_*} series on /metrics continue instead of restarting at zero).
 *
 * <p>Published as an OSGi service by the state store bundle ({@code state-memory}); node-local also in a cluster,
 * since an access point retransmits to the node it sent the request to. Plain JDK types only.
 */
public interface RadiusServerState extends CounterStore {

    /**
     * The node's duplicate cache with these bounds: the same instance as long as the bounds stay the same (a new,
     * empty one when they change).
     */
    ResponseCache responseCache(Duration window, int maxEntries);
}
