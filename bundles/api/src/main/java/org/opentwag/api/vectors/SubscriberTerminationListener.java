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
     */
    void terminated(String imsi, String reason);
}
