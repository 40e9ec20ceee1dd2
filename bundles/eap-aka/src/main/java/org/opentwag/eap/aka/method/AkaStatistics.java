package org.opentwag.eap.aka.method;

import java.util.concurrent.atomic.LongAdder;

/** The guide's eap_aka_* counters for one method. */
public final class AkaStatistics {
    public final LongAdder identity = new LongAdder();
    public final LongAdder challenge = new LongAdder();
    public final LongAdder syncFailure = new LongAdder();
    public final LongAdder success = new LongAdder();
    public final LongAdder reject = new LongAdder();
    public final LongAdder fastReauth = new LongAdder();
}
