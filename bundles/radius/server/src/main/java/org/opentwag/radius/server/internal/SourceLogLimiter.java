package org.opentwag.radius.server.internal;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Lets a warning about a source address through at most once per interval, so that a misconfigured AP or a flood
 * cannot fill the log. Bounded: past {@code maxSources} tracked addresses the memory is reset.
 */
final class SourceLogLimiter {
    private final ConcurrentHashMap<InetAddress, Long> lastLogged = new ConcurrentHashMap<>();
    private final long intervalNanos;
    private final int maxSources;
    private final LongSupplier clock;

    SourceLogLimiter(long intervalNanos, int maxSources, LongSupplier clock) {
        this.intervalNanos = intervalNanos;
        this.maxSources = maxSources;
        this.clock = clock;
    }

    boolean shouldLog(InetAddress source) {
        long now = clock.getAsLong();
        if (lastLogged.size() >= maxSources) {
            lastLogged.clear();
        }
        boolean[] log = {false};
        lastLogged.compute(source, (address, last) -> {
            if (last == null || now - last >= intervalNanos) {
                log[0] = true;
                return now;
            }
            return last;
        });
        return log[0];
    }
}
