package org.opentwag.dashboard.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks HTTP Basic credentials (RFC 7617) with a login function (Karaf's JAAS realm in production) and keeps
 * successful logins for a short while, keyed by a hash of the credentials, so that a dashboard polling every few
 * seconds does not read the user file on every request. Failed logins are never cached. With a {@link LoginThrottle}
 * wrong passwords are limited per source address and per user name.
 *
 * <p>The order of the checks: an address out of attempts is refused first (nothing is checked for it); then a login
 * cached for these exact credentials from this same address is served, so an attacker elsewhere who exhausted the
 * user name's budget does not lock out an operator whose dashboard is open; then a user name out of attempts is
 * refused; only then is the password checked by the realm.
 */
public final class BasicAuthenticator {

    /** The realm browsers show in their login dialog. */
    public static final String CHALLENGE = "Basic realm=\"OpenTWAG\", charset=\"UTF-8\"";
    private static final int MAX_HEADER_LENGTH = 4096;
    private static final int MAX_CACHED_LOGINS = 1024;

    /** Checks a user name and password; the roles of the user, or empty when the credentials are wrong. */
    @FunctionalInterface
    public interface LoginFunction {
        Optional<Set<String>> login(String user, char[] password);
    }

    /** A logged-in operator; {@code mayChange} when one of its roles allows actions (disconnect, vector test). */
    public record Operator(String name, Set<String> roles, boolean mayChange) {
    }

    /** Where a request stands after the check. */
    public sealed interface Outcome permits Authenticated, Unauthenticated, Forbidden, Throttled {
    }

    public record Authenticated(Operator operator) implements Outcome {
    }

    /**
     * No or wrong credentials: answer 401 with {@link #CHALLENGE}.
     *
     * @param user the user name tried when a password was checked and found wrong, else null
     */
    public record Unauthenticated(String why, String user) implements Outcome {
        public Unauthenticated(String why) {
            this(why, null);
        }

        /** True when a password was checked and was wrong (counted by the throttle). */
        public boolean wrongPassword() {
            return user != null;
        }
    }

    /** Too many wrong passwords for this user or from this address: answer 429 with Retry-After. */
    public record Throttled(String user, LoginThrottle.Refusal refusal) implements Outcome {
    }

    /** Right credentials but none of the allowed roles: answer 403. */
    public record Forbidden(String user) implements Outcome {
    }

    private record CachedLogin(Operator operator, long expiresAtMillis) {
    }

    private final LoginFunction login;
    private final Set<String> allowedRoles;
    private final Set<String> changeRoles;
    private final Duration cacheTtl;
    private final Clock clock;
    private final Map<String, CachedLogin> cache = new ConcurrentHashMap<>();
    private final LoginThrottle throttle;

    /**
     * @param allowedRoles roles that may use the dashboard at all (e.g. admin, viewer)
     * @param changeRoles  roles that may also act (e.g. admin)
     * @param cacheTtl     how long a successful login is remembered; zero disables the cache
     */
    public BasicAuthenticator(LoginFunction login, Set<String> allowedRoles, Set<String> changeRoles,
                              Duration cacheTtl, Clock clock) {
        this(login, allowedRoles, changeRoles, cacheTtl, clock, null);
    }

    /** @param throttle limits wrong passwords; null for none */
    public BasicAuthenticator(LoginFunction login, Set<String> allowedRoles, Set<String> changeRoles,
                              Duration cacheTtl, Clock clock, LoginThrottle throttle) {
        this.throttle = throttle;
        this.login = login;
        this.allowedRoles = Set.copyOf(allowedRoles);
        this.changeRoles = Set.copyOf(changeRoles);
        this.cacheTtl = cacheTtl;
        this.clock = clock;
    }

    /** Checks the value of an {@code Authorization} header (null when absent), from an unknown address. */
    public Outcome authenticate(String authorization) {
        return authenticate(authorization, "unknown");
    }

    /**
     * Checks the value of an {@code Authorization} header (null when absent) sent from {@code address} (the
     * connection's remote address).
     */
    public Outcome authenticate(String authorization, String address) {
        if (authorization == null || authorization.isBlank()) {
            return new Unauthenticated("no credentials");
        }
        if (authorization.length() > MAX_HEADER_LENGTH) {
            return new Unauthenticated("Authorization header too long");
        }
        String header = authorization.strip();
        if (header.length() < 6 || !header.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
            return new Unauthenticated("not Basic authentication");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return new Unauthenticated("credentials are not Base64");
        }
        char[] chars;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(decoded));
            chars = new char[cb.remaining()];
            cb.get(chars);
        } catch (CharacterCodingException e) {
            return new Unauthenticated("credentials are not UTF-8");
        }
        int colon = indexOf(chars, ':');
        if (colon <= 0) {
            Arrays.fill(chars, '\0');
            Arrays.fill(decoded, (byte) 0);
            return new Unauthenticated("credentials are not user:password");
        }
        String user = new String(chars, 0, colon);
        char[] password = Arrays.copyOfRange(chars, colon + 1, chars.length);
        String key = cacheKey(address, decoded);
        Arrays.fill(chars, '\0');
        Arrays.fill(decoded, (byte) 0);
        try {
            return check(user, password, key, address);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private Outcome check(String user, char[] password, String key, String address) {
        if (throttle != null) {
            var refused = throttle.addressRefusal(address);
            if (refused.isPresent()) {
                return new Throttled(user, refused.get());
            }
        }
        long now = clock.millis();
        CachedLogin cached = cache.get(key);
        if (cached != null && cached.expiresAtMillis() > now) {
            return new Authenticated(cached.operator());
        }
        if (throttle != null) {
            // Counted as a wrong password from here on, unless the realm says it is right.
            var refused = throttle.tryAttempt(address, user);
            if (refused.isPresent()) {
                return new Throttled(user, refused.get());
            }
        }
        Optional<Set<String>> roles = login.login(user, password);
        if (roles.isEmpty()) {
            cache.remove(key);
            return new Unauthenticated("wrong user or password", user);
        }
        if (throttle != null) {
            throttle.succeeded(address, user);
        }
        if (roles.get().stream().noneMatch(allowedRoles::contains)) {
            return new Forbidden(user);
        }
        Operator op = new Operator(user, Set.copyOf(roles.get()),
                roles.get().stream().anyMatch(changeRoles::contains));
        if (!cacheTtl.isZero() && !cacheTtl.isNegative()) {
            if (cache.size() >= MAX_CACHED_LOGINS) {
                cache.values().removeIf(c -> c.expiresAtMillis() <= now);
                if (cache.size() >= MAX_CACHED_LOGINS) {
                    cache.clear();
                }
            }
            cache.put(key, new CachedLogin(op, now + cacheTtl.toMillis()));
        }
        return new Authenticated(op);
    }

    /** Forgets every cached login (e.g. after the configuration changed). */
    public void clearCache() {
        cache.clear();
    }

    int cachedLogins() {
        return cache.size();
    }

    /**
     * SHA-256 of the address and the decoded credentials: the cache never holds a password, and a login proved from
     * one address is not taken as proved from another.
     */
    private static String cacheKey(String address, byte[] credentials) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.valueOf(address).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return HexFormat.of().formatHex(sha.digest(credentials));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }

    private static int indexOf(char[] chars, char c) {
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
