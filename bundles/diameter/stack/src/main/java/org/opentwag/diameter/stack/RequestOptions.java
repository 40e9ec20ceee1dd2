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
 */
public record RequestOptions(Duration timeout, boolean failover, Runnable received) {
    private static final RequestOptions DEFAULTS = new RequestOptions(null, true, null);

    public RequestOptions(Duration timeout, boolean failover) {
        this(timeout, failover, null);
    }

    public static RequestOptions defaults() {
        return DEFAULTS;
    }

    public static RequestOptions timeout(Duration timeout) {
        return new RequestOptions(timeout, true, null);
    }

    /** These options, and {@code received} run when the answer is read (see {@link #received()}). */
    public RequestOptions onReceived(Runnable received) {
        return new RequestOptions(timeout, failover, received);
    }
}
