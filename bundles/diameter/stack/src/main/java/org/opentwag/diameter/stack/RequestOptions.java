package org.opentwag.diameter.stack;

import java.time.Duration;

/**
 * Per-request options.
 *
 * @param timeout  how long to wait for the answer across all failovers; null: the node's default
 * @param failover whether to retransmit (with the 'T' bit) to another open peer when the first one fails
 */
public record RequestOptions(Duration timeout, boolean failover) {
    private static final RequestOptions DEFAULTS = new RequestOptions(null, true);

    public static RequestOptions defaults() {
        return DEFAULTS;
    }

    public static RequestOptions timeout(Duration timeout) {
        return new RequestOptions(timeout, true);
    }
}
