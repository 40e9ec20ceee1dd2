package org.opentwag.eap.sim.method;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/** EAP-SIM's counters, kept where the component finds them (the state store bundle's, so they outlive an update). */
public final class SimStatistics {
    final LongAdder identity;
    final LongAdder challenge;
    final LongAdder success;
    final LongAdder reject;
    final LongAdder fastReauth;

    public SimStatistics(Function<String, LongAdder> counters) {
        identity = counters.apply("eap-sim.identity");
        challenge = counters.apply("eap-sim.challenge");
        success = counters.apply("eap-sim.success");
        reject = counters.apply("eap-sim.reject");
        fastReauth = counters.apply("eap-sim.fast-reauth");
    }

    /** The counters by Prometheus name. */
    public void addTo(Map<String, Number> out) {
        out.put("eap_sim_identity_count", identity.sum());
        out.put("eap_sim_challenge_count", challenge.sum());
        out.put("eap_sim_auth_success_count", success.sum());
        out.put("eap_sim_auth_reject_count", reject.sum());
        out.put("eap_sim_fast_reauth_count", fastReauth.sum());
    }
}
