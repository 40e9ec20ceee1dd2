package org.opentwag.swx.api;

/**
 * Told when the HSS ends a subscriber's non-3GPP registration with a Registration-Termination-Request (SWx RTR):
 * the RADIUS side then sends a Disconnect-Request to the access point serving that subscriber.
 *
 * <p>Whiteboard: register implementations as OSGi services; the SWx client calls every one of them. Called on a
 * Diameter worker thread after the RTA is decided: return quickly (hand long work to your own executor).
 */
@FunctionalInterface
public interface RegistrationTerminationListener {

    /**
     * @param imsi   the subscriber (User-Name of the RTR)
     * @param reason the Deregistration-Reason as text, e.g. {@code PERMANENT_TERMINATION (subscription cancelled)}
     */
    void terminated(String imsi, String reason);
}
