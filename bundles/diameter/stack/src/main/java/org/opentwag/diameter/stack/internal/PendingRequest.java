package org.opentwag.diameter.stack.internal;

import io.netty.util.Timeout;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.opentwag.diameter.codec.DiameterMessage;

/** A request waiting for its answer, possibly moving from peer to peer on failover. */
final class PendingRequest {
    final DiameterMessage request;
    final CompletableFuture<DiameterMessage> answer = new CompletableFuture<>();
    final boolean failover;
    final long deadlineNanos;
    /** Peers already tried (lower-case host): not chosen again on failover. */
    final Set<String> triedPeers = new HashSet<>(2);
    private final AtomicBoolean finished = new AtomicBoolean();
    volatile Timeout timeoutTask;
    volatile Connection connection;
    volatile int hopByHop;
    volatile int attempts;
    /** When the request was handed to the node: its answer time is measured from here (failover included). */
    final long createdNanos = System.nanoTime();

    /** Run on the I/O thread when the answer is read (RequestOptions#received), or null. */
    final Runnable received;

    PendingRequest(DiameterMessage request, boolean failover, long deadlineNanos, Runnable received) {
        this.request = request;
        this.failover = failover;
        this.deadlineNanos = deadlineNanos;
        this.received = received;
    }

    /** True for exactly one caller: the one that completes the request. */
    boolean finish() {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        Timeout t = timeoutTask;
        if (t != null) {
            t.cancel();
        }
        return true;
    }

    boolean isFinished() {
        return finished.get();
    }
}
