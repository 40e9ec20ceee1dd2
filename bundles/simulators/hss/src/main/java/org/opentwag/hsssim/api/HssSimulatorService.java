package org.opentwag.hsssim.api;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The embedded HSS simulator as tests and operator commands drive it (registered only when the simulator is
 * enabled).
 */
public interface HssSimulatorService {

    /** The simulator's Origin-Host. */
    String originHost();

    /** Where its Diameter listener is bound. */
    Optional<InetSocketAddress> listenAddress();

    /**
     * Sends a Registration-Termination-Request (PERMANENT_TERMINATION) for the subscriber to the AAA server that
     * registered it with SAR, or else to the configured TWAG peer.
     *
     * @return the Result-Code (or Experimental-Result-Code) of the RTA; fails when no answer comes
     */
    default CompletionStage<Long> sendRegistrationTermination(String imsi) {
        return sendRegistrationTermination(imsi, 0);
    }

    /**
     * Sends a Registration-Termination-Request with this Deregistration-Reason Reason-Code (TS 29.229 6.3.17:
     * 0 PERMANENT_TERMINATION, 1 NEW_SERVER_ASSIGNED, 2 SERVER_CHANGE, 3 REMOVE_S-CSCF), as above.
     */
    CompletionStage<Long> sendRegistrationTermination(String imsi, int reasonCode);

    /**
     * Bars (or allows again) the subscriber's non-3GPP access: its next SAA carries Non-3GPP-IP-Access
     * NON_3GPP_SUBSCRIPTION_BARRED (or ALLOWED).
     */
    void setBarred(String imsi, boolean barred);

    /**
     * {@link #setBarred} and then a Push-Profile-Request with the subscriber's new Non-3GPP-User-Data, to the AAA
     * server that registered it, or else to the configured TWAG peer.
     *
     * @return the Result-Code (or Experimental-Result-Code) of the PPA; fails when no answer comes
     */
    CompletionStage<Long> sendPushProfile(String imsi, boolean barred);

    /** Whether every multi-vector MAA reuses one RAND from now on (a faulty HSS). */
    void setDuplicateRands(boolean duplicate);

    /** SARs received for the subscriber with this Server-Assignment-Type (TS 29.229 6.3.15: 1 REGISTRATION, 5 USER_DEREGISTRATION). */
    long serverAssignments(String imsi, int assignmentType);

    /**
     * The Origin-Host of the AAA server the subscriber is registered at (its last SAR REGISTRATION), or empty when it
     * never registered or was deregistered since (SAR USER_DEREGISTRATION, or an RTR).
     */
    Optional<String> registeredAt(String imsi);

    /**
     * Makes the simulator an overloaded HSS (DOIC, RFC 7683): from now on its MAAs and SAAs carry a host-type OC-OLR
     * (loss algorithm) with a new sequence number asking for {@code reductionPercentage}% less traffic for
     * {@code validity}; 0% sends a report that ends the overload.
     */
    void reportOverload(int reductionPercentage, Duration validity);

    /** Number of subscribers loaded from the subscriber file. */
    int subscriberCount();
}
