package org.opentwag.charging.gy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the Gy backends, published as Prometheus series by the OSGi component. */
public final class GyStatistics {

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    void increment(String series) {
        counters.computeIfAbsent(series, k -> new LongAdder()).increment();
    }

    void ccrSent(String mode, String type) {
        increment("charging_ccr_count{mode=\"" + mode + "\",type=\"" + type + "\"}");
    }

    void answer(String mode, String result) {
        increment("charging_cca_result_count{mode=\"" + mode + "\",result=\"" + result + "\"}");
    }

    void failureHandled(String mode, FailureHandling handling, String type) {
        increment("charging_ocs_failure_count{mode=\"" + mode + "\",type=\"" + type + "\",handling=\""
                + handling.name().toLowerCase() + "\"}");
    }

    /** Series name with labels -> value. */
    public Map<String, Number> values() {
        Map<String, Number> v = new LinkedHashMap<>();
        counters.forEach((k, n) -> v.put(k, n.sum()));
        return v;
    }

    public long get(String series) {
        LongAdder a = counters.get(series);
        return a == null ? 0 : a.sum();
    }

    public static Map<String, String> help() {
        return Map.of(
                "charging_ccr_count", "Gy Credit-Control-Requests sent, by charging mode and CC-Request-Type",
                "charging_cca_result_count", "Gy answers by Result-Code (or timeout, no_route, peer_down)",
                "charging_ocs_failure_count", "OCS failures handled by Credit-Control-Failure-Handling");
    }
}
