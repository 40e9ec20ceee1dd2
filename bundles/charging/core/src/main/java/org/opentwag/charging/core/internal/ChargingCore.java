package org.opentwag.charging.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingStatus;
import org.opentwag.api.charging.ChargedSession;
import org.opentwag.api.charging.ChargingActions;
import org.opentwag.api.charging.ChargingBackend;
import org.opentwag.api.charging.ChargingControl;
import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.charging.Usage;
import org.opentwag.api.metrics.CounterStore;
import org.opentwag.api.state.AuthorizedSession;
import org.opentwag.api.state.StateStore;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.server.DynamicAuthorizationClient;
import org.opentwag.radius.server.DynamicAuthorizationResult;
import org.opentwag.support.async.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The charging core: picks the configured backend for a new session, remembers which one serves it, turns the AP's
 * accounting into backend updates, and disconnects the session through the AP's DAS (RFC 5176) when the backend
 * refuses it or its final units are used. Plain Java; the OSGi component wires it.
 *
 * <p>Per-session state is a {@link ChargedSession} in the {@link StateStore} map {@value ChargedSession#MAP}, keyed by
 * the authorization token the AP echoes in accounting (Class). The only things held here are the chain of calls in
 * flight per session, so that two interims of one session never reach the backend at the same time, and the timers
 * that re-authorise a grant when its Validity-Time runs out.
 */
public final class ChargingCore implements ChargingControl, ChargingActions {

    private static final Logger LOG = LoggerFactory.getLogger(ChargingCore.class);

    private final StateStore store;
    private final Function<String, ChargingBackend> backends;
    private final Supplier<Set<String>> availableModes;
    private final Supplier<DynamicAuthorizationClient> das;
    private final LongSupplier clock;
    private final ChargingStatistics statistics;
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private volatile ChargingSettings settings;

    public ChargingCore(StateStore store, Function<String, ChargingBackend> backends,
                        Supplier<Set<String>> availableModes, Supplier<DynamicAuthorizationClient> das,
                        LongSupplier clock, ChargingSettings settings) {
        this(store, backends, availableModes, das, clock, settings, null);
    }

    /** @param counterStore keeps the counters beyond this object (a bundle:update); null: they are this object's */
    public ChargingCore(StateStore store, Function<String, ChargingBackend> backends,
                        Supplier<Set<String>> availableModes, Supplier<DynamicAuthorizationClient> das,
                        LongSupplier clock, ChargingSettings settings, CounterStore counterStore) {
        this.statistics = new ChargingStatistics(counterStore);
        this.store = store;
        this.backends = backends;
        this.availableModes = availableModes;
        this.das = das;
        this.clock = clock;
        this.settings = settings;
    }

    public ChargingSettings settings() {
        return settings;
    }

    /** New settings apply to sessions authorized from now on; running sessions keep their backend. */
    public void settings(ChargingSettings newSettings) {
        ChargingSettings old = settings;
        settings = newSettings;
        if (!old.mode().equals(newSettings.mode())) {
            LOG.info("Charging mode {} -> {} (sessions already running keep {}){}", old.mode(), newSettings.mode(),
                    old.mode(), backends.apply(newSettings.mode()) == null
                            ? "; no backend '" + newSettings.mode() + "' is registered yet" : "");
        }
    }

    // ------------------------------------------------------------------ authorization (before Access-Accept)

    @Override
    public CompletionStage<ChargingDecision> authorize(ChargingSession asked) {
        ChargingSettings s = settings;
        String mode = s.mode();
        ChargingBackend backend = backends.apply(mode);
        if (backend == null && modesServed.contains(mode)) {
            // The mode's backend served before: its bundle is being updated and comes back within a moment.
            return Futures.awaitReturn(() -> backends.apply(mode), 25, BACKEND_GAP_MILLIS)
                    .thenCompose(b -> start(s, asked, mode, b));
        }
        return start(s, asked, mode, backend);
    }

    /** How long an authorization waits for the backend of a mode that had one (bundle:update of the plugin). */
    static final long BACKEND_GAP_MILLIS = 2_000;
    /** Modes whose backend has served an authorization: only for these is an absent backend a passing gap. */
    private final Set<String> modesServed = ConcurrentHashMap.newKeySet();

    private CompletionStage<ChargingDecision> start(ChargingSettings s, ChargingSession asked, String mode,
                                                    ChargingBackend backend) {
        if (backend == null) {
            statistics.result(mode, "no_backend");
            return CompletableFuture.completedFuture(withoutBackend(s, asked, "charging mode '" + mode
                    + "' has no backend installed"));
        }
        modesServed.add(mode);
        ChargingSession session = new ChargingSession(asked.sessionId(), asked.imsi(), asked.nasIp(),
                asked.calledStationId(), asked.callingStationId(), mode, new HashMap<>(asked.backendState()));
        statistics.request(mode, "start");
        return call(() -> backend.start(session)).handle((decision, error) -> {
            if (error != null || decision == null) {
                statistics.result(mode, "failed");
                LOG.warn("Charging backend {} failed to start IMSI {}: {}", mode, asked.imsi(), cause(error));
                return withoutBackend(s, asked, "charging backend " + mode + " failed");
            }
            if (!decision.allowed()) {
                statistics.result(mode, "refused");
                LOG.info("Charging {} refused IMSI {} at AP {}: {}", mode, asked.imsi(), asked.nasIp(),
                        decision.reason());
                return decision;
            }
            statistics.result(mode, "allowed");
            long now = clock.getAsLong();
            long allowance = decision.grantedOctets() == ChargingDecision.UNLIMITED ? ChargingDecision.UNLIMITED
                    : Math.max(0, decision.grantedOctets());
            if (allowance != ChargingDecision.UNLIMITED) {
                statistics.granted(mode, allowance);
            }
            ChargedSession started = new ChargedSession(session, null, null, now, now, allowance, Usage.NONE,
                    validUntil(now, decision), decision.finalUnit());
            put(started);
            watchValidity(session.sessionId(), started);
            supersede(session);
            return decision;
        });
    }

    /**
     * One pending authorization per phone at an AP: a new Access-Accept for the same IMSI, Calling-Station-Id and NAS
     * ends the previous one if its accounting never started (CCR-T with no usage). Without this every
     * re-authentication that the AP does not follow with a Start (a retried association, a fast re-authentication
     * the AP keeps accounting under the first Class) would hold its own OCS reservation and state until the
     * start timeout: at thousands of logins per second, hundreds of thousands of sessions.
     */
    private void supersede(ChargingSession session) {
        if (session.imsi() == null) {
            return;
        }
        String phone = AuthorizedSession.phoneKey(session.imsi(), session.callingStationId(), session.nasIp());
        String previous;
        try {
            previous = store.swap(PENDING_MAP, phone, session.sessionId(), settings.startTimeout().plusMinutes(1),
                    String.class);
        } catch (IllegalStateException full) {
            LOG.debug("pending authorization of {} not indexed: {}", phone, full.getMessage());
            return;
        }
        if (previous == null || previous.equals(session.sessionId())) {
            return;
        }
        serially(previous, () -> {
            ChargedSession old = store.get(ChargedSession.MAP, previous, ChargedSession.class);
            if (old == null || old.acctSessionId() != null) {
                return CompletableFuture.completedFuture(null); // gone, or its accounting started: a running session
            }
            statistics.result(old.mode(), "superseded");
            return stopped(previous, old, old.usage(), "superseded by a newer authorization of the same phone at the AP");
        });
    }

    /** State-store map: IMSI|Calling-Station-Id|NAS-IP → token of the newest authorization there. */
    static final String PENDING_MAP = "charging-pending";

    private ChargingDecision withoutBackend(ChargingSettings s, ChargingSession asked, String why) {
        if (s.allowWithoutBackend()) {
            LOG.warn("{}: IMSI {} let in uncharged (allowWithoutBackend = true)", why, asked.imsi());
            return ChargingDecision.unlimited();
        }
        LOG.warn("{}: IMSI {} refused (allowWithoutBackend = false)", why, asked.imsi());
        return ChargingDecision.refused(why);
    }

    // ------------------------------------------------------------------ accounting

    /** Called by the accounting bundle after each record is durable; returns at once, the work goes on in stages. */
    public void recorded(AccountingRecord record) {
        if (record.status() == AccountingStatus.ACCOUNTING_ON || record.status() == AccountingStatus.ACCOUNTING_OFF) {
            stopAllOf(record.nasIp(), record.status());
            return;
        }
        String key = record.authSessionId();
        if (key == null || store.get(ChargedSession.MAP, key, ChargedSession.class) == null) {
            statistics.unmatched(record.status().name().toLowerCase());
            return;
        }
        serially(key, () -> switch (record.status()) {
            case START -> started(key, record);
            case INTERIM -> interim(key, record);
            case STOP -> stopped(key, record.usage(), "accounting Stop");
            default -> CompletableFuture.completedFuture(null);
        });
    }

    /** Runs the work of one session after the work already queued for it. */
    private void serially(String key, Supplier<CompletionStage<Void>> work) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> previous = inFlight.put(key, mine);
        CompletableFuture<Void> start = previous == null ? CompletableFuture.completedFuture(null) : previous;
        start.thenCompose(x -> call(work::get))
                .whenComplete((x, error) -> {
                    if (error != null) {
                        LOG.warn("Charging of session {} failed: {}", key, cause(error));
                    }
                    inFlight.remove(key, mine);
                    mine.complete(null);
                });
    }

    private CompletionStage<Void> started(String key, AccountingRecord record) {
        ChargedSession cs = store.get(ChargedSession.MAP, key, ChargedSession.class);
        if (cs != null) {
            ChargedSession running = seen(cs, record);
            put(running);
            watchValidity(key, running);
        }
        return CompletableFuture.completedFuture(null);
    }

    private CompletionStage<Void> interim(String key, AccountingRecord record) {
        ChargedSession before = store.get(ChargedSession.MAP, key, ChargedSession.class);
        if (before == null) {
            return CompletableFuture.completedFuture(null);
        }
        ChargedSession cs = seen(before, record);
        statistics.used(cs.mode(), cs.usedOctets() - before.usedOctets());
        if (cs.finalUnit() && exhausted(cs)) {
            put(cs);
            return disconnect(cs, "final units used");
        }
        return update(key, cs, "update", ChargingBackend::update);
    }

    /** How the backend is asked: an interim's update, or a re-authorisation. */
    @FunctionalInterface
    private interface BackendCall {
        CompletionStage<ChargingDecision> call(ChargingBackend backend, ChargingSession session, Usage usage);
    }

    /** Asks the backend about a session's usage so far and applies the decision (disconnecting when refused). */
    private CompletionStage<Void> update(String key, ChargedSession cs, String request, BackendCall how) {
        String mode = cs.mode();
        ChargingBackend backend = backends.apply(mode);
        if (backend == null) {
            // Being updated or uninstalled: keep the usage, decide at the next interim.
            statistics.result(mode, "no_backend");
            LOG.warn("Charging backend {} of session {} (IMSI {}) is gone; usage kept for its return", mode,
                    cs.acctSessionId(), cs.session().imsi());
            put(cs);
            return CompletableFuture.completedFuture(null);
        }
        ChargingSession session = copy(cs.session());
        statistics.request(mode, request);
        return call(() -> how.call(backend, session, cs.usage())).handle((decision, error) -> {
            if (error != null || decision == null) {
                // The backend owns its OCS failure handling; an exception here is a bug, not a verdict.
                statistics.result(mode, "failed");
                LOG.warn("Charging backend {} failed to update session {}: {}", mode, cs.acctSessionId(), cause(error));
                put(cs);
                return null;
            }
            long now = clock.getAsLong();
            long allowance = decision.grantedOctets() == ChargingDecision.UNLIMITED ? ChargingDecision.UNLIMITED
                    : cs.usedOctets() + Math.max(0, decision.grantedOctets());
            if (allowance != ChargingDecision.UNLIMITED) {
                long previous = cs.allowanceOctets() == ChargingDecision.UNLIMITED ? allowance : cs.allowanceOctets();
                statistics.granted(mode, allowance - previous);
            }
            ChargedSession after = new ChargedSession(session, cs.acctSessionId(), cs.userName(),
                    cs.startedAtMillis(), now, allowance, cs.usage(), validUntil(now, decision), decision.finalUnit());
            put(after);
            statistics.result(mode, decision.allowed() ? "allowed" : "refused");
            if (!decision.allowed()) {
                return "refused: " + decision.reason();
            }
            watchValidity(key, after);
            return after.finalUnit() && exhausted(after) ? "final units used" : null;
        }).thenCompose(why -> why == null ? CompletableFuture.completedFuture(null)
                : disconnect(store.get(ChargedSession.MAP, key, ChargedSession.class), why));
    }

    // ------------------------------------------------------------------ asked by the charging server

    @Override
    public boolean reauthorize(String sessionId, String why) {
        if (store.get(ChargedSession.MAP, sessionId, ChargedSession.class) == null) {
            return false;
        }
        serially(sessionId, () -> {
            ChargedSession cs = store.get(ChargedSession.MAP, sessionId, ChargedSession.class);
            if (cs == null) {
                return CompletableFuture.completedFuture(null);
            }
            LOG.info("Charging {}: re-authorising session {} of IMSI {} ({})", cs.mode(), cs.acctSessionId(),
                    cs.session().imsi(), why);
            return update(sessionId, cs, "reauthorize", ChargingBackend::reauthorize);
        });
        return true;
    }

    @Override
    public boolean abort(String sessionId, String why) {
        if (store.get(ChargedSession.MAP, sessionId, ChargedSession.class) == null) {
            return false;
        }
        serially(sessionId, () -> {
            ChargedSession cs = store.get(ChargedSession.MAP, sessionId, ChargedSession.class);
            if (cs != null) {
                statistics.result(cs.mode(), "aborted");
            }
            return disconnect(cs, why);
        });
        return true;
    }

    // ------------------------------------------------------------------ Validity-Time

    /**
     * Where the re-authorisation of grants whose validity runs out is scheduled; null: only at the next interim.
     * The timer is local to this node; it re-checks the stored session when it fires, so a grant renewed meanwhile
     * (here or on another node) is left alone.
     */
    public void validityTimers(ScheduledExecutorService timers) {
        this.timers = timers;
    }

    private volatile ScheduledExecutorService timers;

    /** How often the component calls {@link #sweep}. */
    public static final long SWEEP_INTERVAL_SECONDS = 60;
    private final Map<String, ScheduledFuture<?>> validity = new ConcurrentHashMap<>();

    private void watchValidity(String key, ChargedSession cs) {
        ScheduledExecutorService t = timers;
        if (t == null || cs.validUntilMillis() <= 0 || cs.finalUnit()) {
            cancelValidity(key);
            return;
        }
        if (cs.acctSessionId() == null && cs.validUntilMillis() > cs.updatedAtMillis()
                + settings.startTimeout().toMillis() + 2 * SWEEP_INTERVAL_SECONDS * 1000) {
            // Accounting has not started and the sweep stops the session for that before its grant runs out: the
            // timer is armed at the Start (started). Armed at every authorization, a grant of an hour put a task per
            // login into the timer queue, most of them cancelled when the phone's next authorization superseded
            // the session: objects that outlived the young collections and made charged logins' G1 work.
            cancelValidity(key);
            return;
        }
        long expected = cs.validUntilMillis();
        long delay = Math.max(0, expected - clock.getAsLong());
        ScheduledFuture<?> previous;
        try {
            previous = validity.put(key, t.schedule(() -> validityOver(key, expected), delay, TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            return;
        }
        if (previous != null) {
            previous.cancel(false);
        }
    }

    private void cancelValidity(String key) {
        ScheduledFuture<?> f = validity.remove(key);
        if (f != null) {
            f.cancel(false);
        }
    }

    private void validityOver(String key, long expected) {
        serially(key, () -> {
            ChargedSession cs = store.get(ChargedSession.MAP, key, ChargedSession.class);
            if (cs == null || cs.validUntilMillis() != expected) {
                return CompletableFuture.completedFuture(null); // ended, or renewed meanwhile
            }
            validity.remove(key);
            LOG.debug("Charging {}: grant of session {} no longer valid; re-authorising", cs.mode(), cs.acctSessionId());
            return update(key, cs, "validity", ChargingBackend::update);
        });
    }

    private CompletionStage<Void> stopped(String key, Usage total, String why) {
        return stopped(key, null, total, why);
    }

    /**
     * @param known the session as just read within this key's serial work (so unchanged since), or null: then it is
     *              read as it is removed. Known, it is removed without decoding it again (a superseded
     *              authorization, once per charged login, was decoded twice).
     */
    private CompletionStage<Void> stopped(String key, ChargedSession known, Usage total, String why) {
        cancelValidity(key);
        ChargedSession cs = known == null ? store.remove(ChargedSession.MAP, key, ChargedSession.class)
                : store.delete(ChargedSession.MAP, key) ? known : null;
        if (cs == null) {
            return CompletableFuture.completedFuture(null);
        }
        String mode = cs.mode();
        statistics.used(mode, total.totalOctets() - cs.usedOctets());
        ChargingBackend backend = backends.apply(mode);
        if (backend == null && modesServed.contains(mode)) {
            // Its bundle is being updated (or rolled back) and comes back within a moment: the end of the session
            // waits for it, as an authorization does, rather than going unreported to the OCS.
            return Futures.awaitReturn(() -> backends.apply(mode), 25, BACKEND_GAP_MILLIS)
                    .thenCompose(b -> reportStop(cs, mode, b, total, why));
        }
        return reportStop(cs, mode, backend, total, why);
    }

    private CompletionStage<Void> reportStop(ChargedSession cs, String mode, ChargingBackend backend, Usage total,
                                             String why) {
        if (backend == null) {
            statistics.result(mode, "no_backend");
            LOG.warn("Charging backend {} is gone: end of session {} (IMSI {}, {} octets) not reported", mode,
                    cs.acctSessionId(), cs.session().imsi(), total.totalOctets());
            return CompletableFuture.completedFuture(null);
        }
        statistics.request(mode, "stop");
        if (LOG.isDebugEnabled()) { // five arguments: an array and a boxed long per stop otherwise
            LOG.debug("Charging {}: session {} of IMSI {} ends ({}), {} octets", mode, cs.acctSessionId(),
                    cs.session().imsi(), why, total.totalOctets());
        }
        return call(() -> backend.stop(copy(cs.session()), total)).handle((x, error) -> {
            if (error != null) {
                statistics.result(mode, "failed");
                LOG.warn("Charging backend {} failed to stop session {}: {}", mode, cs.acctSessionId(), cause(error));
            }
            return null;
        });
    }

    /** Accounting-On/Off: the AP restarted, every session it had is over (RFC 2866 5.1). */
    private void stopAllOf(String nasIp, AccountingStatus status) {
        int n = 0;
        for (Map.Entry<String, ChargedSession> e : store.snapshot(ChargedSession.MAP, ChargedSession.class).entrySet()) {
            if (nasIp != null && nasIp.equals(e.getValue().session().nasIp())) {
                Usage last = e.getValue().usage();
                serially(e.getKey(), () -> stopped(e.getKey(), last, status.name()));
                n++;
            }
        }
        if (n > 0) {
            LOG.info("{} from AP {}: {} charged session(s) stopped", status, nasIp, n);
        }
    }

    /**
     * Stops sessions whose accounting never started or went silent (the AP lost the Stop); run periodically.
     *
     * @return how many were stopped
     */
    public int sweep() {
        ChargingSettings s = settings;
        long now = clock.getAsLong();
        long startLimit = s.startTimeout().toMillis();
        long staleLimit = s.staleSession().toMillis();
        // One decoded session at a time, keeping only those to stop: a copy of every charged session (tens of
        // thousands) once a minute lived long enough for the young collections to copy it. The stops run after the
        // scan, since forEach's action must not write to the store.
        List<Map.Entry<String, ChargedSession>> over = new ArrayList<>();
        store.forEach(ChargedSession.MAP, ChargedSession.class, (key, cs) -> {
            long limit = cs.acctSessionId() == null ? startLimit : staleLimit;
            if (now - cs.updatedAtMillis() > limit && !inFlight.containsKey(key)) {
                over.add(Map.entry(key, cs));
            }
        });
        for (Map.Entry<String, ChargedSession> e : over) {
            ChargedSession cs = e.getValue();
            serially(e.getKey(), () -> stopped(e.getKey(), cs.usage(),
                    cs.acctSessionId() == null ? "no accounting Start" : "no accounting"));
        }
        return over.size();
    }

    // ------------------------------------------------------------------ forced disconnection

    private CompletionStage<Void> disconnect(ChargedSession cs, String why) {
        if (cs == null) {
            return CompletableFuture.completedFuture(null);
        }
        String mode = cs.mode();
        DynamicAuthorizationClient client = das.get();
        if (client == null) {
            statistics.disconnect(mode, "no_das");
            LOG.warn("Session {} of IMSI {} must end ({}) but no RADIUS DAS client is running", cs.acctSessionId(),
                    cs.session().imsi(), why);
            return CompletableFuture.completedFuture(null);
        }
        List<RadiusAttribute> identify = new ArrayList<>(3);
        if (cs.userName() != null) {
            identify.add(RadiusAttribute.ofString(RadiusDictionary.USER_NAME, cs.userName()));
        }
        if (cs.acctSessionId() != null) {
            identify.add(RadiusAttribute.ofString(RadiusDictionary.ACCT_SESSION_ID, cs.acctSessionId()));
        }
        if (cs.session().callingStationId() != null) {
            identify.add(RadiusAttribute.ofString(RadiusDictionary.CALLING_STATION_ID, cs.session().callingStationId()));
        }
        LOG.info("Charging {}: disconnecting session {} of IMSI {} at AP {}: {} (used {} of {} octets)", mode,
                cs.acctSessionId(), cs.session().imsi(), cs.session().nasIp(), why, cs.usedOctets(),
                cs.allowanceOctets());
        return call(() -> client.disconnect(cs.session().nasIp(), identify)).handle((result, error) -> {
            String outcome = error != null ? "failed" : result.outcome().name().toLowerCase();
            statistics.disconnect(mode, outcome);
            if (error != null || !result.acknowledged()) {
                LOG.warn("Disconnect-Request for session {} at AP {}: {} ({}); retried at the next interim",
                        cs.acctSessionId(), cs.session().nasIp(), outcome,
                        error != null ? cause(error) : result.detail());
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ queries

    public List<ChargedSession> sessions(int limit) {
        List<ChargedSession> all = new ArrayList<>(store.snapshot(ChargedSession.MAP, ChargedSession.class).values());
        all.sort(Comparator.comparingLong(ChargedSession::updatedAtMillis).reversed());
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    public Set<String> availableModes() {
        return availableModes.get();
    }

    ChargingStatistics statistics() {
        return statistics;
    }

    public Map<String, Number> metrics() {
        Map<String, Number> v = new LinkedHashMap<>(statistics.values());
        Map<String, Integer> perMode = new HashMap<>();
        store.forEach(ChargedSession.MAP, ChargedSession.class, (k, cs) -> perMode.merge(cs.mode(), 1, Integer::sum));
        perMode.putIfAbsent(settings.mode(), 0);
        perMode.forEach((mode, n) -> v.put("charging_sessions_count{mode=\"" + mode + "\"}", n));
        v.put("charging_mode{mode=\"" + settings.mode() + "\"}", 1);
        return v;
    }

    public static Map<String, String> metricsHelp() {
        return ChargingStatistics.help();
    }

    // ------------------------------------------------------------------ helpers

    private ChargedSession seen(ChargedSession cs, AccountingRecord r) {
        Usage usage = r.usage() != null ? r.usage() : cs.usage();
        return new ChargedSession(cs.session(), cs.acctSessionId() != null ? cs.acctSessionId() : r.acctSessionId(),
                r.userName() != null ? r.userName() : cs.userName(), cs.startedAtMillis(), clock.getAsLong(),
                cs.allowanceOctets(), usage, cs.validUntilMillis(), cs.finalUnit());
    }

    private static boolean exhausted(ChargedSession cs) {
        return cs.allowanceOctets() != ChargingDecision.UNLIMITED && cs.usedOctets() >= cs.allowanceOctets();
    }

    private static long validUntil(long now, ChargingDecision d) {
        return d.validitySeconds() > 0 ? now + d.validitySeconds() * 1000 : 0;
    }

    private static ChargingSession copy(ChargingSession s) {
        // The backend works on its own copy; the record in the store changes only through put().
        return new ChargingSession(s.sessionId(), s.imsi(), s.nasIp(), s.calledStationId(), s.callingStationId(),
                s.backend(), new HashMap<>(s.backendState()));
    }

    private void put(ChargedSession cs) {
        // Refreshed on every record; the sweep ends it well before the store would forget it.
        Duration ttl = settings.staleSession().plus(settings.startTimeout()).plusHours(1);
        try {
            store.put(ChargedSession.MAP, cs.session().sessionId(), cs, ttl);
        } catch (IllegalStateException full) {
            LOG.warn("Charged session {} not recorded: {}", cs.session().sessionId(), full.getMessage());
        }
    }

    /** A backend call that throws instead of returning a stage becomes a failed stage. */
    private static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> call) {
        try {
            CompletionStage<T> stage = call.get();
            return stage != null ? stage : CompletableFuture.failedFuture(new NullPointerException("null stage"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static String cause(Throwable error) {
        if (error == null) {
            return "no decision";
        }
        return Futures.unwrap(error).toString();
    }
}
