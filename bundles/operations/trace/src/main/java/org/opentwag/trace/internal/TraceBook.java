package org.opentwag.trace.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
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
import org.opentwag.api.trace.RejectReason;
import org.opentwag.api.trace.Rejection;
import org.opentwag.api.trace.SubscriberTrace;
import org.opentwag.api.trace.TraceStep;

/**
 * The subscriber trace in bounded memory. An attempt in progress is an object, for the second or so it runs; when it
 * ends (or after {@link #RUNNING_MAX_MILLIS} without an end) it is written as bytes into a {@link TraceJournal} of
 * fixed size, the oldest attempts overwritten first, and accounting Start/Stop steps are written there too. So the
 * minutes of history the trace keeps are no objects for the collector to copy or scan (kept as objects, they were
 * most of what every young pause copied at 2,000 logins/s). A query reads the journal through: which records are a
 * subscriber's (its IMSI and every identity it used), its last {@code attemptsPerSubscriber} attempts, the last
 * {@code maxSubscribers} subscribers. Access points' counts are kept apart, for at most {@code maxAccessPoints}.
 * Plain Java; one lock, held for a map operation per step and, by a query, for {@link #RECORDS_PER_LOCK} records
 * at a time.
 */
public final class TraceBook implements SubscriberTrace {

    /** Steps kept per attempt: a full AKA with a resync, charging and accounting needs about 15. */
    static final int MAX_STEPS = 40;
    /** An attempt without an outcome this long (a phone gone mid-conversation) is journalled as in progress. */
    static final long RUNNING_MAX_MILLIS = 120_000;
    /** Characters kept of a step's detail and of each name. */
    static final int MAX_TEXT = 200;
    static final int RECORDS_PER_LOCK = 256;
    /** The largest record: an attempt of {@link #MAX_STEPS} steps with every text at its longest fits. */
    static final int MAX_RECORD_BYTES = 64 * 1024;
    /** The smallest journal: a few of the largest records. */
    static final int MIN_JOURNAL_BYTES = 4 * MAX_RECORD_BYTES;

    private static final byte ATTEMPT = 1;
    private static final byte ACCOUNTING = 2;
    private static final AuthAttempt.Outcome[] OUTCOMES = AuthAttempt.Outcome.values();
    private static final TraceStep.Kind[] KINDS = TraceStep.Kind.values();
    private static final RejectReason[] REASONS = RejectReason.values();

    private final int maxSubscribers;
    private final int attemptsPerSubscriber;
    private final int maxAccessPoints;

    /** An attempt in progress. */
    private static final class Attempt {
        final String id;
        final String nasIp;
        final String nasIdentifier;
        final String callingStationId;
        final long started;
        final List<TraceStep> steps = new ArrayList<>();
        String identity;
        /** Identities given before the last one in the same conversation (AT_IDENTITY rounds), usually none. */
        List<String> earlierIdentities;
        String imsi;
        String method;
        AuthAttempt.Outcome outcome = AuthAttempt.Outcome.IN_PROGRESS;
        Rejection rejection;

        Attempt(String id, String identity, String nasIp, String nasIdentifier, String callingStationId,
                long started) {
            this.id = id;
            this.identity = identity;
            this.nasIp = nasIp;
            this.nasIdentifier = nasIdentifier;
            this.callingStationId = callingStationId;
            this.started = started;
        }

        void add(TraceStep step) {
            if (steps.size() < MAX_STEPS) {
                steps.add(step.detail() != null && step.detail().length() > MAX_TEXT
                        ? new TraceStep(step.atMillis(), step.kind(), step.detail().substring(0, MAX_TEXT)) : step);
            }
        }

        boolean knownAs(Set<String> names) {
            return names.contains(identity) || imsi != null && names.contains(imsi)
                    || earlierIdentities != null && earlierIdentities.stream().anyMatch(names::contains);
        }

        void addNamesTo(Set<String> names) {
            names.add(identity);
            addName(names, imsi);
            if (earlierIdentities != null) {
                names.addAll(earlierIdentities);
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

    /** Attempts in progress by id, oldest first. */
    private final LinkedHashMap<String, Attempt> running = new LinkedHashMap<>();
    private final TraceJournal journal;
    /** Where a record is encoded before it is copied into the journal under the lock. */
    private final ThreadLocal<ByteBuffer> encoding;
    private final Map<String, ApCounts> accessPoints = new ConcurrentHashMap<>();
    private final List<Follower> followers = new CopyOnWriteArrayList<>();

    public TraceBook(int maxSubscribers, int attemptsPerSubscriber, int maxAccessPoints, int journalBytes) {
        this.maxSubscribers = Math.max(1, maxSubscribers);
        this.attemptsPerSubscriber = Math.max(1, attemptsPerSubscriber);
        this.maxAccessPoints = Math.max(1, maxAccessPoints);
        this.journal = new TraceJournal(Math.max(MIN_JOURNAL_BYTES, journalBytes));
        this.encoding = ThreadLocal.withInitial(() -> ByteBuffer.allocate(MAX_RECORD_BYTES));
    }

    @Override
    public void started(String attemptId, String identity, NasContext nas, long atMillis) {
        if (attemptId == null || identity == null) {
            return;
        }
        synchronized (this) {
            Attempt a = running.get(attemptId);
            if (a != null) { // a new identity in the same conversation (AT_IDENTITY)
                if (!identity.equals(a.identity)) {
                    if (a.earlierIdentities == null) {
                        a.earlierIdentities = new ArrayList<>(2);
                    }
                    if (a.earlierIdentities.size() < 4) {
                        a.earlierIdentities.add(a.identity);
                    }
                    a.identity = identity;
                }
                return;
            }
            running.put(attemptId, new Attempt(attemptId, identity, nas == null ? null : nas.nasIp(),
                    nas == null ? null : nas.nasIdentifier(), nas == null ? null : nas.callingStationId(), atMillis));
            retireAbandoned(atMillis);
        }
    }

    /** Journals the oldest attempts in progress while there are too many or they are too old. */
    private void retireAbandoned(long now) {
        Iterator<Attempt> it = running.values().iterator();
        while (it.hasNext()) {
            Attempt eldest = it.next();
            if (running.size() <= maxSubscribers && now - eldest.started < RUNNING_MAX_MILLIS) {
                return;
            }
            it.remove();
            append(encode(eldest));
        }
    }

    @Override
    public synchronized void imsi(String attemptId, String imsi) {
        Attempt a = attemptId == null ? null : running.get(attemptId);
        if (a != null && imsi != null) {
            a.imsi = imsi;
        }
    }

    @Override
    public synchronized void method(String attemptId, String method) {
        Attempt a = attemptId == null ? null : running.get(attemptId);
        if (a != null) {
            a.method = method;
        }
    }

    @Override
    public synchronized void step(String attemptId, TraceStep step) {
        Attempt a = attemptId == null ? null : running.get(attemptId);
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
        Attempt a;
        synchronized (this) {
            a = attemptId == null ? null : running.remove(attemptId);
        }
        if (a == null) {
            return;
        }
        a.outcome = outcome;
        a.rejection = rejection;
        ByteBuffer record = encode(a);
        synchronized (this) {
            append(record);
        }
        if (a.nasIp != null) {
            ApCounts c = accessPoints.get(a.nasIp);
            if (c == null && accessPoints.size() < maxAccessPoints) {
                c = accessPoints.computeIfAbsent(a.nasIp, k -> new ApCounts());
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
        if (!followers.isEmpty()) {
            AuthAttempt done = a.view();
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
    }

    @Override
    public void accounting(String imsi, String identity, TraceStep step) {
        if (step == null || imsi == null && identity == null) {
            return;
        }
        ByteBuffer b = encoding.get().clear();
        b.put(ACCOUNTING);
        putText(b, imsi);
        putText(b, identity);
        putStep(b, step);
        synchronized (this) {
            append(b);
        }
    }

    private void append(ByteBuffer record) {
        journal.append(record.array(), 0, record.position());
    }

    // ------------------------------------------------------------------ the record of an attempt

    private ByteBuffer encode(Attempt a) {
        ByteBuffer b = encoding.get().clear();
        b.put(ATTEMPT);
        putText(b, a.identity);
        putText(b, a.imsi);
        List<String> earlier = a.earlierIdentities == null ? List.of() : a.earlierIdentities;
        b.put((byte) earlier.size());
        for (String e : earlier) {
            putText(b, e);
        }
        putText(b, a.id);
        putText(b, a.method);
        putText(b, a.nasIp);
        putText(b, a.nasIdentifier);
        putText(b, a.callingStationId);
        b.putLong(a.started);
        b.put((byte) a.outcome.ordinal());
        if (a.rejection == null) {
            b.put((byte) -1);
        } else {
            b.put((byte) a.rejection.reason().ordinal());
            b.putLong(a.rejection.resultCode());
            putText(b, a.rejection.detail());
        }
        b.put((byte) a.steps.size());
        for (TraceStep s : a.steps) {
            putStep(b, s);
        }
        return b;
    }

    private static void putStep(ByteBuffer b, TraceStep s) {
        b.putLong(s.atMillis());
        b.put((byte) s.kind().ordinal());
        putText(b, s.detail());
    }

    /** Up to {@link #MAX_TEXT} characters as UTF-8 after a length (-1: null). At most 600 bytes + 2. */
    private static void putText(ByteBuffer b, String s) {
        if (s == null) {
            b.putShort((short) -1);
            return;
        }
        byte[] utf8 = (s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s).getBytes(StandardCharsets.UTF_8);
        b.putShort((short) utf8.length);
        b.put(utf8);
    }

    private static String getText(ByteBuffer b) {
        int n = b.getShort();
        if (n < 0) {
            return null;
        }
        String s = new String(b.array(), b.arrayOffset() + b.position(), n, StandardCharsets.UTF_8);
        b.position(b.position() + n);
        return s;
    }

    private static TraceStep getStep(ByteBuffer b) {
        long at = b.getLong();
        TraceStep.Kind kind = KINDS[b.get()];
        return new TraceStep(at, kind, getText(b));
    }

    /** What a query needs of every record before it decodes the few that are the subscriber's. */
    private static final class Names {
        boolean attempt;
        String identity;
        String imsi;
        final List<String> earlier = new ArrayList<>(4);

        boolean knownAs(Set<String> names) {
            if (identity != null && names.contains(identity) || imsi != null && names.contains(imsi)) {
                return true;
            }
            for (String e : earlier) {
                if (names.contains(e)) {
                    return true;
                }
            }
            return false;
        }

        void addNamesTo(Set<String> names) {
            addName(names, identity);
            addName(names, imsi);
            names.addAll(earlier);
        }
    }

    private static Names names(byte[] bytes, int offset, int length, Names into) {
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, length);
        into.attempt = b.get() == ATTEMPT;
        into.earlier.clear();
        if (into.attempt) {
            into.identity = getText(b);
            into.imsi = getText(b);
            for (int i = b.get(); i > 0; i--) {
                into.earlier.add(getText(b));
            }
        } else {
            into.imsi = getText(b);
            into.identity = getText(b);
        }
        return into;
    }

    /** An attempt record, decoded, with the accounting steps that followed it. */
    private static final class Decoded {
        final String id;
        final String identity;
        final String imsi;
        final String method;
        final String nasIp;
        final String nasIdentifier;
        final String callingStationId;
        final long started;
        final AuthAttempt.Outcome outcome;
        final Rejection rejection;
        final List<TraceStep> steps = new ArrayList<>();

        Decoded(ByteBuffer b) {
            b.get();
            identity = getText(b);
            imsi = getText(b);
            for (int i = b.get(); i > 0; i--) {
                getText(b);
            }
            id = getText(b);
            method = getText(b);
            nasIp = getText(b);
            nasIdentifier = getText(b);
            callingStationId = getText(b);
            started = b.getLong();
            outcome = OUTCOMES[b.get()];
            int reason = b.get();
            rejection = reason < 0 ? null : new Rejection(REASONS[reason], b.getLong(), getText(b));
            int n = b.get() & 0xff;
            for (int i = 0; i < n; i++) {
                steps.add(getStep(b));
            }
        }

        AuthAttempt view() {
            return new AuthAttempt(id, identity, imsi, method, nasIp, nasIdentifier, callingStationId, started,
                    outcome, rejection, steps);
        }
    }

    /** Calls {@code reader} with every journalled record, oldest first, holding the lock for a few at a time. */
    private void readJournal(TraceJournal.RecordReader reader) {
        long p = Long.MIN_VALUE;
        while (true) {
            synchronized (this) {
                if (p == Long.MIN_VALUE) {
                    p = journal.first();
                }
                if (p >= journal.end()) {
                    return;
                }
                p = journal.read(p, RECORDS_PER_LOCK, reader);
            }
        }
    }

    // ------------------------------------------------------------------ queries

    @Override
    public List<AuthAttempt> attempts(String imsiOrIdentity) {
        if (imsiOrIdentity == null) {
            return List.of();
        }
        // Every name the subscriber went by: an attempt names an identity and, once known, the IMSI. Two passes
        // find a name linked only by a later record (a pseudonym's attempt before the one that gave its IMSI).
        Set<String> names = new HashSet<>();
        names.add(imsiOrIdentity);
        Names n = new Names();
        for (int pass = 0; pass < 2; pass++) {
            readJournal((bytes, offset, length) -> {
                if (names(bytes, offset, length, n).attempt && n.knownAs(names)) {
                    n.addNamesTo(names);
                }
            });
            synchronized (this) {
                for (Attempt a : running.values()) {
                    if (a.knownAs(names)) {
                        a.addNamesTo(names);
                    }
                }
            }
        }
        Deque<Decoded> kept = new ArrayDeque<>();
        readJournal((bytes, offset, length) -> {
            if (!names(bytes, offset, length, n).knownAs(names)) {
                return;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes, offset, length);
            if (n.attempt) {
                kept.addLast(new Decoded(b));
                if (kept.size() > attemptsPerSubscriber) {
                    kept.removeFirst();
                }
                return;
            }
            b.get();
            getText(b);
            getText(b);
            TraceStep step = getStep(b);
            for (Iterator<Decoded> it = kept.descendingIterator(); it.hasNext(); ) {
                Decoded d = it.next();
                if (d.outcome == AuthAttempt.Outcome.ACCEPTED) {
                    if (d.steps.size() < MAX_STEPS) {
                        d.steps.add(step);
                    }
                    break;
                }
            }
        });
        List<AuthAttempt> out = new ArrayList<>();
        kept.forEach(d -> out.add(d.view()));
        synchronized (this) {
            for (Attempt a : running.values()) {
                if (a.knownAs(names)) {
                    out.add(a.view());
                }
            }
        }
        out.sort((x, y) -> Long.compare(y.startedAtMillis(), x.startedAtMillis()));
        return out.size() > attemptsPerSubscriber ? List.copyOf(out.subList(0, attemptsPerSubscriber)) : out;
    }

    private static void addName(Set<String> names, String name) {
        if (name != null) {
            names.add(name);
        }
    }

    @Override
    public List<String> subscribers() {
        // By the IMSI once an attempt knew it, else the identity; the most recently seen last.
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        Names n = new Names();
        readJournal((bytes, offset, length) -> {
            if (names(bytes, offset, length, n).attempt) {
                String key = n.imsi != null ? n.imsi : n.identity;
                seen.remove(key);
                seen.add(key);
            }
        });
        synchronized (this) {
            for (Attempt a : running.values()) {
                String key = a.imsi != null ? a.imsi : a.identity;
                seen.remove(key);
                seen.add(key);
            }
        }
        List<String> out = new ArrayList<>(seen);
        Collections.reverse(out);
        return out.size() > maxSubscribers ? List.copyOf(out.subList(0, maxSubscribers)) : out;
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

    /** Attempts in progress, for tests and the bound. */
    synchronized int runningCount() {
        return running.size();
    }
}
