package org.opentwag.radius.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.opentwag.radius.server.internal.DuplicateCache.Key;
import org.opentwag.radius.server.internal.DuplicateCache.Verdict;

class DuplicateCacheTest {
    private final AtomicLong now = new AtomicLong();
    private final DuplicateCache cache = new DuplicateCache(Duration.ofSeconds(30), 3, now::get);

    private static Key key(int identifier, int authenticatorByte) throws Exception {
        byte[] authenticator = new byte[16];
        authenticator[15] = (byte) authenticatorByte;
        return Key.of(InetAddress.getByName("10.7.15.72"), 40000, 1812, identifier, authenticator);
    }

    @Test
    void retransmissionInProgressIsDroppedAndAfterTheAnswerGetsTheSameOctets() throws Exception {
        assertThat(cache.admit(key(1, 1)).verdict()).isEqualTo(Verdict.NEW);
        assertThat(cache.admit(key(1, 1)).verdict()).isEqualTo(Verdict.IN_PROGRESS);
        cache.answered(key(1, 1), new byte[] {2, 1, 0, 20});
        DuplicateCache.Admission again = cache.admit(key(1, 1));
        assertThat(again.verdict()).isEqualTo(Verdict.ANSWERED);
        assertThat(again.cachedResponse()).containsExactly(2, 1, 0, 20);
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

    @Test
    void abandonedRequestIsProcessedAfresh() throws Exception {
        cache.admit(key(9, 9));
        cache.abandon(key(9, 9));
        assertThat(cache.admit(key(9, 9)).verdict()).isEqualTo(Verdict.NEW);
    }
}
