package org.opentwag.trace.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Length-prefixed byte records in one ring allocated once, the oldest overwritten first. What the trace keeps for
 * minutes lives here as bytes: an attempt kept as objects for a few seconds is what G1 copies at every young pause
 * and then promotes, and an array of bytes holds no pointer for it to scan. Plain Java, not thread-safe: the owner
 * locks. Positions are logical (they only grow); a record never wraps: when one does not fit before the end of the
 * array, a zero length (or fewer than four bytes left) marks the rest of the lap as empty.
 */
final class TraceJournal {

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** Reads one record: {@code bytes[offset, offset + length)}, valid only during the call. */
    interface RecordReader {
        void read(byte[] bytes, int offset, int length);
    }

    private final byte[] ring;
    private final int capacity;
    /** Where the next record goes. */
    private long head;
    /** The oldest record kept. */
    private long tail;

    TraceJournal(int capacityBytes) {
        if (capacityBytes < 4096) {
            throw new IllegalArgumentException("a trace journal of " + capacityBytes + " bytes is too small");
        }
        this.capacity = capacityBytes;
        this.ring = new byte[capacityBytes];
    }

    /** The largest record {@link #append} takes: half the ring, so that a wrap and the record always fit. */
    int maxRecordBytes() {
        return capacity / 2 - 4;
    }

    /** Appends {@code bytes[offset, offset + length)} as one record, dropping the oldest ones to make room. */
    void append(byte[] bytes, int offset, int length) {
        if (length <= 0 || length > maxRecordBytes()) {
            throw new IllegalArgumentException("a trace record of " + length + " bytes (at most " + maxRecordBytes() + ")");
        }
        int total = length + 4;
        int at = physical(head);
        int skip = capacity - at < total ? capacity - at : 0;
        while (tail < head && head + skip + total - tail > capacity) {
            long p = lapStart(tail);
            tail = p + readInt(physical(p));
        }
        if (tail >= head) {
            tail = head = head + skip; // nothing kept: start the next record where it goes
        } else if (skip > 0) {
            if (skip >= 4) {
                writeInt(at, 0);
            }
            head += skip;
        }
        at = physical(head);
        writeInt(at, total);
        System.arraycopy(bytes, offset, ring, at + 4, length);
        head += total;
    }

    /** The position of the oldest record kept. */
    long first() {
        return tail;
    }

    /** The position after the newest record. */
    long end() {
        return head;
    }

    /**
     * Reads up to {@code max} records from {@code from} on (from the oldest kept when {@code from} was overwritten)
     * and returns where the next one starts; {@link #end()} when all were read.
     */
    long read(long from, int max, RecordReader reader) {
        long p = Math.max(from, tail);
        for (int n = 0; n < max && p < head; n++) {
            p = lapStart(p);
            int at = physical(p);
            int total = readInt(at);
            reader.read(ring, at + 4, total - 4);
            p += total;
        }
        return p;
    }

    /** {@code p} itself, or the start of the next lap when the rest of this one is marked empty. */
    private long lapStart(long p) {
        int at = physical(p);
        if (capacity - at < 4 || readInt(at) == 0) {
            return p + (capacity - at);
        }
        return p;
    }

    private int physical(long p) {
        return (int) (p % capacity);
    }

    private int readInt(int at) {
        return (int) INT.get(ring, at);
    }

    private void writeInt(int at, int v) {
        INT.set(ring, at, v);
    }
}
