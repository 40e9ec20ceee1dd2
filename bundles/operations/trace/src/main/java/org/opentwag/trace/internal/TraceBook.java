package org.opentwag.trace.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.opentwag.api.eap.NasContext;
import org.opentwag.api.trace.AccessPointOutcomes;
import org.opentwag.api.trace.AuthAttempt;
import org.opentwag.api.trace.Rejection;
import org.opentwag.api.trace.SubscriberTrace;
import org.opentwag.api.trace.TraceStep;

/**
 * The subscriber trace in bounded memory: at most {@code maxSubscribers} subscribers (least recently seen dropped
 * first), each with its last {@code attemptsPerSubscriber} attempts of at most {@link #MAX_STEPS} steps, and at most
 * {@code maxAccessPoints} access points' counts. A subscriber is known under every identity it used and its IMSI.
 * Plain Java; one lock, held for a few map operations per step.
 */
public final class TraceBook implements SubscriberTrace {

    /** Steps kept per attempt: a full AKA with a resync, charging and accounting needs about 15. */
    static final int MAX_STEPS = 40;

    private final int maxSubscribers;
    private final int attemptsPerSubscriber;
    private final int maxAccessPoints;

    /** One subscriber: the names it is known by and its attempts, newest last. */
    private static final class Subscriber {
        final Set<String> names = new LinkedHashSet<>();
        final Deque<Attempt> attempts = new ArrayDeque<>();
        String imsi;
    }

    private static final class Attempt {
        final String id;
        final String nasIp;
        final String nasIdentifier;
        final String callingStationId;
        final long started;
        final List<TraceStep> steps = new ArrayList<>();
        String identity;
        String imsi;
        String method;
        AuthAttempt.Outcome outcome = AuthAttempt.Outcome.IN_PROGRESS;
        Rejection rejection;
        Subscriber owner;

        Attempt(String id, String identity, NasContext nas, long started) {
            this.id = id;
            this.identity = identity;
            this.nasIp = nas == null ? null : nas.nasIp();
            this.nasIdentifier = nas == null ? null : nas.nasIdentifier();
            this.callingStationId = nas == null ? null : nas.callingStationId();
            this.started = started;
        }

        void add(TraceStep step) {
            if (steps.size() < MAX_STEPS) {
                steps.add(step);
            }
        }

        AuthAttempt view() {
            return new AuthAttempt(id, identity, imsi, method, nasIp, nasIdentifier, callingStationId, started,
                    outcome, rejection, steps);
        }
    }

    private static final class ApCounts {
        final AtomicLong accepts = new AtomicLong();
        final AtomicLong rejects = new AtomicLong();
        volatile Rejection last;
        volatile long lastAt;
    }

    private record Follower(String who, Consumer<AuthAttempt> listener) {
    }

    /** By name (identity or IMSI), access order: the eldest is the least recently seen. */
    private final LinkedHashMap<String, Subscriber> byName = new LinkedHashMap<>(256, 0.75f, true);
    private final Map<String, Attempt> byId = new HashMap<>();
    private int subscriberCount;
    private final Map<String, ApCounts> accessPoints = new ConcurrentHashMap<>();
    private final List<Follower> followers = new CopyOnWriteArrayList<>();

    public TraceBook(int maxSubscribers, int attemptsPerSubscriber, int maxAccessPoints) {
        this.maxSubscribers = Math.max(1, maxSubscribers);
        this.attemptsPerSubscriber = Math.max(1, attemptsPerSubscriber);
        this.maxAccessPoints = Math.max(1, maxAccessPoints);
    }

    @Override
    public synchronized void started(String attemptId, String identity, NasContext nas, long atMillis) {
        if (attemptId == null || identity == null) {
            return;
        }
        Attempt a = byId.get(attemptId);
        if (a != null) { // a new identity in the same conversation (AT_IDENTITY)
            identity(a, identity);
            return;
        }
        a = new Attempt(attemptId, identity, nas, atMillis);
        Subscriber s = byName.get(identity);
        if (s == null) {
            s = newSubscriber(identity);
        }
        attach(s, a);
    }

    private Subscriber newSubscriber(String name) {
        Subscriber s = new Subscriber();
        s.names.add(name);
        byName.put(name, s);
        subscriberCount++;
        evict();
        return s;
    }

    private void attach(Subscriber s, Attempt a) {
        a.owner = s;
        s.attempts.addLast(a);
        byId.put(a.id, a);
        while (s.attempts.size() > attemptsPerSubscriber) {
            byId.remove(s.attempts.removeFirst().id);
        }
    }

    private void identity(Attempt a, String identity) {
        if (identity.equals(a.identity)) {
            return;
        }
        a.identity = identity;
        Subscriber other = byName.get(identity);
        if (other == null) {
            a.owner.names.add(identity);
            byName.put(identity, a.owner);
        } else if (other != a.owner) {
            merge(a.owner, other);
        }
    }

    /** The same subscriber under two records (a pseudonym first, then its IMSI): one record from now on. */
    private void merge(Subscriber from, Subscriber into) {
        for (String n : from.names) {
            into.names.add(n);
            byName.put(n, into);
        }
        if (into.imsi == null) {
            into.imsi = from.imsi;
        }
        List<Attempt> all = new ArrayList<>(from.attempts);
        all.addAll(into.attempts);
        all.sort((x, y) -> Long.compare(x.started, y.started));
        into.attempts.clear();
        from.attempts.clear();
        subscriberCount--;
        for (Attempt x : all) {
            attach(into, x);
        }
    }

    private void evict() {
        while (subscriberCount > maxSubscribers && !byName.isEmpty()) {
            Subscriber eldest = byName.values().iterator().next();
            for (String n : eldest.names) {
                byName.remove(n, eldest);
            }
            for (Attempt a : eldest.attempts) {
                byId.remove(a.id);
            }
            subscriberCount--;
        }
    }

    @Override
    public synchronized void imsi(String attemptId, String imsi) {
        Attempt a = attemptId == null ? null : byId.get(attemptId);
        if (a == null || imsi == null || imsi.equals(a.imsi)) {
            return;
        }
        a.imsi = imsi;
        Subscriber s = a.owner;
        Subscriber other = byName.get(imsi);
        if (other == null) {
            s.names.add(imsi);
            byName.put(imsi, s);
        } else if (other != s) {
            merge(s, other);
        }
        a.owner.imsi = imsi;
    }

    @Override
    public synchronized void method(String attemptId, String method) {
        Attempt a = attemptId == null ? null : byId.get(attemptId);
        if (a != null) {
            a.method = method;
        }
    }

    @Override
    public synchronized void step(String attemptId, TraceStep step) {
        Attempt a = attemptId == null ? null : byId.get(attemptId);
        if (a != null && step != null) {
            a.add(step);
        }
    }

    @Override
    public void accepted(String attemptId, long atMillis) {
        finished(attemptId, AuthAttempt.Outcome.ACCEPTED, null, atMillis);
    }

    @Override
    public void rejected(String attemptId, Rejection rejection, long atMillis) {
        finished(attemptId, AuthAttempt.Outcome.REJECTED, rejection, atMillis);
    }

    private void finished(String attemptId, AuthAttempt.Outcome outcome, Rejection rejection, long atMillis) {
        AuthAttempt done;
        synchronized (this) {
            Attempt a = attemptId == null ? null : byId.get(attemptId);
            if (a == null || a.outcome != AuthAttempt.Outcome.IN_PROGRESS) {
                return;
            }
            a.outcome = outcome;
            a.rejection = rejection;
            done = a.view();
        }
        if (done.nasIp() != null) {
            ApCounts c = accessPoints.get(done.nasIp());
            if (c == null && accessPoints.size() < maxAccessPoints) {
                c = accessPoints.computeIfAbsent(done.nasIp(), k -> new ApCounts());
            }
            if (c != null) {
                if (outcome == AuthAttempt.Outcome.ACCEPTED) {
                    c.accepts.incrementAndGet();
                } else {
                    c.rejects.incrementAndGet();
                    c.last = rejection;
                    c.lastAt = atMillis;
                }
            }
        }
        for (Follower f : followers) {
            if (f.who().equals(done.imsi()) || f.who().equals(done.identity())) {
                try {
                    f.listener().accept(done);
                } catch (RuntimeException ignored) {
                    // a follower's failure (a closed console) must not reach the request path
                }
            }
        }
    }

    @Override
    public synchronized void accounting(String imsi, String identity, TraceStep step) {
        Subscriber s = imsi != null ? byName.get(imsi) : null;
        if (s == null && identity != null) {
            s = byName.get(identity);
        }
        if (s == null) {
            return;
        }
        Attempt latest = null;
        for (Attempt a : s.attempts) {
            if (a.outcome == AuthAttempt.Outcome.ACCEPTED) {
                latest = a;
            }
        }
        if (latest != null) {
            latest.add(step);
        }
    }

    @Override
    public synchronized List<AuthAttempt> attempts(String imsiOrIdentity) {
        Subscriber s = imsiOrIdentity == null ? null : byName.get(imsiOrIdentity);
        if (s == null) {
            return List.of();
        }
        List<AuthAttempt> out = new ArrayList<>(s.attempts.size());
        s.attempts.descendingIterator().forEachRemaining(a -> out.add(a.view()));
        return out;
    }

    @Override
    public synchronized List<String> subscribers() {
        List<Subscriber> order = new ArrayList<>(new LinkedHashSet<>(byName.values()));
        List<String> out = new ArrayList<>(order.size());
        for (int i = order.size() - 1; i >= 0; i--) {
            Subscriber s = order.get(i);
            out.add(s.imsi != null ? s.imsi : s.names.iterator().next());
        }
        return out;
    }

    @Override
    public List<AccessPointOutcomes> accessPoints() {
        List<AccessPointOutcomes> out = new ArrayList<>();
        accessPoints.forEach((ip, c) -> out.add(new AccessPointOutcomes(ip, c.accepts.get(), c.rejects.get(), c.last,
                c.lastAt)));
        out.sort((x, y) -> x.nasIp().compareTo(y.nasIp()));
        return out;
    }

    @Override
    public AutoCloseable follow(String imsiOrIdentity, Consumer<AuthAttempt> listener) {
        Follower f = new Follower(imsiOrIdentity, listener);
        followers.add(f);
        return () -> followers.remove(f);
    }

    /** Subscribers kept, for tests and the bound. */
    synchronized int subscriberCount() {
        return subscriberCount;
    }
}
