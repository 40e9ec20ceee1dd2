package org.opentwag.support.async;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class FuturesTest {

    @Test
    void unwrapFindsTheFailureInsideNestedWrappers() {
        IOException cause = new IOException("peer closed");
        assertThat(Futures.unwrap(new CompletionException(new ExecutionException(cause)))).isSameAs(cause);
        assertThat(Futures.unwrap(cause)).isSameAs(cause);
        CompletionException bare = new CompletionException("no cause", null);
        assertThat(Futures.unwrap(bare)).isSameAs(bare);
    }

    @Test
    void unwrapSeesWhatAFailedStageCarries() {
        IllegalStateException cause = new IllegalStateException("backend gone");
        Throwable[] seen = new Throwable[1];
        CompletableFuture.failedFuture(cause).thenApply(x -> x).whenComplete((v, t) -> seen[0] = t);
        assertThat(seen[0]).isInstanceOf(CompletionException.class);
        assertThat(Futures.unwrap(seen[0])).isSameAs(cause);
    }

    @Test
    void awaitReturnCompletesWithTheServiceOnceItIsBack() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        // absent for the first three looks (a bundle:update), then back
        String found = Futures.awaitReturn(() -> asked.incrementAndGet() > 3 ? "service" : null, 5, 2_000)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(found).isEqualTo("service");
        assertThat(asked.get()).isEqualTo(4);
    }

    @Test
    void awaitReturnGivesUpWithNullAfterTheWait() throws Exception {
        long start = System.nanoTime();
        Object found = Futures.awaitReturn(() -> null, 10, 100).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(found).isNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(100);
    }
}
