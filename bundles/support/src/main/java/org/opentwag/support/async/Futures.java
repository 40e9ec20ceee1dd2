package org.opentwag.support.async;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What every bundle's asynchronous code needs beyond {@link CompletableFuture}: one place each, plain Java. */
public final class Futures {

    private Futures() {
    }

    /**
     * The failure itself: a stage's {@code whenComplete}/{@code exceptionally} sees it wrapped in a
     * {@link CompletionException} (and {@code get()} in an {@link ExecutionException}), which says nothing about what
     * went wrong. Unwraps nested wrappers; a wrapper without a cause is returned as is.
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Waits, off-thread, for a service that went away for a moment (its bundle being updated: the service is
     * unregistered and registered again within a second): asks {@code lookup} every {@code pollMillis} until it
     * answers non-null or {@code maxMillis} have passed, then completes with its last answer (null: still absent).
     * Never blocks the calling thread.
     */
    public static <T> CompletionStage<T> awaitReturn(Supplier<T> lookup, long pollMillis, long maxMillis) {
        return poll(lookup, pollMillis, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis));
    }

    private static <T> CompletionStage<T> poll(Supplier<T> lookup, long pollMillis, long deadlineNanos) {
        return CompletableFuture.supplyAsync(lookup, CompletableFuture.delayedExecutor(pollMillis, TimeUnit.MILLISECONDS))
                .thenCompose(found -> found != null || System.nanoTime() >= deadlineNanos
                        ? CompletableFuture.completedFuture(found) : poll(lookup, pollMillis, deadlineNanos));
    }
}
