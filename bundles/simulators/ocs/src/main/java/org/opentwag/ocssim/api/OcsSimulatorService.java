package org.opentwag.ocssim.api;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** The embedded OCS simulator as tests and operators see it (registered only when the simulator is enabled). */
public interface OcsSimulatorService {

    /** The simulator's Origin-Host. */
    String originHost();

    /** Where its Diameter listener is bound. */
    Optional<InetSocketAddress> listenAddress();

    /** The subscriber's balance in octets now (debited by reported usage, reservations not deducted), if known. */
    OptionalLong balance(String imsi);

    /**
     * Makes the simulator an overloaded OCS (DOIC, RFC 7683): from now on its CCAs carry a host-type OC-OLR (loss
     * algorithm) with a new sequence number asking for {@code reductionPercentage}% less traffic for {@code validity};
     * 0% sends a report that ends the overload.
     */
    void reportOverload(int reductionPercentage, Duration validity);

    /** Credit-control sessions open now (CCR-I answered, no CCR-T yet). */
    int openSessions();
}
