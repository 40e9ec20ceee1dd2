package org.opentwag.charging.core.internal;

import java.util.Map;

import org.opentwag.api.metrics.CounterStore;
import org.opentwag.support.metrics.Counters;

/**
 * The core's counters, keyed by Prometheus series (name with labels). Kept by the state store bundle's
 * {@link CounterStore} when there is one, so they continue across a bundle:update of charging-core (and a
 * re-activation of its component when the state store changes).
 */
final class ChargingStatistics {

    static final String REQUEST = "charging_request_count";
    static final String RESULT = "charging_result_count";
    static final String GRANTED = "charging_quota_granted_octets";
    static final String USED = "charging_quota_used_octets";
    static final String DISCONNECT = "charging_forced_disconnect_count";
    static final String UNMATCHED = "charging_unmatched_record_count";

    private final Counters counters;

    /** Counters of their own. */
    ChargingStatistics() {
        this(null);
    }

    /** Counters kept by {@code store} (null: of their own), with the series it already has of these metrics. */
    ChargingStatistics(CounterStore store) {
        counters = new Counters(store, REQUEST, RESULT, GRANTED, USED, DISCONNECT, UNMATCHED);
        requests = counters.family(REQUEST, "mode", "type");
        results = counters.family(RESULT, "mode", "result");
        granted = counters.family(GRANTED, "mode");
        used = counters.family(USED, "mode");
    }

    // counted on every login: series names built once (Counters.Family)
    private final Counters.Family requests;
    private final Counters.Family results;
    private final Counters.Family granted;
    private final Counters.Family used;

    boolean kept() {
        return counters.kept();
    }

    void add(String series, long n) {
        if (n > 0) {
            counters.add(series, n);
        }
    }

    void request(String mode, String type) {
        requests.increment(mode, type);
    }

    void result(String mode, String result) {
        results.increment(mode, result);
    }

    void granted(String mode, long octets) {
        if (octets > 0) {
            granted.add(mode, octets);
        }
    }

    void used(String mode, long octets) {
        if (octets > 0) {
            used.add(mode, octets);
        }
    }

    void disconnect(String mode, String result) {
        add(DISCONNECT + "{mode=\"" + mode + "\",result=\"" + result + "\"}", 1);
    }

    void unmatched(String status) {
        add(UNMATCHED + "{status=\"" + status + "\"}", 1);
    }

    long get(String series) {
        return counters.get(series);
    }

    Map<String, Number> values() {
        return counters.values();
    }

    static Map<String, String> help() {
        return Map.of(
                REQUEST, "Calls to the charging backend by mode and type (start, update, stop)",
                RESULT, "Charging answers by mode and result (allowed, refused, failed, no_backend)",
                GRANTED, "Octets granted by the charging backend, by mode",
                USED, "Octets used by charged sessions as accounting reported them, by mode",
                DISCONNECT, "Disconnect-Requests sent because the quota was used or refused, by AP answer",
                "charging_sessions_count", "Sessions being charged now, by mode",
                UNMATCHED, "Accounting records that no charged session matched (no Class token echoed, or authorized before charging)",
                "charging_mode", "1 for the configured charging mode");
    }
}
