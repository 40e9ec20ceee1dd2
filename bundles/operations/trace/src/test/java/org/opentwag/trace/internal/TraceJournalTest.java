package org.opentwag.trace.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TraceJournalTest {

    /** Record i: its number, then i % 1000 bytes of (byte) i. */
    private static byte[] record(int i) {
        ByteBuffer b = ByteBuffer.allocate(4 + i % 1000);
        b.putInt(i);
        while (b.hasRemaining()) {
            b.put((byte) i);
        }
        return b.array();
    }

    private static List<Integer> readAll(TraceJournal j) {
        List<Integer> out = new ArrayList<>();
        long p = j.first();
        while (p < j.end()) {
            p = j.read(p, 7, (bytes, offset, length) -> {
                ByteBuffer b = ByteBuffer.wrap(bytes, offset, length);
                int i = b.getInt();
                assertThat(length).isEqualTo(4 + i % 1000);
                while (b.hasRemaining()) {
                    assertThat(b.get()).isEqualTo((byte) i);
                }
                out.add(i);
            });
        }
        return out;
    }

    @Test
    void keepsTheNewestRecordsWholeAndInOrderOverManyLaps() {
        TraceJournal j = new TraceJournal(64 * 1024);
        Random random = new Random(7);
        int n = 0;
        for (int lap = 0; lap < 2000; lap++) {
            int i = n++ * 1000 + random.nextInt(1000); // lengths 4..1003, so wraps fall anywhere
            byte[] r = record(i);
            j.append(r, 0, r.length);
            List<Integer> kept = readAll(j);
            assertThat(kept.get(kept.size() - 1)).isEqualTo(i);
            for (int k = 1; k < kept.size(); k++) {
                assertThat(kept.get(k) / 1000).isEqualTo(kept.get(k - 1) / 1000 + 1);
            }
            int bytes = kept.stream().mapToInt(x -> 4 + 4 + x % 1000).sum();
            assertThat(bytes).isLessThanOrEqualTo(64 * 1024);
            if (lap > 200) { // full: at least half the ring holds the newest records
                assertThat(bytes).isGreaterThan(32 * 1024 - 2 * 1008);
            }
        }
    }

    @Test
    void aReaderBehindTheOverwrittenPartGoesOnFromTheOldestKept() {
        TraceJournal j = new TraceJournal(8192);
        for (int i = 0; i < 10; i++) {
            byte[] r = record(i * 1000 + 100);
            j.append(r, 0, r.length);
        }
        long stale = j.first();
        for (int i = 10; i < 100; i++) {
            byte[] r = record(i * 1000 + 100);
            j.append(r, 0, r.length);
        }
        List<Integer> seen = new ArrayList<>();
        j.read(stale, 1, (bytes, offset, length) -> seen.add(ByteBuffer.wrap(bytes, offset, length).getInt()));
        assertThat(seen).containsExactly(readAll(j).get(0));
    }

    @Test
    void refusesARecordLargerThanHalfTheRing() {
        TraceJournal j = new TraceJournal(8192);
        assertThatThrownBy(() -> j.append(new byte[5000], 0, 5000)).isInstanceOf(IllegalArgumentException.class);
        for (int i = 0; i < 3; i++) {
            j.append(new byte[j.maxRecordBytes()], 0, j.maxRecordBytes());
            assertThat(readAll2(j)).isEqualTo(Math.min(2, i + 1));
        }
    }

    private static int readAll2(TraceJournal j) {
        int[] n = {0};
        j.read(j.first(), 100, (bytes, offset, length) -> n[0]++);
        return n[0];
    }
}
