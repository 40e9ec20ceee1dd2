package org.opentwag.api.session;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.opentwag.api.state.AuthorizedSession;
import org.opentwag.api.state.ClientState;
import org.opentwag.api.vectors.Non3gppUserData;

/**
 * The client list (one row per subscriber) and what operators and accounting do with it, served by the
 * access-session bundle, which alone reads and writes the underlying state. Shell, dashboard, web console and
 * accounting use this instead of reading state-store maps by name.
 */
public interface AccessSessions {

    /** Every client row (a snapshot). */
    Collection<ClientState> clients();

    /** The client known under an EAP identity, else under an IMSI or a Chargeable-User-Identity (its latest identity). */
    Optional<ClientState> client(String identityOrImsi);

    /**
     * The non-3GPP user data the home network gave for the subscriber (SAA at its registration, or a later PPR),
     * kept with its session; empty when none is known.
     */
    default Optional<Non3gppUserData> userData(String imsi) {
        return Optional.empty();
    }

    /** Clients whose last authentication was accepted and has not ended. */
    long activeClientCount();

    /** The Access-Accept that handed out the Class token {@code token} (without {@link AuthorizedSession#CLASS_PREFIX}). */
    Optional<AuthorizedSession> authorization(String token);

    /**
     * The AP reported the end of the subscriber's session there (accounting Stop): when that is where the subscriber
     * is currently admitted, its row ends and the HSS is told (deregistration SAR).
     */
    void ended(String imsi, String nasIp, String reason);

    /**
     * Ends the subscriber's access: one RFC 5176 Disconnect-Request to the AP where it is admitted, found through the
     * by-IMSI index (no scan). Completes normally in every case; the outcome says what happened.
     */
    CompletionStage<DisconnectOutcome> disconnect(String identityOrImsi, String reason);

    /**
     * @param identity     the client's identity, or null when no admitted client was found
     * @param nasIp        its access point, or null
     * @param outcome      ACK, NAK, TIMEOUT, ..., or NO_CLIENT / NO_DAS
     * @param acknowledged whether the AP confirmed (Disconnect-ACK)
     * @param detail       for logs and operators
     */
    record DisconnectOutcome(String identity, String nasIp, String outcome, boolean acknowledged, String detail) {

        public static DisconnectOutcome noClient(String who) {
            return new DisconnectOutcome(null, null, "NO_CLIENT", false, "no client " + who
                    + " with a known access point");
        }
    }
}
