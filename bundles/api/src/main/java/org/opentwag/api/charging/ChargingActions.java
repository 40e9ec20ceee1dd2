package org.opentwag.api.charging;

/**
 * What a charging server may ask of a running session on its own initiative, served by the charging core: a Gy
 * Re-Auth-Request (RAR) becomes {@link #reauthorize}, an Abort-Session-Request (ASR) {@link #abort}. The session is
 * named by {@link ChargingSession#sessionId()}. Both return at once; the work runs after whatever the session has
 * in flight, so it never overlaps an interim's update.
 */
public interface ChargingActions {

    /**
     * Reports the usage so far and asks for new units now ({@link ChargingBackend#reauthorize}); the outcome is
     * applied like an interim's (a refusal or used final units disconnect the session at the AP).
     *
     * @return false when no such session is being charged
     */
    boolean reauthorize(String sessionId, String why);

    /**
     * Ends the session at the AP (RFC 5176 Disconnect-Request); the backend's stop (CCR-T) follows with the AP's
     * accounting Stop.
     *
     * @return false when no such session is being charged
     */
    boolean abort(String sessionId, String why);
}
