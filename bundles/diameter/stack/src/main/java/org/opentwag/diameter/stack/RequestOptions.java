package org.opentwag.diameter.stack;

import java.time.Duration;

/**
 * Per-request options.
 *
 * @param timeout  how long to wait for the answer across all failovers; null: the node's default
 * @param failover whether to retransmit (with the 'T' bit) to another open peer when the first one fails
 * @param received run once when the answer has been read and matched to this request, on the connection's I/O
 *                 thread, before the answer waits for one of the node's workers to complete the future: a caller
 *                 with its own answer deadline shorter than {@code timeout} (Gy's Tx) judges an answer in time by
 *                 this instant, not by when a busy worker gets to it. Must be quick and must not block; null: none
 * @param tx       a shorter wait after which {@code onTx} runs while the request stays pending until {@code timeout}
 *                 (RFC 4006 Tx: the caller's failure handling acts, a late answer is still matched); null: none
 * @param onTx     run once, on a stack worker, when {@code tx} passes with no answer and no failure; null: none
 */
public record RequestOptions(Duration timeout, boolean failover, Runnable received, Duration tx, Runnable onTx) {
    private static final RequestOptions DEFAULTS = new RequestOptions(null, true);

    public RequestOptions(Duration timeout, boolean failover) {
        this(timeout, failover, null, null, null);
    }

    public static RequestOptions defaults() {
        return DEFAULTS;
    }

    public static RequestOptions timeout(Duration timeout) {
        return new RequestOptions(timeout, true);
    }

    /** These options, and {@code received} run when the answer is read (see {@link #received()}). */
    public RequestOptions onReceived(Runnable received) {
        return new RequestOptions(timeout, failover, received, tx, onTx);
    }

    /**
     * These options with a Tx: one timer per request serves both waits (the request's own timer fires at Tx first,
     * then is set again for the rest of the timeout), where a second timer of the caller's would cost as much again.
     * A Tx not shorter than the timeout never runs {@code onTx}: the request fails with TIMEOUT first.
     */
    public RequestOptions withTx(Duration tx, Runnable onTx) {
        return new RequestOptions(timeout, failover, received, tx, onTx);
    }
}
