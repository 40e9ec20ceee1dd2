package org.opentwag.radius.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;

import org.junit.jupiter.api.Test;

class HeapAfterCollectionTest {
    private static final int RETAINED = 96 << 20;

    /** Holds what the test keeps alive across collections. */
    private byte[] retained;

    @Test
    void followsWhatSurvivesEachCollection() throws Exception {
        double share = (double) RETAINED / Runtime.getRuntime().maxMemory();
        try (HeapAfterCollection heap = new HeapAfterCollection()) {
            double before = collectUntil(heap, f -> f > 0);
            retained = new byte[RETAINED];
            double holding = collectUntil(heap, f -> f >= before + share * 0.9);
            assertThat(holding).as("96 MiB kept alive count after the collection").isGreaterThanOrEqualTo(before + share * 0.9);
            retained = null;
            double released = collectUntil(heap, f -> f <= holding - share * 0.9);
            assertThat(released).as("and no longer once they are garbage").isLessThanOrEqualTo(holding - share * 0.9);
            assertThat(released).isBetween(0.0, 1.0);
        }
    }

    @Test
    void stopsListeningWhenClosed() throws Exception {
        HeapAfterCollection heap = new HeapAfterCollection();
        collectUntil(heap, f -> f > 0);
        heap.close();
        double last = heap.fraction();
        retained = new byte[RETAINED];
        System.gc();
        Thread.sleep(200);
        assertThat(heap.fraction()).isEqualTo(last);
        retained = null;
    }

    /** Explicit collections until the figure (updated by the notification, on another thread) satisfies the test. */
    private static double collectUntil(HeapAfterCollection heap, DoublePredicate wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        double f = heap.fraction();
        while (!wanted.test(f) && System.nanoTime() < deadline) {
            System.gc();
            for (int i = 0; i < 20 && !wanted.test(heap.fraction()); i++) {
                Thread.sleep(10);
            }
            f = heap.fraction();
        }
        return f;
    }
}
