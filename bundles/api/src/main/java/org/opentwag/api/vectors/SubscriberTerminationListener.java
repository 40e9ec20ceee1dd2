package org.opentwag.api.vectors;

/**
 * Told when the home network ends a subscriber's access (on SWx: a Registration-Termination-Request from the HSS).
 * Register as an OSGi service; the RADIUS side uses it to disconnect the phone at its access point.
 * Called on a network thread: return quickly.
 */
public interface SubscriberTerminationListener {

    /**
     * @param imsi   the subscriber
     * @param reason why, for logs (e.g. "PERMANENT_TERMINATION")
     * @return whether this node knew the subscriber (a client row or a registration); when no listener did, the
     *         answer is DIAMETER_ERROR_USER_UNKNOWN (TS 29.273 8.1.2.2)
     */
    boolean terminated(String imsi, String reason);
}
