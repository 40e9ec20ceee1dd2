package org.opentwag.support.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded polling for asynchronous outcomes in tests. Shipped in twag-support's test-jar
 * ({@code <type>test-jar</type>}), so that every module's tests poll the same way.
 */
public final class Await {
    private Await() {
    }

    /** Returns as soon as {@code condition} holds; fails the test after {@code max}. */
    public static void until(String what, Duration max, BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + max.toMillis() + " ms waiting for " + what);
    }
}
