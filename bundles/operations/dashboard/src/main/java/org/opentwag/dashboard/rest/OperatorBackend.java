package org.opentwag.dashboard.rest;

import java.util.List;
import java.util.Optional;

import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.api.check.SafetyCheck;
import org.opentwag.api.eap.ImsiPrivacy;
import org.opentwag.api.charging.ChargingQueries;
import org.opentwag.api.session.AccessSessions;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.passpoint.PasspointProfiles;

/**
 * The parts of the server the dashboard reads or acts on. Each one may be absent (its feature is not installed or
 * not configured); the API then answers "not installed" instead of failing.
 */
public interface OperatorBackend {

    /** The client list and disconnection (access-session bundle), or empty when it is not running. */
    Optional<AccessSessions> accessSessions();

    /** Sessions, usage and the access points, or empty when accounting is not installed. */
    Optional<AccountingQueries> accounting();

    /** The charging core's mode and sessions, or empty when charging is not installed. */
    Optional<ChargingQueries> charging();

    /** The Diameter node's peers, or empty when no Diameter node runs. */
    Optional<List<PeerView>> peers();

    /** The vector source registered under this name ({@code swx}, {@code local}, ...). */
    Optional<AuthVectorSource> vectorSource(String name);

    /** Every OpenTWAG configuration (secrets already masked), or empty without Config Admin. */
    Optional<List<ConfigurationView>> configurations();

    /** The Passpoint generator (feature opentwag-passpoint), for the AP configuration and device profile downloads. */
    default Optional<PasspointProfiles> passpoint() {
        return Optional.empty();
    }

    /** The overview's history (rates, latency, sessions), kept while the dashboard runs. */
    default Optional<org.opentwag.dashboard.history.MetricHistory> history() {
        return Optional.empty();
    }

    /** Home routing over S2a (PGW peers, PDN connections), or empty when it is not installed. */
    default Optional<org.opentwag.api.s2a.HomeRouting> homeRouting() {
        return Optional.empty();
    }

    /** The subscriber trace and per-AP outcomes, or empty when it is not running. */
    default Optional<org.opentwag.api.trace.SubscriberTrace> trace() {
        return Optional.empty();
    }

    /** The IMSI privacy keys (eap-sim-aka), when an EAP-SIM/AKA method feature is installed. */
    default Optional<ImsiPrivacy> imsiPrivacy() {
        return Optional.empty();
    }

    /** Every registered safety check (each bundle judges its own settings); none when no bundle has one. */
    default List<SafetyCheck> safetyChecks() {
        return List.of();
    }

    /**
     * @param outcome      ACK, NAK, TIMEOUT, UNKNOWN_NAS or FAILED
     * @param acknowledged whether the access point answered Disconnect-ACK
     * @param detail       a human-readable detail
     */
    record DisconnectResult(String outcome, boolean acknowledged, String detail) {
    }
}
