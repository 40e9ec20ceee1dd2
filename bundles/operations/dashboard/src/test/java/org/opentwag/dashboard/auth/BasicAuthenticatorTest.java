package org.opentwag.dashboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentwag.dashboard.auth.BasicAuthenticator.Authenticated;
import org.opentwag.dashboard.auth.BasicAuthenticator.Forbidden;
import org.opentwag.dashboard.auth.BasicAuthenticator.Throttled;
import org.opentwag.dashboard.auth.BasicAuthenticator.Unauthenticated;

class BasicAuthenticatorTest {

    /** A user file as Karaf's would be: user -> (password, roles). */
    private static final Map<String, Map.Entry<String, Set<String>>> USERS = Map.of(
            "Aladdin", Map.entry("open sesame", Set.of("viewer")),
            "admin", Map.entry("opentwag", Set.of("admin", "manager", "viewer")),
            "ops", Map.entry("pa:ss", Set.of("admin")),
            "karafonly", Map.entry("secret", Set.of("manager")));

    private final List<String> logins = new ArrayList<>();
    private MutableClock clock;
    private BasicAuthenticator auth;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        auth = new BasicAuthenticator(this::fakeLogin, Set.of("admin", "viewer"), Set.of("admin"),
                Duration.ofSeconds(60), clock);
    }

    private Optional<Set<String>> fakeLogin(String user, char[] password) {
        logins.add(user);
        var entry = USERS.get(user);
        return entry != null && entry.getKey().equals(new String(password)) ? Optional.of(entry.getValue())
                : Optional.empty();
    }

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsTheRfc7617ExampleHeader() {
        // RFC 7617 section 2: user "Aladdin", password "open sesame".
        var outcome = auth.authenticate("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assertThat(outcome).isInstanceOf(Authenticated.class);
        var op = ((Authenticated) outcome).operator();
        assertThat(op.name()).isEqualTo("Aladdin");
        assertThat(op.mayChange()).as("viewer may only look").isFalse();
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertThat(auth.authenticate("basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")).isInstanceOf(Authenticated.class);
    }

    @Test
    void adminMayChange() {
        var outcome = auth.authenticate(basic("admin:opentwag"));
        assertThat(((Authenticated) outcome).operator().mayChange()).isTrue();
    }

    @Test
    void passwordMayContainColons() {
        assertThat(auth.authenticate(basic("ops:pa:ss"))).isInstanceOf(Authenticated.class);
    }

    @Test
    void refusesMissingWrongAndMalformedCredentials() {
        assertThat(auth.authenticate(null)).isInstanceOf(Unauthenticated.class);
        assertThat(auth.authenticate("")).isInstanceOf(Unauthenticated.class);
        assertThat(auth.authenticate(basic("admin:wrong"))).isInstanceOf(Unauthenticated.class);
        assertThat(auth.authenticate(basic("nobody:opentwag"))).isInstanceOf(Unauthenticated.class);
        assertThat(auth.authenticate("Bearer abc")).isInstanceOf(Unauthenticated.class);
        assertThat(auth.authenticate("Basic !!!not-base64!!!")).isInstanceOf(Unauthenticated.class);
        assertThat(auth.authenticate(basic("no-colon-here"))).isInstanceOf(Unauthenticated.class);
        assertThat(auth.authenticate(basic(":empty-user"))).isInstanceOf(Unauthenticated.class);
        assertThat(auth.authenticate("Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ':', 'x'})))
                .isInstanceOf(Unauthenticated.class);
        assertThat(auth.authenticate("Basic " + "A".repeat(10_000))).isInstanceOf(Unauthenticated.class);
    }

    @Test
    void userWithoutDashboardRoleIsForbidden() {
        assertThat(auth.authenticate(basic("karafonly:secret"))).isEqualTo(new Forbidden("karafonly"));
    }

    @Test
    void successfulLoginIsCachedUntilItsTtl() {
        auth.authenticate(basic("admin:opentwag"));
        auth.authenticate(basic("admin:opentwag"));
        clock.advance(Duration.ofSeconds(59));
        auth.authenticate(basic("admin:opentwag"));
        assertThat(logins).hasSize(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(auth.authenticate(basic("admin:opentwag"))).isInstanceOf(Authenticated.class);
        assertThat(logins).hasSize(2);
    }

    @Test
    void cacheIsKeyedByTheWholeCredentials() {
        auth.authenticate(basic("admin:opentwag"));
        assertThat(auth.authenticate(basic("admin:opentwag2"))).isInstanceOf(Unauthenticated.class);
        assertThat(logins).hasSize(2);
    }

    @Test
    void failuresAreNeverCached() {
        auth.authenticate(basic("admin:wrong"));
        auth.authenticate(basic("admin:wrong"));
        assertThat(logins).hasSize(2);
        assertThat(auth.cachedLogins()).isZero();
    }

    @Test
    void zeroTtlChecksEveryRequest() {
        var noCache = new BasicAuthenticator(this::fakeLogin, Set.of("admin"), Set.of("admin"), Duration.ZERO, clock);
        noCache.authenticate(basic("admin:opentwag"));
        noCache.authenticate(basic("admin:opentwag"));
        assertThat(logins).hasSize(2);
    }

    private BasicAuthenticator throttled() {
        return new BasicAuthenticator(this::fakeLogin, Set.of("admin", "viewer"), Set.of("admin"),
                Duration.ofSeconds(60), clock, new LoginThrottle(LoginThrottle.Limits.defaults(), clock));
    }

    @Test
    void wrongPasswordsInARowAreThrottledWithoutAskingTheRealm() {
        var t = throttled();
        for (int i = 0; i < 5; i++) {
            var o = t.authenticate(basic("admin:guess" + i), "192.0.2.1");
            assertThat(o).isInstanceOf(Unauthenticated.class);
            assertThat(((Unauthenticated) o).wrongPassword()).isTrue();
        }
        int asked = logins.size();
        // Even the right password is refused now: a guess that happens to be right must not be told apart.
        var o = t.authenticate(basic("admin:opentwag"), "192.0.2.2");
        assertThat(o).isInstanceOf(Throttled.class);
        assertThat(((Throttled) o).refusal().scope()).isEqualTo(LoginThrottle.Scope.USER);
        assertThat(((Throttled) o).user()).isEqualTo("admin");
        assertThat(logins).as("the realm was not asked").hasSize(asked);
        assertThat(t.authenticate(basic("Aladdin:open sesame"), "192.0.2.2")).isInstanceOf(Authenticated.class);
        clock.advance(Duration.ofSeconds(60));
        assertThat(t.authenticate(basic("admin:opentwag"), "192.0.2.2")).isInstanceOf(Authenticated.class);
    }

    @Test
    void anOpenDashboardSurvivesALockoutOfItsUserFromElsewhere() {
        var t = throttled();
        assertThat(t.authenticate(basic("admin:opentwag"), "192.0.2.1")).isInstanceOf(Authenticated.class);
        for (int i = 0; i < 5; i++) {
            t.authenticate(basic("admin:guess" + i), "203.0.113.66");
        }
        // The operator's cached login from its own address still works ...
        assertThat(t.authenticate(basic("admin:opentwag"), "192.0.2.1")).isInstanceOf(Authenticated.class);
        // ... but the same credentials from the attacker's address are not taken from the cache.
        assertThat(t.authenticate(basic("admin:opentwag"), "203.0.113.66")).isInstanceOf(Throttled.class);
    }

    @Test
    void anAddressOutOfAttemptsIsRefusedEvenWithACachedLogin() {
        var t = throttled();
        assertThat(t.authenticate(basic("Aladdin:open sesame"), "198.51.100.7")).isInstanceOf(Authenticated.class);
        for (int i = 0; i < 20; i++) {
            t.authenticate(basic("user" + i + ":guess"), "198.51.100.7");
        }
        var o = t.authenticate(basic("Aladdin:open sesame"), "198.51.100.7");
        assertThat(o).isInstanceOf(Throttled.class);
        assertThat(((Throttled) o).refusal().scope()).isEqualTo(LoginThrottle.Scope.ADDRESS);
        assertThat(((Throttled) o).refusal().retryAfter()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void anotherUsersSuccessDoesNotRefillTheAddressBudget() {
        var t = throttled();
        for (int i = 0; i < 19; i++) {
            t.authenticate(basic("user" + i + ":guess"), "198.51.100.7");
        }
        assertThat(t.authenticate(basic("Aladdin:open sesame"), "198.51.100.7")).isInstanceOf(Authenticated.class);
        t.authenticate(basic("user19:guess"), "198.51.100.7");
        assertThat(t.authenticate(basic("user20:guess"), "198.51.100.7")).isInstanceOf(Throttled.class);
    }

    @Test
    void requestsWithoutAPasswordCostNoAttempt() {
        var t = throttled();
        for (int i = 0; i < 50; i++) {
            var o = t.authenticate(i % 2 == 0 ? null : "Basic !!!", "192.0.2.1");
            assertThat(((Unauthenticated) o).wrongPassword()).isFalse();
        }
        assertThat(t.authenticate(basic("admin:opentwag"), "192.0.2.1")).isInstanceOf(Authenticated.class);
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
