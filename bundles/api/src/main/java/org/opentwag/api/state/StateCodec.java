package org.opentwag.api.state;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * How one type of state value is written as bytes and read back, field by field, without reflection: the owner of a
 * value type provides it (as the type's {@code CODEC}) and {@link StateCodecs} lists them for the stores.
 *
 * <p>Why: the in-memory store keeps long-lived values as bytes. Taking records apart through reflection boxed every
 * number, built an argument array per record and grew a temporary buffer per value; an explicit codec writes the
 * fields straight into the store's own bytes and reads them back into the one object it returns.
 *
 * <p>{@link #write} is called twice per value, first with a {@link StateWriter} that only counts, then with one that
 * writes into space of exactly that size, so it must write the same fields both times (it only reads the value).
 * {@link #read} must read back exactly what {@code write} wrote; {@link StateReader} throws
 * {@link StateFormatException} on bytes that are short or malformed.
 */
public interface StateCodec<T> {

    /** The type this codec writes and reads (exactly this class: values of a subclass are not its). */
    Class<T> type();

    void write(T value, StateWriter out);

    T read(StateReader in);

    /** A codec of two functions, for a record's {@code CODEC} constant. */
    static <T> StateCodec<T> of(Class<T> type, BiConsumer<T, StateWriter> write, Function<StateReader, T> read) {
        return new StateCodec<>() {
            @Override
            public Class<T> type() {
                return type;
            }

            @Override
            public void write(T value, StateWriter out) {
                write.accept(value, out);
            }

            @Override
            public T read(StateReader in) {
                return read.apply(in);
            }
        };
    }
}
