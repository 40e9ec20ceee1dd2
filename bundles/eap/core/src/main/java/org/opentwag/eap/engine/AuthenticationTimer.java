package org.opentwag.eap.engine;

/**
 * Told when an EAP conversation ends in Accept or Reject, with how long it took since its first Access-Request
 * (e.g. for the {@code eap_auth_duration_seconds} histogram). Called on the request path: must return at once.
 */
@FunctionalInterface
public interface AuthenticationTimer {

    /**
     * @param method   the EAP method's name ("EAP-AKA", "EAP-AKA'"), or "none" when the conversation ended before
     *                 a method was chosen
     * @param accepted true for Access-Accept, false for Access-Reject
     * @param millis   time from the conversation's first Access-Request to this answer
     */
    void finished(String method, boolean accepted, long millis);

    AuthenticationTimer NONE = (method, accepted, millis) -> { };
}
