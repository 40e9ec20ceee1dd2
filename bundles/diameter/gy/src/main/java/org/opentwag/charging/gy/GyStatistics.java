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
    static final String LATE_ANSWER = "charging_cca_late_count";
    static final String IN_DOUBT = "charging_usage_in_doubt_octets";
    static final String UNCONFIRMED = "charging_usage_unconfirmed_octets";

    private final Counters counters;

    /** Counters of their own. */
    public GyStatistics() {
        this(new Counters());
    }

    /** Counters kept by {@code store}: the series it has of these metrics (counted before an update) included. */
    public GyStatistics(CounterStore store) {
        this(new Counters(store, CCR, CCA_RESULT, OCS_FAILURE, SERVER_REQUEST, LATE_ANSWER, IN_DOUBT,
                UNCONFIRMED));
    }

    // counted on every CCR and CCA: series names built once (Counters.Family)
    private final Counters.Family ccrs;
    private final Counters.Family answers;

    private GyStatistics(Counters counters) {
        this.counters = counters;
        this.ccrs = counters.family(CCR, "mode", "type");
        this.answers = counters.family(CCA_RESULT, "mode", "result");
    }

    void ccrSent(String mode, String type) {
        ccrs.increment(mode, type);
    }

    void answer(String mode, String result) {
        answers.increment(mode, result);
    }

    void failureHandled(String mode, FailureHandling handling, String type) {
        counters.increment(OCS_FAILURE + "{mode=\"" + mode + "\",type=\"" + type + "\",handling=\""
                + handling.name().toLowerCase() + "\"}");
    }

    /** An RAR or ASR from the OCS, by the Result-Code we answered. */
    void serverRequest(String kind, long resultCode) {
        counters.increment(SERVER_REQUEST + "{request=\"" + kind + "\",result=\"" + resultCode + "\"}");
    }

    /** A CCA that came after Tx (failure handling had acted), or a second one (to the retransmission). */
    void lateAnswer(String mode, String type) {
        counters.increment(LATE_ANSWER + "{mode=\"" + mode + "\",type=\"" + type + "\"}");
    }

    /** Used octets of a CCR-U that got no answer in time but may have reached the OCS: counted as reported. */
    void inDoubt(String mode, long octets) {
        counters.add(IN_DOUBT + "{mode=\"" + mode + "\"}", octets);
    }

    /** Used octets of a CCR that may have reached the OCS and never got an answer, even late. */
    void unconfirmed(String mode, String type, long octets) {
        counters.add(UNCONFIRMED + "{mode=\"" + mode + "\",type=\"" + type + "\"}", octets);
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
                LATE_ANSWER, "Gy answers that came after Tx (failure handling had acted) or twice (to a retransmission)",
                IN_DOUBT, "Used octets of CCR-Us without an answer in Tx that may have reached the OCS: counted as "
                        + "reported, never sent again as new usage",
                UNCONFIRMED, "Used octets of CCRs that may have reached the OCS and never got an answer, even late "
                        + "(reconcile from the accounting records)",
                CCR, "Gy Credit-Control-Requests sent, by charging mode and CC-Request-Type",
                CCA_RESULT, "Gy answers by Result-Code (or timeout, no_route, peer_down)",
                OCS_FAILURE, "OCS failures handled by Credit-Control-Failure-Handling",
                SERVER_REQUEST, "Re-Auth (rar) and Abort-Session (asr) requests from the OCS, by the Result-Code answered");
    }
}
