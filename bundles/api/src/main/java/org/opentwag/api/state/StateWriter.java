package org.opentwag.api.state;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes the fields of a state value, big-endian, into a given array at a given offset, or only counts the bytes it
 * would write (see {@link StateCodec}). Strings and byte arrays carry their length (-1 for null); a string is UTF-8.
 *
 * <p>Plain Java and not thread-safe; one instance serves one value.
 */
public final class StateWriter {

    private byte[] target; // null while counting
    private int position;

    private StateWriter(byte[] target, int offset) {
        this.target = target;
        this.position = offset;
    }

    /** A writer that writes nothing and counts the bytes ({@link #position()}). */
    public static StateWriter counting() {
        return new StateWriter(null, 0);
    }

    /** A writer into {@code target} from {@code offset}; the caller made room for what a counting pass gave. */
    public static StateWriter into(byte[] target, int offset) {
        return new StateWriter(target, offset);
    }

    /** Turns this writer into one that writes into {@code target} from {@code offset} (after a counting pass). */
    public StateWriter reset(byte[] target, int offset) {
        this.target = target;
        this.position = offset;
        return this;
    }

    /** Bytes counted so far, or the next offset written to. */
    public int position() {
        return position;
    }

    public StateWriter putByte(int b) {
        if (target != null) {
            target[position] = (byte) b;
        }
        position++;
        return this;
    }

    public StateWriter putBoolean(boolean b) {
        return putByte(b ? 1 : 0);
    }

    public StateWriter putInt(int v) {
        if (target != null) {
            byte[] t = target;
            int p = position;
            t[p] = (byte) (v >>> 24);
            t[p + 1] = (byte) (v >>> 16);
            t[p + 2] = (byte) (v >>> 8);
            t[p + 3] = (byte) v;
        }
        position += 4;
        return this;
    }

    public StateWriter putLong(long v) {
        putInt((int) (v >>> 32));
        return putInt((int) v);
    }

    /** A nullable Long: a presence flag, then the value when present. */
    public StateWriter putNullableLong(Long v) {
        putBoolean(v != null);
        return v == null ? this : putLong(v);
    }

    /** An enum constant as its ordinal in one byte (0xff for null); {@link StateReader#getEnum} reads it back. */
    public StateWriter putEnum(Enum<?> e) {
        if (e != null && e.ordinal() >= 0xff) {
            throw new IllegalArgumentException("enum " + e.getDeclaringClass().getName() + " has too many constants");
        }
        return putByte(e == null ? 0xff : e.ordinal());
    }

    public StateWriter putBytes(byte[] b) {
        if (b == null) {
            return putInt(-1);
        }
        putInt(b.length);
        return putRaw(b);
    }

    /** Bytes without a length; the reader must know how many (e.g. the rest of the value). */
    public StateWriter putRaw(byte[] b) {
        if (target != null) {
            System.arraycopy(b, 0, target, position, b.length);
        }
        position += b.length;
        return this;
    }

    public StateWriter putString(String s) {
        if (s == null) {
            return putInt(-1);
        }
        int ascii = asciiLength(s);
        if (ascii < 0) {
            return putBytes(s.getBytes(StandardCharsets.UTF_8)); // rare: identities and names are ASCII
        }
        putInt(ascii);
        return putAscii(s);
    }

    /** A string as UTF-8 without a length; the reader must know where it ends (e.g. the rest of the value). */
    public StateWriter putRawString(String s) {
        return asciiLength(s) < 0 ? putRaw(s.getBytes(StandardCharsets.UTF_8)) : putAscii(s);
    }

    /** A value of another codec that may be null: a presence flag, then the value. */
    public <T> StateWriter putNullable(T value, StateCodec<T> codec) {
        putBoolean(value != null);
        if (value != null) {
            codec.write(value, this);
        }
        return this;
    }

    /**
     * A map of strings (null for none) with its size; read back by {@link StateReader#getStringMap} as a
     * {@code HashMap}. Keys and values may be null.
     */
    public StateWriter putStringMap(Map<String, String> m) {
        if (m == null) {
            return putInt(-1);
        }
        putInt(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            putString(e.getKey());
            putString(e.getValue());
        }
        return this;
    }

    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for ASCII, an array copy
    private StateWriter putAscii(String s) {
        int n = s.length();
        if (target != null) {
            s.getBytes(0, n, target, position);
        }
        position += n;
        return this;
    }

    /** The length of an all-ASCII string (its UTF-8 length), or -1 when it has another character. */
    private static int asciiLength(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return -1;
            }
        }
        return n;
    }
}
