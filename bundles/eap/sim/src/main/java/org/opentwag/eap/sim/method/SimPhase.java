package org.opentwag.eap.sim.method;

/** Where an EAP-SIM conversation stands: which response the server waits for (RFC 4186 sections 3, 5, 6). */
public enum SimPhase {
    /** EAP-Request/SIM/Start sent (possibly asking for an identity); waiting for AT_NONCE_MT and the version. */
    START("start"),
    /** EAP-Request/SIM/Challenge sent; waiting for AT_MAC over n*SRES. */
    CHALLENGE("challenge"),
    /** EAP-Request/SIM/Re-authentication sent; waiting for the echoed AT_COUNTER and AT_MAC over NONCE_S. */
    REAUTHENTICATION("reauthentication"),
    /** Protected success notification sent (AT_RESULT_IND); its acknowledgement ends in EAP-Success. */
    SUCCESS_NOTIFICATION("success-notification"),
    /** General-failure notification sent; whatever the peer answers ends in EAP-Failure. */
    FAILURE_NOTIFICATION("failure-notification");

    private final String label;

    SimPhase(String label) {
        this.label = label;
    }

    /** The short name shown by the shell and in logs ({@code EapConversation.phase}). */
    public String label() {
        return label;
    }
}
