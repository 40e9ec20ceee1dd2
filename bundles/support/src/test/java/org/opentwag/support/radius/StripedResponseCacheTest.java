package org.opentwag.support.radius;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.opentwag.api.radius.ResponseCache;
import org.opentwag.api.radius.ResponseCache.Key;
import org.opentwag.api.radius.ResponseCache.Verdict;

class StripedResponseCacheTest {
    private final AtomicLong now = new AtomicLong();
    // One stripe: eviction is exactly oldest-first over the whole cache.
    private final StripedResponseCache cache = new StripedResponseCache(Duration.ofSeconds(30), 3, 1, now::get);

    private static Key key(int identifier, int authenticatorByte) throws Exception {
        byte[] authenticator = new byte[16];
        authenticator[15] = (byte) authenticatorByte;
        return Key.of(InetAddress.getByName("10.7.15.72"), 40000, 1812, identifier, authenticator);
    }

    private static Key wide(int n) throws Exception {
        byte[] authenticator = new byte[16];
        java.nio.ByteBuffer.wrap(authenticator).putInt(12, n);
        return Key.of(InetAddress.getByName("10.7.15.72"), 40000, 1812, n & 0xff, authenticator);
    }

    @Test
    void aKeyIsTheSameRequestOnlyWhenEveryFieldIsTheSame() throws Exception {
        InetAddress ap = InetAddress.getByName("10.7.15.72");
        byte[] authenticator = new byte[16];
        authenticator[0] = 9;
        authenticator[15] = 1;
        Key k = Key.of(ap, 40000, 1812, 5, authenticator);
        assertThat(Key.of(InetAddress.getByName("10.7.15.72"), 40000, 1812, 5, authenticator.clone()))
                .isEqualTo(k).hasSameHashCodeAs(k);
        byte[] other = authenticator.clone();
        other[0] = 8;
        assertThat(Key.of(ap, 40000, 1812, 5, other)).isNotEqualTo(k);
        other = authenticator.clone();
        other[15] = 2;
        assertThat(Key.of(ap, 40000, 1812, 5, other)).isNotEqualTo(k);
        assertThat(Key.of(InetAddress.getByName("10.7.15.73"), 40000, 1812, 5, authenticator)).isNotEqualTo(k);
        assertThat(Key.of(ap, 40001, 1812, 5, authenticator)).isNotEqualTo(k);
        assertThat(Key.of(ap, 40000, 1813, 5, authenticator)).isNotEqualTo(k);
        assertThat(Key.of(ap, 40000, 1812, 6, authenticator)).isNotEqualTo(k);
        assertThat(k).isNotEqualTo(null).isNotEqualTo("a string");
    }

    @Test
    void retransmissionInProgressIsDroppedAndAfterTheAnswerGetsTheSameOctets() throws Exception {
        assertThat(cache.admit(key(1, 1)).verdict()).isEqualTo(Verdict.NEW);
        assertThat(cache.admit(key(1, 1)).verdict()).isEqualTo(Verdict.IN_PROGRESS);
        cache.answered(key(1, 1), new byte[] {2, 1, 0, 20});
        ResponseCache.Admission again = cache.admit(key(1, 1));
        assertThat(again.verdict()).isEqualTo(Verdict.ANSWERED);
        assertThat(again.cachedResponse()).containsExactly(2, 1, 0, 20);
    }

    @Test
    void lateAnswersGoThroughTheRunningListenerOrWaitForTheNextOneAFewSeconds() throws Exception {
        java.util.List<String> sent = new java.util.ArrayList<>();
        ResponseCache.Listener first = (key, answer) -> sent.add("first " + key.identifier());
        ResponseCache.Listener next = (key, answer) -> sent.add("next " + key.identifier());
        cache.listening(first);
        cache.sendLate(key(1, 1), new byte[] {1});
        assertThat(sent).containsExactly("first 1");

        cache.notListening(first);
        cache.sendLate(key(2, 2), new byte[] {2}); // between two servers: held
        now.addAndGet(StripedResponseCache.LATE_ANSWER_HOLD_NANOS - 1);
        cache.sendLate(key(3, 3), new byte[] {3});
        assertThat(sent).containsExactly("first 1");
        now.addAndGet(2);
        cache.listening(next);
        assertThat(sent).as("held answers go out when the next server listens, unless the AP gave up long ago")
                .containsExactly("first 1", "next 3");

        cache.notListening(first); // the old server's late stop does not unregister the new one
        cache.sendLate(key(4, 4), new byte[] {4});
        assertThat(sent).containsExactly("first 1", "next 3", "next 4");
    }

    @Test
    void sameIdentifierWithAnotherAuthenticatorOrPortIsANewRequest() throws Exception {
        cache.admit(key(1, 1));
        assertThat(cache.admit(key(1, 2)).verdict()).isEqualTo(Verdict.NEW);
        byte[] authenticator = new byte[16];
        authenticator[15] = 1;
        assertThat(cache.admit(Key.of(InetAddress.getByName("10.7.15.72"), 40001, 1812, 1, authenticator)).verdict())
                .isEqualTo(Verdict.NEW);
    }

    @Test
    void entriesExpireAfterTheWindowCountedFromTheAnswer() throws Exception {
        cache.admit(key(1, 1));
        now.addAndGet(TimeUnit.SECONDS.toNanos(20));
        cache.answered(key(1, 1), new byte[] {1});
        now.addAndGet(TimeUnit.SECONDS.toNanos(29));
        assertThat(cache.admit(key(1, 1)).verdict()).isEqualTo(Verdict.ANSWERED);
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        assertThat(cache.admit(key(1, 1)).verdict()).isEqualTo(Verdict.NEW);
    }

    @Test
    void boundedInSizeOldestFirst() throws Exception {
        for (int id = 0; id < 3; id++) {
            cache.admit(key(id, 0));
        }
        cache.admit(key(3, 0));
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.admit(key(0, 0)).verdict()).as("oldest evicted").isEqualTo(Verdict.NEW);
        assertThat(cache.admit(key(3, 0)).verdict()).isEqualTo(Verdict.IN_PROGRESS);
    }

    /**
     * Requests admitted, answered, retransmitted and abandoned at random over a sliding window, checked against a
     * model after every step: the answers come back byte for byte through the arena's compactions and growth.
     */
    @Test
    void answersSurviveCompactionAndExpiryInOrderOfLastChange() throws Exception {
        StripedResponseCache c = new StripedResponseCache(Duration.ofMillis(500), 4_000, 4, now::get);
        java.util.Map<Integer, byte[]> answers = new java.util.HashMap<>(); // null value: in progress
        java.util.Map<Integer, Long> changed = new java.util.HashMap<>();
        java.util.Random random = new java.util.Random(5080);
        for (int step = 0; step < 100_000; step++) {
            now.addAndGet(random.nextInt(100_000)); // up to 0.1 ms per step
            final long t = now.get();
            for (var it = changed.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (t - e.getValue() >= 500_000_000L) { // the window counts from the last change
                    answers.remove(e.getKey());
                    it.remove();
                }
            }
            int n = random.nextInt(2_000);
            Key k = wide(n);
            int op = random.nextInt(4);
            if (op < 2) {
                ResponseCache.Admission a = c.admit(k);
                if (!changed.containsKey(n)) {
                    assertThat(a.verdict()).as("step %d", step).isEqualTo(Verdict.NEW);
                    answers.put(n, null);
                    changed.put(n, t);
                } else if (answers.get(n) == null) {
                    assertThat(a.verdict()).as("step %d", step).isEqualTo(Verdict.IN_PROGRESS);
                } else {
                    assertThat(a.verdict()).as("step %d", step).isEqualTo(Verdict.ANSWERED);
                    assertThat(a.cachedResponse()).isEqualTo(answers.get(n));
                }
            } else if (op == 2) {
                if (changed.containsKey(n) && answers.get(n) == null) {
                    byte[] answer = new byte[20 + random.nextInt(300)];
                    random.nextBytes(answer);
                    c.answered(k, answer);
                    answers.put(n, answer);
                    changed.put(n, t);
                }
            } else if (random.nextInt(10) == 0) {
                c.abandon(k);
                answers.remove(n);
                changed.remove(n);
            }
        }
        assertThat(c.size()).isEqualTo(changed.size());
    }

    @Test
    void abandonedRequestIsProcessedAfresh() throws Exception {
        cache.admit(key(9, 9));
        cache.abandon(key(9, 9));
        assertThat(cache.admit(key(9, 9)).verdict()).isEqualTo(Verdict.NEW);
    }

    @Test
    void stripedCacheStaysWithinItsBoundAndKeepsRecentEntries() throws Exception {
        StripedResponseCache striped = new StripedResponseCache(Duration.ofSeconds(30), 10_000, 64, now::get);
        assertThat(striped.stripeCount()).isEqualTo(64);
        for (int i = 0; i < 50_000; i++) {
            striped.admit(wide(i));
        }
        assertThat(striped.size()).isLessThanOrEqualTo(10_000 + 64).isGreaterThan(9_000);
        assertThat(striped.admit(wide(49_999)).verdict()).as("the newest is still there")
                .isEqualTo(Verdict.IN_PROGRESS);
        assertThat(new StripedResponseCache(Duration.ofSeconds(30), 3).stripeCount()).as("small caches: one stripe")
                .isEqualTo(1);
    }

    @Test
    void concurrentThreadsEachSeeTheirOwnRequestsExactlyOnceAsNew() throws Exception {
        StripedResponseCache shared = new StripedResponseCache(Duration.ofSeconds(30), 1_000_000);
        int threads = 8;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int port = 40_000 + t;
            results.add(pool.submit(() -> {
                go.await();
                int anomalies = 0;
                for (int i = 0; i < perThread; i++) {
                    byte[] authenticator = new byte[16];
                    authenticator[0] = (byte) (i >> 8);
                    authenticator[15] = (byte) i;
                    Key k = Key.of(InetAddress.getByName("10.0.0.1"), port, 1812, i & 0xff, authenticator);
                    anomalies += shared.admit(k).verdict() == Verdict.NEW ? 0 : 1;
                    anomalies += shared.admit(k).verdict() == Verdict.IN_PROGRESS ? 0 : 1;
                    shared.answered(k, new byte[] {(byte) i});
                    ResponseCache.Admission again = shared.admit(k);
                    anomalies += again.verdict() == Verdict.ANSWERED && again.cachedResponse()[0] == (byte) i ? 0 : 1;
                }
                return anomalies;
            }));
        }
        go.countDown();
        for (Future<Integer> r : results) {
            assertThat(r.get()).isZero();
        }
        pool.shutdown();
        assertThat(shared.size()).isEqualTo(threads * perThread);
    }

    @Test
    void localStateKeepsOneCachePerBoundsAndHandsCountersOver() {
        LocalRadiusServerState state = new LocalRadiusServerState();
        ResponseCache first = state.responseCache(Duration.ofSeconds(30), 1000);
        assertThat(state.responseCache(Duration.ofSeconds(30), 1000)).isSameAs(first);
        assertThat(state.responseCache(Duration.ofSeconds(10), 1000)).isNotSameAs(first);
        state.counter("radius_access_accept_count").add(5);
        LocalRadiusServerState target = new LocalRadiusServerState();
        target.counter("radius_access_accept_count").add(2);
        state.moveCountersTo(target);
        assertThat(target.counter("radius_access_accept_count").sum()).isEqualTo(7);
        assertThat(state.counter("radius_access_accept_count").sum()).isZero();
    }
}
