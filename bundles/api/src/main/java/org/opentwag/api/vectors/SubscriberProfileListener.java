package org.opentwag.api.vectors;

/**
 * Told when the home network pushes new non-3GPP user data for a subscriber (on SWx: a Push-Profile-Request from the
 * HSS). Registered as an OSGi service by the owner of access sessions, which stores the data and ends the access of a
 * subscriber now barred. Called on a network thread: return quickly.
 */
public interface SubscriberProfileListener {

    /**
     * @param data the new data, or null when the push carried none (nothing to act on)
     * @return whether this node holds a context (a client) for the subscriber; false makes the answer
     *         DIAMETER_ERROR_USER_UNKNOWN
     */
    boolean profileUpdated(String imsi, Non3gppUserData data);
}
