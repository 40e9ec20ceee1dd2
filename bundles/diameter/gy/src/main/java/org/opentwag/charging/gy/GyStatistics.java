package org.opentwag.charging.gy;

import java.util.Map;

import org.opentwag.api.metrics.CounterStore;
import org.opentwag.support.metrics.Counters;

/**
 * Counters of the Gy backends, published as Prometheus series by the OSGi component. Kept by the state store bundle's
 * {@link CounterStore} when there is one, so they continue across a bundle:update of charging-gy.
 */
public final class GyStatistics {

    static final String CCR = "charging_ccr_count";
    static final String CCA_RESULT = "charging_cca_result_count";
    static final String OCS_FAILURE = "charging_ocs_failure_count";
    static final String SERVER_REQUEST = "charging_ocs_request_count";

    private final Counters counters;

    /** Counters of their own. */
    public GyStatistics() {
        this(new Counters());
    }

    /** Counters kept by {@code store}: the series it has of these metrics (counted before an update) included. */
    public GyStatistics(CounterStore store) {
        this(new Counters(store, CCR, CCA_RESULT, OCS_FAILURE, SERVER_REQUEST));
    }

    private GyStatistics(Counters counters) {
        this.counters = counters;
    }

    void ccrSent(String mode, String type) {
        counters.increment(CCR + "{mode=\"" + mode + "\",type=\"" + type + "\"}");
    }

    void answer(String mode, String result) {
        counters.increment(CCA_RESULT + "{mode=\"" + mode + "\",result=\"" + result + "\"}");
    }

    void failureHandled(String mode, FailureHandling handling, String type) {
        counters.increment(OCS_FAILURE + "{mode=\"" + mode + "\",type=\"" + type + "\",handling=\""
                + handling.name().toLowerCase() + "\"}");
    }

    /** An RAR or ASR from the OCS, by the Result-Code we answered. */
    void serverRequest(String kind, long resultCode) {
        counters.increment(SERVER_REQUEST + "{request=\"" + kind + "\",result=\"" + resultCode + "\"}");
    }

    /** Series name with labels -> value. */
    public Map<String, Number> values() {
        return counters.values();
    }

    public long get(String series) {
        return counters.get(series);
    }

    public static Map<String, String> help() {
        return Map.of(
                CCR, "Gy Credit-Control-Requests sent, by charging mode and CC-Request-Type",
                CCA_RESULT, "Gy answers by Result-Code (or timeout, no_route, peer_down)",
                OCS_FAILURE, "OCS failures handled by Credit-Control-Failure-Handling",
                SERVER_REQUEST, "Re-Auth (rar) and Abort-Session (asr) requests from the OCS, by the Result-Code answered");
    }
}
