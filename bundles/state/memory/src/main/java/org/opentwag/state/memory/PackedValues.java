package org.opentwag.state.memory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.opentwag.api.state.StateCodec;
import org.opentwag.api.state.StateCodecs;
import org.opentwag.api.state.StateFormatException;
import org.opentwag.api.state.StateReader;
import org.opentwag.api.state.StateWriter;
import org.opentwag.support.state.PackedRecords.ValueReader;
import org.opentwag.support.state.PackedRecords.ValueWriter;

/**
 * Turns the state values that live long (the API's records, through their {@link StateCodec}s; strings, byte arrays,
 * longs, ints, booleans) into bytes and back, so that they can be kept in a {@link PackedMap} instead of as objects.
 *
 * <p>Why: a login leaves a dozen entries that live for minutes to hours. As objects they are copied by every young
 * collection they survive and every put writes a pointer into an old map; as bytes in a few large arrays they cost
 * the collector nothing. A value is a tag byte (its kind, or its codec's index in {@link StateCodecs#ALL}) and its
 * fields. It is measured first and then written straight into the map's arena, and read back from the arena into the
 * one object returned: no reflection, no boxing, no temporary buffer. The bytes never leave this JVM.
 *
 * <p>A value of any other type (a plain class, a collection, an enum alone, a record without a codec) is not
 * encodable: {@link #encoding} returns null and the store keeps that value as an object.
 */
final class PackedValues {

    private static final int STRING = 1;
    private static final int BYTES = 2;
    private static final int LONG = 3;
    private static final int INT = 4;
    private static final int BOOLEAN = 5;
    private static final int CODEC = 16; // + the codec's index in StateCodecs.ALL

    private static final List<StateCodec<?>> CODECS = StateCodecs.ALL;
    private static final Map<Class<?>, Integer> CODEC_IDS = codecIds();

    /** Reads a value where it lies in an arena; what the store's gets, removes and swaps use. */
    final ValueReader<Object> reader = PackedValues::read;

    /** How to write one value: its length is known before its bytes are written (into the arena). */
    static final class Encoding implements ValueWriter {
        private final Object value;
        private final int tag;
        private final StateCodec<Object> codec;
        private final int length;
        private final StateWriter writer;

        private Encoding(Object value, int tag, StateCodec<Object> codec) {
            this.value = value;
            this.tag = tag;
            this.codec = codec;
            this.writer = StateWriter.counting();
            writeBody(writer);
            this.length = 1 + writer.position();
        }

        /** The value's length in bytes, tag included. */
        int length() {
            return length;
        }

        @Override
        public void write(byte[] arena, int offset) {
            arena[offset] = (byte) tag;
            writeBody(writer.reset(arena, offset + 1));
            if (writer.position() != offset + length) {
                // A codec that writes other fields than it counted: refuse rather than overrun the next record.
                throw new IllegalStateException("codec of " + value.getClass().getName() + " wrote "
                        + (writer.position() - offset) + " bytes after counting " + length);
            }
        }

        private void writeBody(StateWriter out) {
            switch (tag) {
                case STRING -> out.putRawString((String) value);
                case BYTES -> out.putRaw((byte[]) value);
                case LONG -> out.putLong((Long) value);
                case INT -> out.putInt((Integer) value);
                case BOOLEAN -> out.putBoolean((Boolean) value);
                default -> codec.write(value, out);
            }
        }
    }

    /** How to write the value, or null when it has a type this class does not take. */
    @SuppressWarnings("unchecked")
    Encoding encoding(Object value) {
        if (value instanceof String) {
            return new Encoding(value, STRING, null);
        } else if (value instanceof byte[]) {
            return new Encoding(value, BYTES, null);
        } else if (value instanceof Long) {
            return new Encoding(value, LONG, null);
        } else if (value instanceof Integer) {
            return new Encoding(value, INT, null);
        } else if (value instanceof Boolean) {
            return new Encoding(value, BOOLEAN, null);
        }
        Integer id = value == null ? null : CODEC_IDS.get(value.getClass());
        return id == null ? null : new Encoding(value, CODEC + id, (StateCodec<Object>) CODECS.get(id));
    }

    /** The value as bytes (a right-sized array), or null when it has a type this class does not take. */
    byte[] encode(Object value) {
        Encoding e = encoding(value);
        if (e == null) {
            return null;
        }
        byte[] bytes = new byte[e.length()];
        e.write(bytes, 0);
        return bytes;
    }

    /** The value that {@link #encode} turned into these bytes, as a new object. */
    Object decode(byte[] packed) {
        return read(packed, 0, packed.length);
    }

    /**
     * The value of {@code length} bytes of {@code a} from {@code from}; {@link StateFormatException} when they do not
     * hold one (cut short, a tag or a field out of range, bytes left over).
     */
    static Object read(byte[] a, int from, int length) {
        if (length < 1 || from < 0 || from + length > a.length) {
            throw new StateFormatException("packed state value: " + length + " bytes at " + from + " of "
                    + a.length);
        }
        int tag = a[from] & 0xff;
        int body = from + 1;
        int n = length - 1;
        switch (tag) {
            case STRING:
                return new String(a, body, n, StandardCharsets.UTF_8);
            case BYTES:
                return Arrays.copyOfRange(a, body, body + n);
            case LONG:
                return fixed(a, body, n, 8, "long").getLong();
            case INT:
                return fixed(a, body, n, 4, "int").getInt();
            case BOOLEAN:
                return fixed(a, body, n, 1, "boolean").getBoolean();
            default:
                int id = tag - CODEC;
                if (id < 0 || id >= CODECS.size()) {
                    throw new StateFormatException("packed state value: unknown tag " + tag);
                }
                StateCodec<?> codec = CODECS.get(id);
                StateReader in = new StateReader(a, body, n);
                Object v = codec.read(in);
                in.expectEnd(codec.type().getSimpleName());
                return v;
        }
    }

    private static StateReader fixed(byte[] a, int from, int n, int expected, String what) {
        if (n != expected) {
            throw new StateFormatException("packed state value: a " + what + " of " + n + " bytes");
        }
        return new StateReader(a, from, n);
    }

    private static Map<Class<?>, Integer> codecIds() {
        Map<Class<?>, Integer> ids = new HashMap<>();
        for (int i = 0; i < CODECS.size(); i++) {
            ids.put(CODECS.get(i).type(), i);
        }
        if (CODEC + ids.size() > 0xff) {
            throw new IllegalStateException("too many state codecs for one tag byte");
        }
        return Map.copyOf(ids);
    }
}
