package org.opentwag.eap.aka.method;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.opentwag.eap.aka.statistics.EapAkaStatistics;

/**
 * The guide's eap_aka_* counters for one method; they outlive re-configurations of the method, and, when their adders
 * come from the state store bundle's {@code CounterStore}, a bundle:update of eap-aka.
 */
public final class AkaStatistics {
    public final LongAdder identity;
    public final LongAdder challenge;
    public final LongAdder syncFailure;
    public final LongAdder success;
    public final LongAdder reject;
    public final LongAdder fastReauth;

    /** Counters of their own. */
    public AkaStatistics() {
        this(name -> new LongAdder(), "");
    }

    /** Counters from {@code counters}, by their series names for {@code method} (e.g. "EAP-AKA"). */
    public AkaStatistics(Function<String, LongAdder> counters, String method) {
        identity = counters.apply(EapAkaStatistics.series(EapAkaStatistics.IDENTITY, method));
        challenge = counters.apply(EapAkaStatistics.series(EapAkaStatistics.CHALLENGE, method));
        syncFailure = counters.apply(EapAkaStatistics.series(EapAkaStatistics.SYNC_FAILURE, method));
        success = counters.apply(EapAkaStatistics.series(EapAkaStatistics.AUTH_SUCCESS, method));
        reject = counters.apply(EapAkaStatistics.series(EapAkaStatistics.AUTH_REJECT, method));
        fastReauth = counters.apply(EapAkaStatistics.series(EapAkaStatistics.FAST_REAUTH, method));
    }

    /** Adds this method's series to {@code into}, keyed as {@link EapAkaStatistics} describes. */
    public void addTo(Map<String, Long> into, String method) {
        into.put(EapAkaStatistics.series(EapAkaStatistics.IDENTITY, method), identity.sum());
        into.put(EapAkaStatistics.series(EapAkaStatistics.CHALLENGE, method), challenge.sum());
        into.put(EapAkaStatistics.series(EapAkaStatistics.SYNC_FAILURE, method), syncFailure.sum());
        into.put(EapAkaStatistics.series(EapAkaStatistics.AUTH_SUCCESS, method), success.sum());
        into.put(EapAkaStatistics.series(EapAkaStatistics.AUTH_REJECT, method), reject.sum());
        into.put(EapAkaStatistics.series(EapAkaStatistics.FAST_REAUTH, method), fastReauth.sum());
    }
}
