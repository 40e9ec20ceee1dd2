package org.opentwag.support.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PackedRecordsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int h(String s) {
        return PackedRecords.hash(s.hashCode());
    }

    private static List<String> keysOldestFirst(PackedRecords r) {
        List<String> keys = new ArrayList<>();
        r.forEach(off -> keys.add(r.keyString(off)));
        return keys;
    }

    @Test
    void aReplacedRecordBecomesTheNewestAndTheOldestIsReadFromTheFront() {
        PackedRecords r = new PackedRecords(64);
        for (String k : List.of("a", "b", "c")) {
            r.put(b(k), h(k), null, 1);
        }
        r.put(b("a"), h("a"), b("answer"), 2);
        assertThat(keysOldestFirst(r)).containsExactly("b", "c", "a");
        assertThat(r.keyString(r.oldest())).isEqualTo("b");
        assertThat(r.value(r.find(b("a"), h("a")))).isEqualTo(b("answer"));
        assertThat(r.hasValue(r.find(b("b"), h("b")))).isFalse();
        r.remove(r.oldest());
        assertThat(r.keyString(r.oldest())).isEqualTo("c");
        assertThat(r.size()).isEqualTo(2);
    }

    @Test
    void putReturnsTheReplacedRecordStillReadable() {
        PackedRecords r = new PackedRecords(64);
        assertThat(r.put(b("k"), h("k"), b("first"), 10)).isEqualTo(-1);
        int old = r.put(b("k"), h("k"), b("second"), 20);
        assertThat(old).isGreaterThanOrEqualTo(0);
        assertThat(r.time(old)).isEqualTo(10);
        assertThat(r.value(old)).isEqualTo(b("first"));
        assertThat(r.value(r.find(b("k"), h("k")))).isEqualTo(b("second"));
        assertThat(r.size()).isEqualTo(1);
    }

    @Test
    void aValueWrittenStraightIntoTheArenaIsReadWhereItLiesAndSurvivesGrowth() {
        PackedRecords r = new PackedRecords(64);
        byte[] scratch = new byte[32]; // one array for every key, its tail left from longer keys
        java.util.Arrays.fill(scratch, (byte) 'x');
        for (int i = 0; i < 200; i++) {
            String k = "k" + i;
            byte[] kb = b(k);
            System.arraycopy(kb, 0, scratch, 0, kb.length);
            byte[] v = b("value " + i);
            r.put(scratch, kb.length, h(k), v.length, (arena, off) -> System.arraycopy(v, 0, arena, off, v.length), i);
            assertThat(r.find(scratch, kb.length, h(k))).isGreaterThanOrEqualTo(0);
        }
        for (int i = 0; i < 200; i++) {
            String k = "k" + i;
            String v = r.value(r.find(b(k), h(k)), (arena, off, length) -> new String(arena, off, length,
                    StandardCharsets.UTF_8));
            assertThat(v).isEqualTo("value " + i);
        }
    }

    @Test
    void aWriterThatFailsLeavesTheRecordItWouldHaveReplaced() {
        PackedRecords r = new PackedRecords(64);
        r.put(b("k"), h("k"), b("kept"), 1);
        try {
            r.put(b("k"), 1, h("k"), 10, (arena, off) -> {
                arena[off] = 'x';
                throw new IllegalStateException("codec failed");
            }, 2);
        } catch (IllegalStateException expected) {
            // the store's caller sees it
        }
        int off = r.find(b("k"), h("k"));
        assertThat(r.value(off)).isEqualTo(b("kept"));
        assertThat(r.time(off)).isEqualTo(1);
        assertThat(r.size()).isEqualTo(1);
        assertThat(keysOldestFirst(r)).containsExactly("k");
    }

    @Test
    void orderAndValuesSurviveCompactionAndGrowth() {
        PackedRecords r = new PackedRecords(64); // far too small: forces many slides and growths
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 300; i++) {
                String k = "key-" + i;
                r.put(b(k), h(k), b("v" + round + "-" + i), round);
            }
        }
        assertThat(r.size()).isEqualTo(300);
        List<String> keys = keysOldestFirst(r);
        assertThat(keys).hasSize(300).startsWith("key-0", "key-1").endsWith("key-299");
        assertThat(r.value(r.find(b("key-123"), h("key-123")))).isEqualTo(b("v49-123"));
        r.removeIf(time -> time <= 49);
        assertThat(r.size()).isZero();
        assertThat(r.oldest()).isEqualTo(-1);
    }

    @Test
    void putAndRemoveAfterAFindOfAnotherKeyStillChangeTheRightSlot() {
        // put and remove reuse the slot of the last find: here the last find is often of another key, or the table
        // grew or shifted since, so a stale slot must never be taken. A fixed seed against a map: deterministic.
        PackedRecords r = new PackedRecords(64);
        Map<String, String> model = new HashMap<>();
        Random random = new Random(13);
        for (int i = 0; i < 20_000; i++) {
            String key = "k" + random.nextInt(300);
            String probe = "k" + random.nextInt(300);
            r.find(b(probe), h(probe)); // leaves its slot as the hint
            switch (random.nextInt(3)) {
                case 0, 1 -> {
                    String value = "v" + i;
                    r.put(b(key), h(key), b(value), i);
                    model.put(key, value);
                }
                default -> {
                    int off = r.find(b(key), h(key));
                    if (probe.hashCode() % 2 == 0) {
                        r.find(b(probe), h(probe)); // the hint now points elsewhere
                    }
                    if (off >= 0) {
                        r.remove(off);
                    }
                    assertThat(off >= 0).isEqualTo(model.remove(key) != null);
                }
            }
            assertThat(r.size()).isEqualTo(model.size());
        }
        for (int k = 0; k < 300; k++) {
            String key = "k" + k;
            int off = r.find(b(key), h(key));
            String expected = model.get(key);
            assertThat(off < 0 ? null : new String(r.value(off), StandardCharsets.UTF_8)).isEqualTo(expected);
        }
    }
}
