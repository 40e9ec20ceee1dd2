package org.opentwag.api.charging;

import java.util.concurrent.CompletionStage;

/**
 * A charging mode, registered as an OSGi service with the property {@value #MODE_PROPERTY}. The server uses the
 * backend whose mode is configured ({@code disabled}, {@code authorization-only}, {@code online} or a vendor's
 * name); a session keeps the backend it started with even when the configured mode changes.
 *
 * <p>All calls return at once; stages complete when the OCS has answered or the backend's failure handling decided.
 */
public interface ChargingBackend {

    String MODE_PROPERTY = "opentwag.charging.mode";

    /** The mode this backend implements. */
    String mode();

    /** Before Access-Accept: may this subscriber use the network, and how much (CCR-Initial on Gy). */
    CompletionStage<ChargingDecision> start(ChargingSession session);

    /** Usage reported by the AP (interim accounting): report it, ask for more (CCR-Update on Gy). */
    CompletionStage<ChargingDecision> update(ChargingSession session, Usage used);

    /**
     * The charging server asked for a re-authorisation (Gy RAR) or the grant's validity ran out: report the usage
     * known so far and ask for more now, whatever share of the grant is used. By default the same as an update.
     */
    default CompletionStage<ChargingDecision> reauthorize(ChargingSession session, Usage used) {
        return update(session, used);
    }

    /** The session ended with this total usage (CCR-Termination on Gy). */
    CompletionStage<Void> stop(ChargingSession session, Usage total);
}
