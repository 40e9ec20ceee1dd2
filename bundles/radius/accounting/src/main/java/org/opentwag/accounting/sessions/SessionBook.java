package org.opentwag.accounting.sessions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.api.accounting.AccountingStatus;
import org.opentwag.api.charging.Usage;
import org.opentwag.api.state.ClientState;
import org.opentwag.api.state.StateStore;

/**
 * Sessions (the guide's ClientUsage) and access points (APState) as the records describe them. Kept in the
 * {@link StateStore} so they survive an update of this bundle and can be shared by a cluster. All records of one
 * access point are applied on one thread (one after-commit lane, in commit order), and a session's key starts with its
 * access point's address, so a read-modify-write of one session never races with another.
 */
public final class SessionBook {

    public static final String SESSIONS = "accounting-sessions";
    public static final String ACCESS_POINTS = "access-points";

    /**
     * @param openLifetime   how long an open session stays without news (a lost Stop must not keep it forever)
     * @param closedLifetime how long a closed session stays visible
     * @param apLifetime     how long an AP stays listed after it was last heard from
     */
    public record Lifetimes(Duration openLifetime, Duration closedLifetime, Duration apLifetime) {
    }

    private final StateStore store;
    private final LongSupplier clock;
    private final Lifetimes lifetimes;
    private final Supplier<Collection<ClientState>> clients;

    /** @param clients the access-session service's client list (for APs that send no accounting) */
    public SessionBook(StateStore store, LongSupplier clock, Lifetimes lifetimes,
                       Supplier<Collection<ClientState>> clients) {
        this.clients = clients;
        this.store = store;
        this.clock = clock;
        this.lifetimes = lifetimes;
    }

    static String key(String nasIp, String acctSessionId) {
        return nasIp + "|" + acctSessionId;
    }

    /** Applies a Start, Interim-Update or Stop; Accounting-On/Off close every session of the AP. */
    public List<AccountingSession> apply(AccountingRecord r) {
        if (r.status() == null) {
            return List.of();
        }
        if (r.status() == AccountingStatus.ACCOUNTING_ON || r.status() == AccountingStatus.ACCOUNTING_OFF) {
            // RFC 2866 5.1: the NAS restarted or is going down; none of its sessions survive.
            return closeAllOf(r.nasIp(), r.receivedAtMillis());
        }
        if (r.acctSessionId() == null) {
            return List.of();
        }
        String key = key(r.nasIp(), r.acctSessionId());
        AccountingSession old = store.get(SESSIONS, key, AccountingSession.class);
        boolean open = r.status() != AccountingStatus.STOP;
        long started = old != null ? old.startedAtMillis()
                : r.receivedAtMillis() - r.usage().sessionTimeSeconds() * 1000;
        // A late interim must not shrink what a later record already reported: counters only grow within a session.
        Usage usage = old != null && old.usage().totalOctets() > r.usage().totalOctets()
                && r.status() != AccountingStatus.STOP ? old.usage() : r.usage();
        AccountingSession next = new AccountingSession(r.acctSessionId(), r.nasIp(),
                r.userName() != null ? r.userName() : old != null ? old.userName() : null,
                r.imsi() != null ? r.imsi() : old != null ? old.imsi() : null,
                first(r.calledStationId(), old == null ? null : old.calledStationId()),
                first(r.callingStationId(), old == null ? null : old.callingStationId()),
                first(r.framedIp(), old == null ? null : old.framedIp()),
                started, r.receivedAtMillis(), usage, open, open ? 0 : r.terminateCause());
        store.put(SESSIONS, key, next, open ? lifetimes.openLifetime() : lifetimes.closedLifetime());
        return List.of(next);
    }

    /**
     * Applies the newest stored record of a session that was open before a restart, unless a newer record has
     * described that session since (false then). Called on the session's AP's lane, like {@link #apply}.
     */
    public boolean restore(AccountingRecord r) {
        if (r.acctSessionId() == null || store.get(SESSIONS, key(r.nasIp(), r.acctSessionId()),
                AccountingSession.class) != null) {
            return false;
        }
        apply(r);
        return true;
    }

    private List<AccountingSession> closeAllOf(String nasIp, long now) {
        List<AccountingSession> closed = new ArrayList<>();
        for (AccountingSession s : store.snapshot(SESSIONS, AccountingSession.class).values()) {
            if (s.open() && s.nasIp().equals(nasIp)) {
                AccountingSession c = new AccountingSession(s.acctSessionId(), s.nasIp(), s.userName(), s.imsi(),
                        s.calledStationId(), s.callingStationId(), s.framedIp(), s.startedAtMillis(), now, s.usage(),
                        false, 11 /* RFC 2866 Acct-Terminate-Cause NAS-Reboot */);
                store.put(SESSIONS, key(s.nasIp(), s.acctSessionId()), c, lifetimes.closedLifetime());
                closed.add(c);
            }
        }
        return closed;
    }

    static final long AP_REWRITE_INTERVAL_MILLIS = 1_000;

    /** Notes that an AP spoke to us; true when it was not known before (worth a log line). */
    public boolean accessPointSeen(String nasIp, String nasIdentifier, String calledStationId, int nasPortType,
                                   int framedMtu) {
        long now = clock.getAsLong();
        AccessPoint old = store.get(ACCESS_POINTS, nasIp, AccessPoint.class);
        // An AP sends a few requests per login, thousands per second in all: its row is rewritten at most once a
        // second (the shown last-seen time and SSID may be that much behind), not parsed and replaced every time;
        // at once, though, when this request names what the row still lacks (a first Access-Request often carries
        // no Called-Station-Id or NAS-Identifier, the accounting Start that follows does).
        if (old != null && now - old.lastSeenMillis() < AP_REWRITE_INTERVAL_MILLIS
                && !fillsAGap(old, nasIdentifier, calledStationId, nasPortType, framedMtu)) {
            return false;
        }
        CalledStationId called = CalledStationId.parse(calledStationId);
        AccessPoint next = new AccessPoint(nasIp,
                first(nasIdentifier, old == null ? null : old.nasIdentifier()),
                first(called == null ? null : called.apMac(), old == null ? null : old.apMac()),
                first(called == null ? null : called.ssid(), old == null ? null : old.ssid()),
                nasPortType != 0 ? nasPortType : old == null ? 0 : old.nasPortType(),
                framedMtu != 0 ? framedMtu : old == null ? 0 : old.framedMtu(),
                old == null ? now : old.firstSeenMillis(), now, 0);
        store.put(ACCESS_POINTS, nasIp, next, lifetimes.apLifetime());
        return old == null;
    }

    private static boolean fillsAGap(AccessPoint old, String nasIdentifier, String calledStationId, int nasPortType,
                                     int framedMtu) {
        return old.nasIdentifier() == null && nasIdentifier != null
                || old.apMac() == null && old.ssid() == null && calledStationId != null
                || old.nasPortType() == 0 && nasPortType != 0
                || old.framedMtu() == 0 && framedMtu != 0;
    }

    public List<AccountingSession> openSessions(int limit) {
        return store.snapshot(SESSIONS, AccountingSession.class).values().stream()
                .filter(AccountingSession::open)
                .sorted(Comparator.comparingLong(AccountingSession::updatedAtMillis).reversed())
                .limit(limit).toList();
    }

    /** Open and recently closed sessions, newest first (the guide's Client Usage view shows both). */
    public List<AccountingSession> recentSessions(int limit) {
        return store.snapshot(SESSIONS, AccountingSession.class).values().stream()
                .sorted(Comparator.comparingLong(AccountingSession::updatedAtMillis).reversed())
                .limit(limit).toList();
    }

    public Optional<AccountingSession> session(String nasIp, String acctSessionId) {
        return Optional.ofNullable(store.get(SESSIONS, key(nasIp, acctSessionId), AccountingSession.class));
    }

    public long openSessionCount() {
        long[] open = {0};
        store.forEach(SESSIONS, AccountingSession.class, (k, s) -> {
            if (s.open()) {
                open[0]++;
            }
        });
        return open[0];
    }

    /** APs with their client count: open accounting sessions, or authenticated clients when the AP sends none. */
    public List<AccessPoint> accessPoints() {
        Map<String, Integer> sessions = new HashMap<>();
        store.forEach(SESSIONS, AccountingSession.class, (k, s) -> {
            if (s.open()) {
                sessions.merge(s.nasIp(), 1, Integer::sum);
            }
        });
        Map<String, Integer> accepted = new HashMap<>();
        for (ClientState c : clients.get()) {
            if (c.status() == ClientState.Status.ACCEPTED && c.nasIp() != null) {
                accepted.merge(c.nasIp(), 1, Integer::sum);
            }
        }
        return store.snapshot(ACCESS_POINTS, AccessPoint.class).values().stream()
                .map(ap -> withClients(ap, Math.max(sessions.getOrDefault(ap.nasIp(), 0),
                        accepted.getOrDefault(ap.nasIp(), 0))))
                .sorted(Comparator.comparingLong(AccessPoint::lastSeenMillis).reversed())
                .toList();
    }

    public int accessPointCount() {
        return store.size(ACCESS_POINTS);
    }

    private static AccessPoint withClients(AccessPoint ap, int clients) {
        return new AccessPoint(ap.nasIp(), ap.nasIdentifier(), ap.apMac(), ap.ssid(), ap.nasPortType(),
                ap.framedMtu(), ap.firstSeenMillis(), ap.lastSeenMillis(), clients);
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }
}
