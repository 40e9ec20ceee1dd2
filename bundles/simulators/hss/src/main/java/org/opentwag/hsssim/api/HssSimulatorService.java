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
    CompletionStage<Long> sendRegistrationTermination(String imsi);

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
