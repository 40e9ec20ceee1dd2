package org.opentwag.eap.aka.method;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.opentwag.eap.aka.statistics.EapAkaStatistics;

/** The guide's eap_aka_* counters for one method; they outlive re-configurations of the method. */
public final class AkaStatistics {
    public final LongAdder identity = new LongAdder();
    public final LongAdder challenge = new LongAdder();
    public final LongAdder syncFailure = new LongAdder();
    public final LongAdder success = new LongAdder();
    public final LongAdder reject = new LongAdder();
    public final LongAdder fastReauth = new LongAdder();

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
