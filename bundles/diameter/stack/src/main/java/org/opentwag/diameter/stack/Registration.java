package org.opentwag.diameter.stack;

/** Undoes a registration (handler, listener). Idempotent. */
@FunctionalInterface
public interface Registration extends AutoCloseable {
    @Override
    void close();
}
