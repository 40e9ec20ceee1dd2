package org.opentwag.charging.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The core's counters, keyed by Prometheus series (name with labels). */
final class ChargingStatistics {

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    void add(String series, long n) {
        if (n > 0) {
            counters.computeIfAbsent(series, k -> new LongAdder()).add(n);
        }
    }

    void request(String mode, String type) {
        add("charging_request_count{mode=\"" + mode + "\",type=\"" + type + "\"}", 1);
    }

    void result(String mode, String result) {
        add("charging_result_count{mode=\"" + mode + "\",result=\"" + result + "\"}", 1);
    }

    void granted(String mode, long octets) {
        add("charging_quota_granted_octets{mode=\"" + mode + "\"}", octets);
    }

    void used(String mode, long octets) {
        add("charging_quota_used_octets{mode=\"" + mode + "\"}", octets);
    }

    void disconnect(String mode, String result) {
        add("charging_forced_disconnect_count{mode=\"" + mode + "\",result=\"" + result + "\"}", 1);
    }

    void unmatched(String status) {
        add("charging_unmatched_record_count{status=\"" + status + "\"}", 1);
    }

    long get(String series) {
        LongAdder a = counters.get(series);
        return a == null ? 0 : a.sum();
    }

    Map<String, Number> values() {
        Map<String, Number> v = new LinkedHashMap<>();
        counters.forEach((k, n) -> v.put(k, n.sum()));
        return v;
    }

    static Map<String, String> help() {
        return Map.of(
                "charging_request_count", "Calls to the charging backend by mode and type (start, update, stop)",
                "charging_result_count", "Charging answers by mode and result (allowed, refused, failed, no_backend)",
                "charging_quota_granted_octets", "Octets granted by the charging backend, by mode",
                "charging_quota_used_octets", "Octets used by charged sessions as accounting reported them, by mode",
                "charging_forced_disconnect_count", "Disconnect-Requests sent because the quota was used or refused, by AP answer",
                "charging_sessions_count", "Sessions being charged now, by mode",
                "charging_unmatched_record_count", "Accounting records that no charged session matched (no Class token echoed, or authorized before charging)",
                "charging_mode", "1 for the configured charging mode");
    }
}
