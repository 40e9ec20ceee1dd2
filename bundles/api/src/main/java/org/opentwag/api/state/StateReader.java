package org.opentwag.api.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the fields {@link StateWriter} wrote, from a range of an array (the store's own bytes: nothing is copied but
 * what the returned values hold). Every read checks the range: short or malformed bytes throw
 * {@link StateFormatException} naming what was read where, never a value made of other bytes.
 *
 * <p>Plain Java and not thread-safe; one instance serves one value.
 */
public final class StateReader {

    private final byte[] source;
    private final int from;
    private final int end;
    private int position;

    public StateReader(byte[] source, int from, int length) {
        if (from < 0 || length < 0 || from + length > source.length) {
            throw new StateFormatException("state value range " + from + "+" + length + " outside " + source.length
                    + " bytes");
        }
        this.source = source;
        this.from = from;
        this.end = from + length;
        this.position = from;
    }

    public StateReader(byte[] source) {
        this(source, 0, source.length);
    }

    /** Bytes not read yet. */
    public int remaining() {
        return end - position;
    }

    /** Throws unless every byte was read: bytes left over mean the value was not what the codec expects. */
    public void expectEnd(String what) {
        if (position != end) {
            throw new StateFormatException(what + ": " + (end - position) + " bytes left over after "
                    + (position - from));
        }
    }

    public int getByte() {
        need(1, "a byte");
        return source[position++] & 0xff;
    }

    public boolean getBoolean() {
        int b = getByte();
        if (b > 1) {
            throw new StateFormatException("state value: boolean " + b + " at byte " + (position - 1 - from));
        }
        return b == 1;
    }

    public int getInt() {
        need(4, "an int");
        byte[] s = source;
        int p = position;
        position = p + 4;
        return (s[p] & 0xff) << 24 | (s[p + 1] & 0xff) << 16 | (s[p + 2] & 0xff) << 8 | (s[p + 3] & 0xff);
    }

    public long getLong() {
        long high = getInt();
        return high << 32 | (getInt() & 0xffffffffL);
    }

    public Long getNullableLong() {
        return getBoolean() ? getLong() : null;
    }

    /** The constant {@link StateWriter#putEnum} wrote, from the type's {@code values()} (null for null). */
    public <E extends Enum<E>> E getEnum(E[] constants) {
        int ordinal = getByte();
        if (ordinal == 0xff) {
            return null;
        }
        if (ordinal >= constants.length) {
            throw new StateFormatException("state value: constant " + ordinal + " of an enum of " + constants.length
                    + " at byte " + (position - 1 - from));
        }
        return constants[ordinal];
    }

    public byte[] getBytes() {
        int n = length("bytes");
        if (n < 0) {
            return null;
        }
        byte[] b = Arrays.copyOfRange(source, position, position + n);
        position += n;
        return b;
    }

    /** The rest of the value as bytes. */
    public byte[] getRemainingBytes() {
        byte[] b = Arrays.copyOfRange(source, position, end);
        position = end;
        return b;
    }

    public String getString() {
        int n = length("string");
        if (n < 0) {
            return null;
        }
        String s = new String(source, position, n, StandardCharsets.UTF_8);
        position += n;
        return s;
    }

    /** The rest of the value as a UTF-8 string. */
    public String getRemainingString() {
        String s = new String(source, position, end - position, StandardCharsets.UTF_8);
        position = end;
        return s;
    }

    /** A value {@link StateWriter#putNullable} wrote. */
    public <T> T getNullable(StateCodec<T> codec) {
        return getBoolean() ? codec.read(this) : null;
    }

    /** A map {@link StateWriter#putStringMap} wrote, as a new mutable {@code HashMap} (null for null). */
    public Map<String, String> getStringMap() {
        int n = getInt();
        if (n < 0) {
            if (n != -1) {
                throw new StateFormatException("state value: map size " + n + " at byte " + (position - 4 - from));
            }
            return null;
        }
        if (n > remaining() / 8) { // each entry takes at least two lengths
            throw new StateFormatException("state value: map of " + n + " entries in " + remaining() + " bytes");
        }
        Map<String, String> m = new HashMap<>(Math.max(4, n * 4 / 3 + 1));
        for (int i = 0; i < n; i++) {
            m.put(getString(), getString());
        }
        return m;
    }

    /** A length written before bytes or a string: -1 for null, else within what is left. */
    private int length(String what) {
        int n = getInt();
        if (n < -1 || n > end - position) {
            throw new StateFormatException("state value: " + what + " of " + n + " bytes at byte "
                    + (position - 4 - from) + ", " + (end - position) + " left");
        }
        return n;
    }

    private void need(int n, String what) {
        if (end - position < n) {
            throw new StateFormatException("state value truncated: " + what + " needed at byte " + (position - from)
                    + " of " + (end - from));
        }
    }
}
