package org.opentwag.dashboard.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Limits wrong passwords per source address and per user name, each with a leaky bucket: a wrong password adds one,
 * the bucket empties at {@code limit / window}, and a login is refused without being checked while one more wrong
 * password would overflow it. So {@code limit} wrong passwords in a row are allowed, then one more every
 * {@code window / limit} (the lockout decays), and the whole budget is back after {@code window} without failures.
 *
 * <p>Memory is bounded: each table holds at most {@code maxTracked} buckets. When a table is full (an attacker
 * spraying addresses or user names), buckets that have emptied are dropped; if it is still full, every key not in
 * the table shares one overflow bucket, so spraying can neither grow the table nor wash out a bucket already there.
 * IPv6 addresses count per /64, the block one host usually gets.
 *
 * <p>Each attempt is reserved ({@link #tryAttempt}) before its password is checked, so parallel logins cannot all
 * pass before the first failure is counted. A successful login takes back its own reservation and empties its own
 * user's bucket (only the password's owner can do that) but never the failures already in an address' bucket: a
 * valid account of one's own cannot buy more guesses at others' passwords from that address.
 */
public final class LoginThrottle {

    /**
     * @param perUser    wrong passwords allowed in a row for one user name (0: no limit)
     * @param perAddress wrong passwords allowed in a row from one address, or IPv6 /64 (0: no limit)
     * @param window     time in which a full bucket empties again
     * @param maxTracked buckets kept per table (user names, addresses) before the overflow bucket is used
     */
    public record Limits(int perUser, int perAddress, Duration window, int maxTracked) {
        public Limits {
            if (perUser < 0 || perAddress < 0 || window.isNegative() || window.isZero() || maxTracked < 1) {
                throw new IllegalArgumentException("bad login limits: " + perUser + "/" + perAddress + " per "
                        + window + ", " + maxTracked + " tracked");
            }
        }

        /** 5 per user and 20 per address in 5 minutes, 10,000 of each tracked. */
        public static Limits defaults() {
            return new Limits(5, 20, Duration.ofMinutes(5), 10_000);
        }
    }

    /** Which limit refused a login. */
    public enum Scope { ADDRESS, USER }

    /** A refused login: which limit, and how long until one more attempt is allowed. */
    public record Refusal(Scope scope, Duration retryAfter) {
    }

    static final String OVERFLOW = "*";
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.%\\[\\]]{2,64}");

    private final Limits limits;
    private final Clock clock;
    private final Table users;
    private final Table addresses;

    public LoginThrottle(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.users = new Table(limits.perUser(), limits.window(), limits.maxTracked());
        this.addresses = new Table(limits.perAddress(), limits.window(), limits.maxTracked());
    }

    public Limits limits() {
        return limits;
    }

    /** Refused when this address has no attempt left; checked before anything else. */
    public Optional<Refusal> addressRefusal(String address) {
        return addresses.refusal(addressKey(address), clock.millis()).map(d -> new Refusal(Scope.ADDRESS, d));
    }

    /** Refused when this user name has no attempt left (read only: {@link #tryAttempt} is what logins use). */
    public Optional<Refusal> userRefusal(String user) {
        return users.refusal(userKey(user), clock.millis()).map(d -> new Refusal(Scope.USER, d));
    }

    /**
     * Reserves one attempt for this user from this address, before the password is checked, so that many logins
     * in parallel cannot all pass the check before the first failure is counted. Empty when allowed: the attempt
     * then counts as a wrong password unless {@link #succeeded} follows. Otherwise the refusal, and nothing counted.
     */
    public Optional<Refusal> tryAttempt(String address, String user) {
        long now = clock.millis();
        String a = addressKey(address);
        Optional<Duration> byAddress = addresses.tryAdd(a, now);
        if (byAddress.isPresent()) {
            return Optional.of(new Refusal(Scope.ADDRESS, byAddress.get()));
        }
        Optional<Duration> byUser = users.tryAdd(userKey(user), now);
        if (byUser.isPresent()) {
            addresses.refund(a, now);
            return Optional.of(new Refusal(Scope.USER, byUser.get()));
        }
        return Optional.empty();
    }

    /**
     * The attempt had the right password: it costs the address nothing, and the user's own failures are forgiven;
     * the address' earlier failures (other users' wrong passwords) are not.
     */
    public void succeeded(String address, String user) {
        addresses.refund(addressKey(address), clock.millis());
        users.forgive(userKey(user));
    }

    int trackedUsers() {
        return users.size();
    }

    int trackedAddresses() {
        return addresses.size();
    }

    static String userKey(String user) {
        return user.toLowerCase(Locale.ROOT);
    }

    /** The address as counted: IPv4 as is, IPv6 by its /64; anything unparseable as itself. */
    static String addressKey(String address) {
        if (address == null || !IP_LITERAL.matcher(address).matches()) {
            return String.valueOf(address);
        }
        try {
            // A literal (checked above): no name lookup happens.
            byte[] a = InetAddress.getByName(address).getAddress();
            if (a.length == 16) {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < 8; i += 2) {
                    s.append(String.format("%02x%02x:", a[i], a[i + 1]));
                }
                return s.append(":/64").toString();
            }
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /** One kind of key's buckets. */
    private static final class Table {
        private final int limit;
        /** Time for one failure to leak away: window / limit. */
        private final double millisPerFailure;
        private final int maxTracked;
        private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

        Table(int limit, Duration window, int maxTracked) {
            this.limit = limit;
            this.millisPerFailure = limit == 0 ? 0 : window.toMillis() / (double) limit;
            this.maxTracked = maxTracked;
        }

        Optional<Duration> refusal(String key, long now) {
            if (limit == 0) {
                return Optional.empty();
            }
            Bucket b = buckets.get(key);
            if (b == null && buckets.size() >= maxTracked) {
                b = buckets.get(OVERFLOW); // where this key's attempts would be counted
            }
            if (b == null) {
                return Optional.empty();
            }
            double excess = b.level(now, millisPerFailure) - (limit - 1);
            return excess > 0 ? Optional.of(Duration.ofMillis(Math.max(1, (long) Math.ceil(excess * millisPerFailure))))
                    : Optional.empty();
        }

        /** Adds one to the key's bucket unless that would overflow it; the time until it would not, if so. */
        Optional<Duration> tryAdd(String key, long now) {
            if (limit == 0) {
                return Optional.empty();
            }
            String k = slot(key, now);
            Duration[] refused = new Duration[1];
            buckets.compute(k, (x, b) -> {
                Bucket current = b == null ? new Bucket(0, now) : b;
                double level = current.level(now, millisPerFailure);
                // Refused while one more would overflow; retry when the level has leaked to limit - 1.
                double excess = level - (limit - 1);
                if (excess > 0) {
                    refused[0] = Duration.ofMillis(Math.max(1, (long) Math.ceil(excess * millisPerFailure)));
                    return b;
                }
                return new Bucket(level + 1, now);
            });
            return Optional.ofNullable(refused[0]);
        }

        /** Takes back one reserved attempt (the password was right, or another limit refused the login). */
        void refund(String key, long now) {
            if (limit == 0) {
                return;
            }
            String k = buckets.containsKey(key) ? key : OVERFLOW;
            buckets.computeIfPresent(k, (x, b) -> {
                double level = b.level(now, millisPerFailure) - 1;
                return level <= 0 ? null : new Bucket(level, now);
            });
        }

        /** The key's own bucket while there is room (after dropping emptied ones), else the shared overflow. */
        private String slot(String key, long now) {
            if (buckets.containsKey(key) || buckets.size() < maxTracked) {
                return key;
            }
            buckets.values().removeIf(b -> b.level(now, millisPerFailure) <= 0);
            return buckets.size() < maxTracked ? key : OVERFLOW;
        }

        void forgive(String key) {
            buckets.remove(key);
        }

        int size() {
            return buckets.size();
        }
    }

    /** A bucket's level at a time; immutable, replaced on each failure. */
    private record Bucket(double level, long atMillis) {
        double level(long now, double millisPerFailure) {
            return Math.max(0, level - Math.max(0, now - atMillis) / millisPerFailure);
        }
    }
}
