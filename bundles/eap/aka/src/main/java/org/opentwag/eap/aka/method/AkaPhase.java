package org.opentwag.eap.aka.method;

/**
 * Where an EAP-AKA/AKA' conversation stands between two packets: which EAP-Request was sent last, so which response is
 * expected (hostapd's eap_aka_data.state). The wire name is what {@code EapConversation.phase()} shows in logs and the
 * shell.
 */
enum AkaPhase {
    /** AKA-Identity request sent (or nothing yet: the engine's EAP-Response/Identity starts here). */
    IDENTITY("identity"),
    /** AKA-Challenge sent: AKA-Challenge response, Synchronization-Failure, Authentication-Reject expected. */
    CHALLENGE("challenge"),
    /** Protected success AKA-Notification sent (AT_RESULT_IND): its acknowledgement ends in EAP-Success. */
    SUCCESS_NOTIFICATION("success-notification"),
    /** General-failure AKA-Notification sent: whatever comes back ends in EAP-Failure. */
    FAILURE_NOTIFICATION("failure-notification"),
    /** AKA-Reauthentication sent (fast re-authentication). */
    REAUTHENTICATION("reauthentication");

    private final String wireName;

    AkaPhase(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    /** The phase of a wire name; IDENTITY for an unknown one (a fresh conversation). */
    static AkaPhase of(String wireName) {
        for (AkaPhase p : values()) {
            if (p.wireName.equals(wireName)) {
                return p;
            }
        }
        return IDENTITY;
    }
}
