package org.opentwag.diameter.stack;

import java.time.Duration;

/**
 * Per-request options.
 *
 * @param timeout  how long to wait for the answer across all failovers; null: the node's default
 * @param failover whether to retransmit (with the 'T' bit) to another open peer when the first one fails
 * @param tx       a shorter wait after which {@code onTx} runs while the request stays pending until {@code timeout}
 *                 (RFC 4006 Tx: the caller's failure handling acts, a late answer is still matched); null: none
 * @param onTx     run once, on a stack worker, when {@code tx} passes with no answer and no failure; null: none
 */
public record RequestOptions(Duration timeout, boolean failover, Duration tx, Runnable onTx) {
    private static final RequestOptions DEFAULTS = new RequestOptions(null, true);

    public RequestOptions(Duration timeout, boolean failover) {
        this(timeout, failover, null, null);
    }

    public static RequestOptions defaults() {
        return DEFAULTS;
    }

    public static RequestOptions timeout(Duration timeout) {
        return new RequestOptions(timeout, true);
    }

    /**
     * These options with a Tx: one timer per request serves both waits (the request's own timer fires at Tx first,
     * then is set again for the rest of the timeout), where a second timer of the caller's would cost as much again.
     * A Tx not shorter than the timeout never runs {@code onTx}: the request fails with TIMEOUT first.
     */
    public RequestOptions withTx(Duration tx, Runnable onTx) {
        return new RequestOptions(timeout, failover, tx, onTx);
    }
}
