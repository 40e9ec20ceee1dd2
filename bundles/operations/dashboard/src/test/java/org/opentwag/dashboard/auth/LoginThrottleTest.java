package org.opentwag.dashboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentwag.dashboard.auth.BasicAuthenticatorTest.MutableClock;
import org.opentwag.dashboard.auth.LoginThrottle.Limits;
import org.opentwag.dashboard.auth.LoginThrottle.Scope;

class LoginThrottleTest {

    private MutableClock clock;
    private LoginThrottle throttle;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        throttle = new LoginThrottle(Limits.defaults(), clock);
    }

    @Test
    void fiveWrongPasswordsForOneUserThenOneMorePerMinute() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.userRefusal("admin")).as("attempt %d", i + 1).isEmpty();
            // From different addresses: only the user's limit can trip.
            throttle.tryAttempt("192.0.2." + i, "admin");
        }
        var refusal = throttle.userRefusal("admin");
        assertThat(refusal).isPresent();
        assertThat(refusal.get().scope()).isEqualTo(Scope.USER);
        // 5 per 300 s leak: one attempt back after 60 s.
        assertThat(refusal.get().retryAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(throttle.userRefusal("ADMIN")).as("user names count case-insensitively").isPresent();
        assertThat(throttle.userRefusal("viewer")).isEmpty();

        clock.advance(Duration.ofSeconds(59));
        assertThat(throttle.userRefusal("admin")).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.userRefusal("admin")).as("the lockout decays").isEmpty();
        throttle.tryAttempt("192.0.2.9", "admin");
        assertThat(throttle.userRefusal("admin").get().retryAfter()).isEqualTo(Duration.ofSeconds(60));

        clock.advance(Duration.ofMinutes(5));
        for (int i = 0; i < 4; i++) {
            throttle.tryAttempt("192.0.2.10", "admin");
        }
        assertThat(throttle.userRefusal("admin")).as("the whole budget is back after the window").isEmpty();
    }

    @Test
    void twentyWrongPasswordsFromOneAddressWhateverTheUser() {
        for (int i = 0; i < 20; i++) {
            assertThat(throttle.addressRefusal("198.51.100.7")).isEmpty();
            throttle.tryAttempt("198.51.100.7", "user" + i);
        }
        var refusal = throttle.addressRefusal("198.51.100.7");
        assertThat(refusal).isPresent();
        assertThat(refusal.get().scope()).isEqualTo(Scope.ADDRESS);
        assertThat(refusal.get().retryAfter()).isEqualTo(Duration.ofSeconds(15));
        assertThat(throttle.addressRefusal("198.51.100.8")).isEmpty();
    }

    @Test
    void aSuccessForgivesTheUserButNotTheAddress() {
        for (int i = 0; i < 19; i++) {
            throttle.tryAttempt("198.51.100.7", "user" + i);
        }
        // Logins with the right password from that address: the attacker's own account, then the real admin.
        assertThat(throttle.tryAttempt("198.51.100.7", "viewer")).isEmpty();
        throttle.succeeded("198.51.100.7", "viewer");
        assertThat(throttle.tryAttempt("198.51.100.7", "admin")).isEmpty();
        throttle.succeeded("198.51.100.7", "admin");
        assertThat(throttle.userRefusal("admin")).isEmpty();
        assertThat(throttle.tryAttempt("198.51.100.7", "admin")).as("the 20th wrong password").isEmpty();
        assertThat(throttle.addressRefusal("198.51.100.7")).as("the attacker's own login bought nothing")
                .isPresent();
    }

    @Test
    void ipv6CountsPerSlash64() {
        for (int i = 0; i < 20; i++) {
            throttle.tryAttempt("2001:db8:1:2::" + Integer.toHexString(i + 1), "u" + i);
        }
        assertThat(throttle.addressRefusal("2001:db8:1:2:ffff::1")).isPresent();
        assertThat(throttle.addressRefusal("2001:db8:1:3::1")).isEmpty();
        assertThat(LoginThrottle.addressKey("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(LoginThrottle.addressKey("not an address")).isEqualTo("not an address");
    }

    @Test
    void sprayingAddressesAndUserNamesNeitherGrowsTheTablesNorWashesOutABucket() {
        throttle = new LoginThrottle(new Limits(5, 20, Duration.ofMinutes(5), 100), clock);
        for (int i = 0; i < 5; i++) {
            throttle.tryAttempt("203.0.113.1", "admin");
        }
        assertThat(throttle.userRefusal("admin")).isPresent();
        for (int i = 0; i < 50_000; i++) {
            throttle.tryAttempt("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), "spray" + i);
        }
        assertThat(throttle.trackedAddresses()).isLessThanOrEqualTo(101);
        assertThat(throttle.trackedUsers()).isLessThanOrEqualTo(101);
        assertThat(throttle.userRefusal("admin")).as("still locked: spraying did not evict it").isPresent();
        // New names share the overflow bucket, which the spray has filled.
        assertThat(throttle.userRefusal("someone-new")).isPresent();
        assertThat(throttle.tryAttempt("172.16.0.1", "another-new")).isPresent();

        clock.advance(Duration.ofMinutes(5));
        throttle.tryAttempt("172.16.0.1", "someone-new");
        assertThat(throttle.trackedAddresses()).as("emptied buckets are dropped").isLessThanOrEqualTo(2);
        assertThat(throttle.userRefusal("someone-else")).isEmpty();
    }

    @Test
    void zeroMeansNoLimit() {
        throttle = new LoginThrottle(new Limits(0, 0, Duration.ofMinutes(5), 100), clock);
        for (int i = 0; i < 1000; i++) {
            throttle.tryAttempt("198.51.100.7", "admin");
        }
        assertThat(throttle.userRefusal("admin")).isEmpty();
        assertThat(throttle.addressRefusal("198.51.100.7")).isEmpty();
        assertThat(throttle.trackedUsers()).isZero();
    }

    @Test
    void parallelLoginsCannotAllPassBeforeTheFirstFailureIsCounted() throws Exception {
        int threads = 64;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        var start = new java.util.concurrent.CountDownLatch(1);
        var allowed = new java.util.concurrent.atomic.AtomicInteger();
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    // Each from its own address: only the user's limit applies.
                    if (throttle.tryAttempt("10.1." + (n >> 8) + "." + (n & 255), "admin").isEmpty()) {
                        allowed.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (var f : futures) {
                f.get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(allowed.get()).isEqualTo(5);
    }
}
