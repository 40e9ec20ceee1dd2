package org.opentwag.state.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PackedMapTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void storesReplacesAndRemoves() {
        PackedMap m = new PackedMap();
        assertThat(m.put("k", bytes("one"), 100, 0, true)).isNull();
        assertThat(text(m.put("k", bytes("two"), 100, 0, true))).isEqualTo("one");
        assertThat(text(m.get("k", 0))).isEqualTo("two");
        assertThat(m.size()).isEqualTo(1);
        assertThat(text(m.remove("k", 0))).isEqualTo("two");
        assertThat(m.get("k", 0)).isNull();
        assertThat(m.size()).isZero();
    }

    @Test
    void anExpiredEntryIsAbsentAndItsValueIsNotReturnedAsReplaced() {
        PackedMap m = new PackedMap();
        m.put("k", bytes("v"), 100, 0, false);
        assertThat(m.put("k", bytes("w"), 300, 150, true)).isNull(); // "v" expired at 100
        assertThat(m.get("k", 299)).isNotNull();
        assertThat(m.get("k", 300)).isNull();
        assertThat(m.size()).isZero(); // the read dropped it
    }

    @Test
    void sweepDropsExpiredEntriesOnly() {
        PackedMap m = new PackedMap();
        for (int i = 0; i < 1000; i++) {
            m.put("key-" + i, bytes("v" + i), i % 2 == 0 ? 50 : 500, 0, false);
        }
        m.sweep(100);
        assertThat(m.size()).isEqualTo(500);
        Map<String, String> live = new HashMap<>();
        m.forEachLive(100, (k, v) -> live.put(k, text(v)));
        assertThat(live).hasSize(500).containsEntry("key-1", "v1").doesNotContainKey("key-0");
    }

    @Test
    void keysOfAnyLengthAndNonAsciiKeysAreDistinct() {
        PackedMap m = new PackedMap();
        m.put("0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org", bytes("a"), 100, 0, false);
        m.put("0001010000000001@wlan.mnc001.mcc001.3gppnetwork.orG", bytes("b"), 100, 0, false);
        m.put("pseudonym-é", bytes("c"), 100, 0, false);
        m.put("", bytes("d"), 100, 0, false);
        assertThat(text(m.get("0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org", 0))).isEqualTo("a");
        assertThat(text(m.get("0001010000000001@wlan.mnc001.mcc001.3gppnetwork.orG", 0))).isEqualTo("b");
        assertThat(text(m.get("pseudonym-é", 0))).isEqualTo("c");
        assertThat(text(m.get("", 0))).isEqualTo("d");
    }

    /**
     * Random puts, replacements, removals, expiries and sweeps, checked against a HashMap after every step: covers
     * probing, backward-shift deletion, in-place compaction and growth of the arenas.
     */
    @Test
    void behavesLikeAMapWithExpiryUnderRandomOperations() {
        PackedMap m = new PackedMap();
        Map<String, String> model = new HashMap<>();
        Map<String, Long> expiry = new HashMap<>();
        Random random = new Random(4187);
        long now = 0;
        for (int step = 0; step < 200_000; step++) {
            String key = "k" + random.nextInt(3000);
            int op = random.nextInt(10);
            if (op < 5) {
                String value = "v".repeat(random.nextInt(60)) + step;
                long expires = now + 1 + random.nextInt(400);
                byte[] replaced = m.put(key, bytes(value), expires, now, true);
                String expected = expiry.containsKey(key) && expiry.get(key) > now ? model.get(key) : null;
                assertThat(text(replaced)).as("replaced at step %d", step).isEqualTo(expected);
                model.put(key, value);
                expiry.put(key, expires);
            } else if (op < 7) {
                String expected = expiry.containsKey(key) && expiry.get(key) > now ? model.get(key) : null;
                assertThat(text(m.remove(key, now))).as("removed at step %d", step).isEqualTo(expected);
                model.remove(key);
                expiry.remove(key);
            } else if (op < 9) {
                String expected = expiry.containsKey(key) && expiry.get(key) > now ? model.get(key) : null;
                assertThat(text(m.get(key, now))).as("read at step %d", step).isEqualTo(expected);
            } else {
                now += random.nextInt(20);
                if (random.nextInt(50) == 0) {
                    m.sweep(now);
                    final long t = now;
                    expiry.entrySet().removeIf(e -> e.getValue() <= t && model.remove(e.getKey()) != null);
                    assertThat(m.size()).isEqualTo(model.size());
                }
            }
        }
        final long t = now;
        Map<String, String> live = new HashMap<>();
        m.forEachLive(t, (k, v) -> live.put(k, text(v)));
        Map<String, String> expected = new HashMap<>(model);
        expected.keySet().removeIf(k -> expiry.get(k) <= t);
        assertThat(live).isEqualTo(expected);
    }

    @Test
    void replacingTheSameEntriesOverAndOverDoesNotGrowTheArenas() {
        PackedMap m = new PackedMap();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 2000; i++) {
                m.put("session-" + i, bytes(String.format("value of round %03d", round)), Long.MAX_VALUE, 0, false);
            }
        }
        long afterTwenty = m.arenaBytes();
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < 2000; i++) {
                m.put("session-" + i, bytes(String.format("value of round %03d", round)), Long.MAX_VALUE, 0, false);
            }
        }
        assertThat(m.arenaBytes()).isLessThanOrEqualTo(afterTwenty);
        assertThat(m.size()).isEqualTo(2000);
        assertThat(text(m.get("session-7", 0))).isEqualTo("value of round 199");
    }

    @Test
    void aSweepThatEmptiesMostOfTheMapGivesTheSpaceBack() {
        PackedMap m = new PackedMap();
        for (int i = 0; i < 50_000; i++) {
            m.put("client-" + i, bytes("x".repeat(100)), i < 49_000 ? 10 : 1000, 0, false);
        }
        long full = m.arenaBytes();
        m.sweep(20);
        assertThat(m.size()).isEqualTo(1000);
        assertThat(m.arenaBytes()).isLessThan(full / 8);
        assertThat(text(m.get("client-49999", 20))).isEqualTo("x".repeat(100));
    }

    @Test
    void keysOfEveryLengthAndCharacterFindOnlyTheirOwnEntry() {
        PackedMap m = new PackedMap();
        List<String> keys = new java.util.ArrayList<>(List.of("abcdef", "abc", "ab", "", "é", "ünïcødé-key",
                "k".repeat(300), "k".repeat(299), "k".repeat(64), "k".repeat(65)));
        for (int i = 0; i < 2000; i++) {
            keys.add("client-" + i); // spread over every stripe, each stripe's scratch reused by keys of any length
        }
        for (String k : keys) {
            m.put(k, k.length() + 1, (arena, off) -> {
                byte[] v = ("v:" + k).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(v, 0, arena, off, k.length() + 1);
            }, 100, 0, null);
        }
        for (String k : keys) {
            String v = m.get(k, 10, (arena, off, length) -> new String(arena, off, length, StandardCharsets.UTF_8));
            assertThat(v).as(k).isEqualTo(new String(("v:" + k).getBytes(StandardCharsets.UTF_8), 0, k.length() + 1,
                    StandardCharsets.UTF_8));
        }
        assertThat(m.size()).isEqualTo(keys.size());
        assertThat(m.get("abcd", 10)).isNull();
        assertThat(m.get("k".repeat(298), 10)).isNull();
        assertThat(m.remove("abc", 10)).isNotNull();
        assertThat(m.get("abc", 10)).isNull();
        assertThat(m.get("abcdef", 10)).isNotNull();
        assertThat(m.expireAt("ünïcødé-key", 10, 50)).isTrue();
        assertThat(m.get("ünïcødé-key", 50)).isNull();
    }
}
