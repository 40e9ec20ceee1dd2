package org.opentwag.state.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Serializable;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.LocalMapStats;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.state.ClientState;

/**
 * Two real Hazelcast members in this JVM, joined over TCP on loopback exactly as two TWAG nodes would be: what one
 * writes the other reads, TTLs hold cluster-wide, and the survivor keeps every entry when the other dies.
 */
class HazelcastStateStoreTest {

    private static HazelcastInstance memberA;
    private static HazelcastInstance memberB;
    private static HazelcastStateStore a;
    private static HazelcastStateStore b;
    private static int port;
    /** The cluster key both stores share; each has its own cipher (own salt), as two nodes would. */
    private static final String KEY = SealedValueCipherTest.newKey();

    @BeforeAll
    static void formCluster() throws Exception {
        port = freePortRange();
        memberA = Hazelcast.newHazelcastInstance(settings("a").toHazelcastConfig());
        memberB = Hazelcast.newHazelcastInstance(settings("b").toHazelcastConfig());
        long deadline = System.currentTimeMillis() + 30_000;
        while (memberA.getCluster().getMembers().size() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(memberA.getCluster().getMembers()).hasSize(2);
        a = store(memberA, SealedValueCipherTest.cipher(KEY));
        b = store(memberB, SealedValueCipherTest.cipher(KEY));
    }

    private static HazelcastStateStore store(HazelcastInstance member, ValueProtection protection) {
        return new HazelcastStateStore(member, protection, 1_000_000, 10_000, System::currentTimeMillis);
    }

    private static ClusterSettings settings(String name) {
        return new ClusterSettings("opentwag-test-" + port, "127.0.0.1", port, 5,
                List.of("127.0.0.1:" + port, "127.0.0.1:" + (port + 1)), 1, 10, 5000, 1, "test-" + name + "-" + port);
    }

    /** A base port whose next ports are free too, away from Hazelcast's default 5701 another node may use. */
    private static int freePortRange() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (ServerSocket s = new ServerSocket(0)) {
                base = s.getLocalPort();
            }
            if (base > 60000) {
                continue;
            }
            boolean free = true;
            for (int p = base; p < base + 5 && free; p++) {
                try (ServerSocket s = new ServerSocket(p)) {
                    s.setReuseAddress(true);
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no free port range");
    }

    @AfterAll
    static void stop() {
        if (memberB != null) {
            memberB.getLifecycleService().terminate();
        }
        if (memberA != null) {
            memberA.getLifecycleService().terminate();
        }
    }

    private static ClientState client(String identity) {
        return new ClientState(identity, "001010000000001", ClientState.Status.ACCEPTED, "EAP-AKA", "10.0.0.1",
                "00-11-22-33-44-55:ssid", "66-77-88-99-AA-BB", 1_000, 2_000, 2_000, null);
    }

    @Test
    void whatOneNodeWritesTheOtherReads() {
        a.put("clients", "0001010000000001@realm", client("0001010000000001@realm"), Duration.ofMinutes(5));
        assertThat(b.get("clients", "0001010000000001@realm", ClientState.class))
                .isEqualTo(client("0001010000000001@realm"));
        assertThat(b.size("clients")).isGreaterThanOrEqualTo(1);
        assertThat(b.snapshot("clients", ClientState.class)).containsKey("0001010000000001@realm");
    }

    @Test
    void anEapConversationWithMethodDataMovesToTheOtherNode() {
        EapConversation conv = new EapConversation("state-1", new NasContext("10.0.0.2", "ap-1",
                "00-11-22-33-44-55:ssid", "66-77-88-99-AA-BB"), 7, 1_000);
        conv.identity("0001010000000002@realm");
        conv.methodType(23);
        conv.data().put("kaut", new byte[] {1, 2, 3});
        a.put("eap-conversations", conv.id(), conv, Duration.ofSeconds(30));

        EapConversation onB = b.get("eap-conversations", "state-1", EapConversation.class);
        assertThat(onB.identity()).isEqualTo("0001010000000002@realm");
        assertThat(onB.methodType()).isEqualTo(23);
        assertThat(onB.data().get("kaut")).containsExactly(1, 2, 3);
    }

    @Test
    void aFastReauthContextIsTakenOnceClusterWide() {
        HashMap<String, byte[]> ctx = new HashMap<>();
        ctx.put("counter", new byte[] {0, 1});
        a.put("aka-reauth", "4reauth-id@realm", ctx, Duration.ofMinutes(10));
        HashMap<?, ?> taken = b.remove("aka-reauth", "4reauth-id@realm", HashMap.class);
        assertThat(taken).isNotNull();
        assertThat(a.remove("aka-reauth", "4reauth-id@realm", HashMap.class)).isNull();
    }

    @Test
    void entriesExpireAfterTheirTtlOnEveryNode() throws Exception {
        a.put("ttl", "short", "v", Duration.ofMillis(1_500));
        a.put("ttl", "long", "w", Duration.ofMinutes(5));
        assertThat(b.get("ttl", "short", String.class)).isEqualTo("v");
        long deadline = System.currentTimeMillis() + 15_000;
        while (b.get("ttl", "short", String.class) != null && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(b.get("ttl", "short", String.class)).isNull();
        assertThat(a.get("ttl", "short", String.class)).isNull();
        assertThat(b.get("ttl", "long", String.class)).isEqualTo("w");
    }

    @Test
    void expireAfterGivesAnEntryANewTtlOnEveryNodeAndKeepsItsValue() throws Exception {
        a.put("grace", "old-token", client("0001010000000001@realm"), Duration.ofMinutes(5));
        assertThat(b.expireAfter("grace", "old-token", Duration.ofMillis(1_500))).isTrue();
        assertThat(b.expireAfter("grace", "absent", Duration.ofMinutes(5))).isFalse();
        assertThat(a.get("grace", "old-token", ClientState.class)).isEqualTo(client("0001010000000001@realm"));
        // bounded wait for the cluster's expiry, not a fixed sleep
        long deadline = System.currentTimeMillis() + 15_000;
        while (a.get("grace", "old-token", ClientState.class) != null && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(a.get("grace", "old-token", ClientState.class)).as("gone after the shorter TTL").isNull();
        assertThat(b.expireAfter("grace", "old-token", Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void swapReturnsTheValueItReplacedOnEitherNodeAndKeepsTheNewTtl() throws Exception {
        assertThat(a.swap("phones", "ap-1|phone-1", "token-1", Duration.ofMinutes(5), String.class)).isNull();
        assertThat(b.swap("phones", "ap-1|phone-1", "token-2", Duration.ofMillis(1_500), String.class))
                .isEqualTo("token-1");
        assertThat(a.get("phones", "ap-1|phone-1", String.class)).isEqualTo("token-2");
        // the new value carries the TTL of the swap, not the 5 minutes of the value it replaced
        long deadline = System.currentTimeMillis() + 15_000;
        while (a.get("phones", "ap-1|phone-1", String.class) != null && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(a.get("phones", "ap-1|phone-1", String.class)).isNull();
        assertThat(b.swap("phones", "ap-1|phone-1", "token-3", Duration.ofMinutes(5), String.class)).isNull();
    }

    /**
     * Both nodes swap one key at once: with one atomic put per swap every value written is handed back exactly once
     * (as the previous of the next swap) or is the one left; a get-then-put would hand some back twice and lose
     * others, i.e. a token that is never retired.
     */
    @Test
    void concurrentSwapsFromBothNodesRetireEveryValueExactlyOnce() throws Exception {
        int perThread = 200;
        int threads = 4;
        List<String> previous = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            HazelcastStateStore node = t % 2 == 0 ? a : b;
            int thread = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    String replaced = node.swap("contended", "ap-1|phone-1", "t" + thread + "-" + i,
                            Duration.ofMinutes(5), String.class);
                    if (replaced != null) {
                        previous.add(replaced);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (java.util.concurrent.Future<?> f : done) {
            f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();
        List<String> all = new ArrayList<>(previous);
        all.add(a.get("contended", "ap-1|phone-1", String.class));
        assertThat(all).hasSize(threads * perThread).doesNotHaveDuplicates();
    }

    /** Not an SPI type: a member must not make another instantiate classes outside java.* and the API. */
    record Foreign(String x) implements Serializable {
    }

    @Test
    void valuesOutsideTheSpiAreRefusedOnRead() {
        long before = b.unreadableCount();
        a.put("foreign", "k", new Foreign("x"), Duration.ofMinutes(1));
        assertThat(b.get("foreign", "k", Foreign.class)).isNull();
        assertThat(b.unreadableCount()).isEqualTo(before + 1);
    }

    @Test
    void aValueOfAnotherTypeIsAbsentRatherThanAClassCastException() {
        a.put("typed", "k", "a string", Duration.ofMinutes(1));
        assertThat(b.get("typed", "k", ClientState.class)).isNull();
    }

    @Test
    void aFullMapRefusesNewKeysButUpdatesExistingOnes() {
        HazelcastStateStore bounded = new HazelcastStateStore(memberA, SealedValueCipherTest.cipher(KEY), 3, 10,
                System::currentTimeMillis);
        for (int i = 0; i < 3; i++) {
            bounded.put("bounded", "k" + i, "v", Duration.ofMinutes(1));
        }
        // the size behind the bound is cached for a second: let it see the three entries
        assertThat(bounded.size("bounded")).isEqualTo(3);
        assertThatThrownBy(() -> bounded.put("bounded", "k3", "v", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("full");
        bounded.put("bounded", "k0", "updated", Duration.ofMinutes(1));
        assertThat(b.get("bounded", "k0", String.class)).isEqualTo("updated");
        assertThat(bounded.refusedCount()).isEqualTo(1);
    }

    @Test
    void snapshotsAreBounded() {
        HazelcastStateStore small = new HazelcastStateStore(memberB, SealedValueCipherTest.cipher(KEY), 1_000, 5,
                System::currentTimeMillis);
        for (int i = 0; i < 20; i++) {
            a.put("many", "k" + i, "v" + i, Duration.ofMinutes(1));
        }
        assertThat(small.snapshot("many", String.class)).hasSize(5);
        assertThat(small.size("many")).isEqualTo(20);
    }

    /**
     * Runs last in its own cluster of two: memory per client state, then a crash (terminate, not a graceful
     * shutdown) of the member that took the writes; the survivor must still have every entry from the backups.
     */
    @Test
    void theSurvivorKeepsEveryEntryWhenTheOtherNodeDies() throws Exception {
        int base = freePortRange();
        ClusterSettings s1 = new ClusterSettings("opentwag-crash-" + base, "127.0.0.1", base, 5,
                List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 1)), 1, 10, 5000, 1, "crash-1-" + base);
        ClusterSettings s2 = new ClusterSettings("opentwag-crash-" + base, "127.0.0.1", base, 5,
                List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 1)), 1, 10, 5000, 1, "crash-2-" + base);
        HazelcastInstance dying = Hazelcast.newHazelcastInstance(s1.toHazelcastConfig());
        HazelcastInstance survivor = Hazelcast.newHazelcastInstance(s2.toHazelcastConfig());
        try {
            long deadline = System.currentTimeMillis() + 30_000;
            while (survivor.getCluster().getMembers().size() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(survivor.getCluster().getMembers()).hasSize(2);
            String key = SealedValueCipherTest.newKey();
            HazelcastStateStore onDying = new HazelcastStateStore(dying, SealedValueCipherTest.cipher(key), 1_000_000,
                    100_000, System::currentTimeMillis);
            HazelcastStateStore onSurvivor = new HazelcastStateStore(survivor, SealedValueCipherTest.cipher(key),
                    1_000_000, 100_000, System::currentTimeMillis);
            int n = 2_000;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                String id = "0" + (1010000000000L + i) + "@wlan.mnc001.mcc001.3gppnetwork.org";
                onDying.put("clients", id, client(id), Duration.ofHours(1));
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                String id = "0" + (1010000000000L + i) + "@wlan.mnc001.mcc001.3gppnetwork.org";
                assertThat(onSurvivor.get("clients", id, ClientState.class)).isNotNull();
            }
            long t2 = System.nanoTime();
            System.out.printf("one thread, two members on loopback, values sealed: %d puts in %d ms (%.0f/s, sync backup), "
                    + "%d gets from the other member in %d ms (%.0f/s)%n", n, (t1 - t0) / 1_000_000,
                    n * 1e9 / (t1 - t0), n, (t2 - t1) / 1_000_000, n * 1e9 / (t2 - t1));
            LocalMapStats statsA = dying.getMap("clients").getLocalMapStats();
            LocalMapStats statsB = survivor.getMap("clients").getLocalMapStats();
            long owned = statsA.getOwnedEntryCount() + statsB.getOwnedEntryCount();
            long ownedCost = statsA.getOwnedEntryMemoryCost() + statsB.getOwnedEntryMemoryCost();
            long backupCost = statsA.getBackupEntryMemoryCost() + statsB.getBackupEntryMemoryCost();
            System.out.printf("memory per client state in the cluster map: %d bytes owned + %d bytes backup "
                    + "(%d entries, backup-count 1)%n", ownedCost / owned, backupCost / owned, owned);
            assertThat(owned).isEqualTo(n);
            // both members own a share: the test really exercises backups, not one member holding everything
            assertThat(statsA.getOwnedEntryCount()).isPositive();
            assertThat(statsB.getOwnedEntryCount()).isPositive();

            dying.getLifecycleService().terminate(); // no migration, no goodbye: as kill -9
            for (int i = 0; i < n; i++) {
                String id = "0" + (1010000000000L + i) + "@wlan.mnc001.mcc001.3gppnetwork.org";
                assertThat(onSurvivor.get("clients", id, ClientState.class)).as(id).isEqualTo(client(id));
            }
            assertThat(onSurvivor.size("clients")).isEqualTo(n);
        } finally {
            dying.getLifecycleService().terminate();
            survivor.getLifecycleService().terminate();
        }
    }

    /** A member with another key, or none, shares the cluster but reads nothing: absent, counted, no exception. */
    @Test
    void aMemberWithAnotherKeyOrNoKeyReadsNothing() {
        HashMap<String, byte[]> ctx = new HashMap<>();
        ctx.put("k_aut", new byte[] {1, 2, 3, 4});
        a.put("sealed-other-key", "4sealed@realm", ctx, Duration.ofMinutes(1));
        assertThat(b.get("sealed-other-key", "4sealed@realm", HashMap.class)).isNotNull();

        HazelcastStateStore otherKey = store(memberB, SealedValueCipherTest.cipher(SealedValueCipherTest.newKey()));
        HazelcastStateStore noKey = store(memberB, ValueProtection.PLAINTEXT);
        assertThat(otherKey.get("sealed-other-key", "4sealed@realm", HashMap.class)).isNull();
        assertThat(noKey.get("sealed-other-key", "4sealed@realm", HashMap.class)).isNull();
        assertThat(otherKey.snapshot("sealed-other-key", HashMap.class)).doesNotContainKey("4sealed@realm");
        assertThat(otherKey.undecryptableCount()).isEqualTo(2);
        assertThat(noKey.undecryptableCount()).isEqualTo(1);

        // and what a member without key writes in clear, a member with the key does not believe
        noKey.put("sealed-other-key", "4forged@realm", ctx, Duration.ofMinutes(1));
        long before = a.undecryptableCount();
        assertThat(a.get("sealed-other-key", "4forged@realm", HashMap.class)).isNull();
        assertThat(a.undecryptableCount()).isEqualTo(before + 1);
    }

    /** The bytes Hazelcast holds (and sends to the backup) are sealed; changed or moved bytes are refused. */
    @Test
    void whatHazelcastHoldsIsSealedAndTamperingIsRefused() {
        a.put("sealed-tamper", "4tamper@realm", "MSK-marker-0123456789", Duration.ofMinutes(1));
        com.hazelcast.map.IMap<String, byte[]> raw = memberB.getMap("sealed-tamper");
        byte[] stored = raw.get("4tamper@realm");
        assertThat(stored[0]).isEqualTo(SealedValueCipher.FORMAT);
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("MSK-marker");

        byte[] flipped = stored.clone();
        flipped[flipped.length - 20] ^= 0x40;
        raw.set("4tamper@realm", flipped);
        raw.set("4moved@realm", stored); // a valid value under another identity
        long before = b.undecryptableCount();
        assertThat(b.get("sealed-tamper", "4tamper@realm", String.class)).isNull();
        assertThat(b.get("sealed-tamper", "4moved@realm", String.class)).isNull();
        assertThat(b.undecryptableCount()).isEqualTo(before + 2);
    }

    /**
     * The cost of sealing where it matters, on the two members (printed, not asserted): µs per put and per get from
     * one thread, the same values in clear and sealed, interleaved in rounds so that load from elsewhere on the
     * machine hits both alike.
     */
    @Test
    void costOfSealingOnTheClusterPath() {
        HazelcastStateStore clearA = store(memberA, ValueProtection.PLAINTEXT);
        HazelcastStateStore clearB = store(memberB, ValueProtection.PLAINTEXT);
        int n = 500;
        long[] clear = new long[2];
        long[] sealed = new long[2];
        for (int round = 0; round < 6; round++) {
            boolean measured = round >= 2; // two warm-up rounds
            long[] c = run(clearA, clearB, "cost-clear", n);
            long[] s = run(a, b, "cost-sealed", n);
            if (measured) {
                clear[0] += c[0];
                clear[1] += c[1];
                sealed[0] += s[0];
                sealed[1] += s[1];
            }
        }
        int ops = 4 * n;
        System.out.printf("two members on loopback, one thread, %d ops each: put %.0f µs in clear vs %.0f µs sealed,"
                + " get from the other member %.0f µs vs %.0f µs%n", ops, clear[0] / 1e3 / ops, sealed[0] / 1e3 / ops,
                clear[1] / 1e3 / ops, sealed[1] / 1e3 / ops);
    }

    private static long[] run(HazelcastStateStore writer, HazelcastStateStore reader, String map, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String id = "0" + (1010000000000L + i) + "@wlan.mnc001.mcc001.3gppnetwork.org";
            writer.put(map, id, client(id), Duration.ofMinutes(1));
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String id = "0" + (1010000000000L + i) + "@wlan.mnc001.mcc001.3gppnetwork.org";
            assertThat(reader.get(map, id, ClientState.class)).isNotNull();
        }
        return new long[] {t1 - t0, System.nanoTime() - t1};
    }

    @Test
    void settingsRefuseNonsense() {
        assertThatThrownBy(() -> new ClusterSettings("", "127.0.0.1", 5701, 1, List.of(), 1, 10, 5000, 1, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClusterSettings("c", "127.0.0.1", 65535, 2, List.of(), 1, 10, 5000, 1, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClusterSettings("c", "127.0.0.1", 5701, 1, List.of(), 7, 10, 5000, 1, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ClusterSettings.parseMembers(" 10.0.0.1:5701, 10.0.0.2 ,,")).containsExactly("10.0.0.1:5701",
                "10.0.0.2");
        List<String> none = new ArrayList<>(ClusterSettings.parseMembers(null));
        assertThat(none).isEmpty();
    }
}
