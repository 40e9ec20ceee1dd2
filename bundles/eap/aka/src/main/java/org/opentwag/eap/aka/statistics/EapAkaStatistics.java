package org.opentwag.eap.aka.statistics;

import java.util.Map;

/**
 * The operations guide's EAP-AKA counters, published as an OSGi service by the eap-aka bundle (which also publishes
 * them as an {@code org.opentwag.api.metrics.MetricsSource}).
 *
 * <p>Keys are Prometheus series names with a {@code method} label, one series per method and counter:
 * {@code eap_aka_identity_count{method="EAP-AKA"}}, {@code eap_aka_challenge_count{method="EAP-AKA'"}}, ... for
 * the names in {@link #COUNTERS}.
 */
public interface EapAkaStatistics {

    String IDENTITY = "eap_aka_identity_count";
    String CHALLENGE = "eap_aka_challenge_count";
    String SYNC_FAILURE = "eap_aka_sync_failure_count";
    String AUTH_SUCCESS = "eap_aka_auth_success_count";
    String AUTH_REJECT = "eap_aka_auth_reject_count";
    /** Not in the guide: successful fast re-authentications (also counted in {@link #AUTH_SUCCESS}). */
    String FAST_REAUTH = "eap_aka_fast_reauth_count";

    /** Every counter name, in the guide's order. */
    java.util.List<String> COUNTERS = java.util.List.of(IDENTITY, CHALLENGE, SYNC_FAILURE, AUTH_SUCCESS,
            AUTH_REJECT, FAST_REAUTH);

    /** The series name of a counter for one method, e.g. {@code series(CHALLENGE, "EAP-AKA'")}. */
    static String series(String counter, String method) {
        return counter + "{method=\"" + method + "\"}";
    }

    /** The current value of every series (both methods, enabled or not). */
    Map<String, Long> snapshot();
}
