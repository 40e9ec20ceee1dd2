package org.opentwag.charging.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingStatus;
import org.opentwag.api.charging.ChargedSession;
import org.opentwag.api.charging.ChargingBackend;
import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.charging.Usage;
import org.opentwag.api.metrics.CounterStore;
import org.opentwag.api.state.StateStore;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.server.DynamicAuthorizationClient;
import org.opentwag.radius.server.DynamicAuthorizationResult;
import org.opentwag.support.radius.LocalRadiusServerState;

/** The charging core with fake backends, a fake DAS client and a map as state store. */
class ChargingCoreTest {
    static final long MB = 1024 * 1024;
    static final String NAS = "10.7.15.72";
    static final String PHONE = "86-81-69-A7-B4-B2";

    /** A backend whose answers the test decides; records every call. */
    static final class FakeBackend implements ChargingBackend {
        final String mode;
        final List<String> calls = new CopyOnWriteArrayList<>();
        ChargingDecision onStart = new ChargingDecision(true, 10 * MB, 0, false, null);
        BiFunction<ChargingSession, Usage, CompletionStage<ChargingDecision>> onUpdate =
                (s, u) -> CompletableFuture.completedFuture(new ChargingDecision(true, 10 * MB, 0, false, null));
        final List<Usage> stops = new CopyOnWriteArrayList<>();

        FakeBackend(String mode) {
            this.mode = mode;
        }

        @Override
        public String mode() {
            return mode;
        }

        @Override
        public CompletionStage<ChargingDecision> start(ChargingSession session) {
            calls.add("start " + session.sessionId() + " as " + session.backend());
            session.backendState().put("ocs-session", "ocs;" + session.sessionId());
            return CompletableFuture.completedFuture(onStart);
        }

        @Override
        public CompletionStage<ChargingDecision> update(ChargingSession session, Usage used) {
            calls.add("update " + session.sessionId() + " " + used.totalOctets() + " state "
                    + session.backendState().get("ocs-session"));
            return onUpdate.apply(session, used);
        }

        @Override
        public CompletionStage<Void> stop(ChargingSession session, Usage total) {
            calls.add("stop " + session.sessionId() + " " + total.totalOctets());
            stops.add(total);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** A DAS that acknowledges and remembers. */
    static final class FakeDas implements DynamicAuthorizationClient {
        record Sent(String nasIp, List<RadiusAttribute> attributes) {
        }

        final List<Sent> disconnects = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<DynamicAuthorizationResult> disconnect(String nasIp, List<RadiusAttribute> attrs) {
            disconnects.add(new Sent(nasIp, attrs));
            return CompletableFuture.completedFuture(
                    new DynamicAuthorizationResult(DynamicAuthorizationResult.Outcome.ACK, List.of(), "ack"));
        }

        @Override
        public CompletionStage<DynamicAuthorizationResult> changeOfAuthorization(String nasIp, List<RadiusAttribute> a) {
            throw new UnsupportedOperationException();
        }
    }

    static final class MapStore implements StateStore {
        final Map<String, Map<String, Serializable>> maps = new ConcurrentHashMap<>();

        @Override
        public void put(String map, String key, Serializable value, Duration ttl) {
            maps.computeIfAbsent(map, m -> new ConcurrentHashMap<>()).put(key, value);
        }

        @Override
        public <V extends Serializable> V get(String map, String key, Class<V> type) {
            return type.cast(maps.getOrDefault(map, Map.of()).get(key));
        }

        @Override
        public <V extends Serializable> V remove(String map, String key, Class<V> type) {
            Map<String, Serializable> m = maps.get(map);
            return m == null ? null : type.cast(m.remove(key));
        }

        @Override
        public int size(String map) {
            return maps.getOrDefault(map, Map.of()).size();
        }

        @Override
        public <V extends Serializable> Map<String, V> snapshot(String map, Class<V> type) {
            Map<String, V> out = new HashMap<>();
            maps.getOrDefault(map, Map.of()).forEach((k, v) -> out.put(k, type.cast(v)));
            return out;
        }
    }

    private final MapStore store = new MapStore();
    private final FakeDas das = new FakeDas();
    private final Map<String, ChargingBackend> backends = new ConcurrentHashMap<>();
    private final FakeBackend online = new FakeBackend("online");
    private final FakeBackend disabled = new FakeBackend("disabled");
    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private ChargingCore core;

    @BeforeEach
    void setUp() {
        backends.put("online", online);
        backends.put("disabled", disabled);
        disabled.onStart = ChargingDecision.unlimited();
        core = new ChargingCore(store, backends::get, () -> Set.copyOf(backends.keySet()), () -> das, now::get,
                ChargingSettings.of("online"));
    }

    private ChargingDecision authorize(String token) {
        return authorize(token, PHONE);
    }

    private ChargingDecision authorize(String token, String phone) {
        return core.authorize(new ChargingSession(token, "001010000000001", NAS, "AA-BB-CC-DD-EE-FF:OpenTWAG", phone,
                null)).toCompletableFuture().join();
    }

    private AccountingRecord record(AccountingStatus status, String token, long in, long out) {
        return new AccountingRecord(status, now.get(), NAS, "ap1", token == null ? null : "acct-" + token,
                "0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org", "001010000000001", token,
                "AA-BB-CC-DD-EE-FF:OpenTWAG", PHONE, "10.0.0.9", new Usage(in, out, 0, 0, 60), 0);
    }

    private ChargedSession charged(String token) {
        return store.get(ChargedSession.MAP, token, ChargedSession.class);
    }

    @Test
    void authorizationPicksTheConfiguredBackendAndRemembersItsState() {
        ChargingDecision d = authorize("t1");
        assertThat(d.allowed()).isTrue();
        assertThat(online.calls).containsExactly("start t1 as online");
        ChargedSession cs = charged("t1");
        assertThat(cs.mode()).isEqualTo("online");
        assertThat(cs.allowanceOctets()).isEqualTo(10 * MB);
        assertThat(cs.session().backendState()).containsEntry("ocs-session", "ocs;t1");
        assertThat(core.statistics().get("charging_result_count{mode=\"online\",result=\"allowed\"}")).isEqualTo(1);
        assertThat(core.statistics().get("charging_quota_granted_octets{mode=\"online\"}")).isEqualTo(10 * MB);
    }

    /** A bundle:update of charging-core: the new bundle's core takes the counters on from the CounterStore. */
    @Test
    void countersKeptByTheCounterStoreContinueInTheNextCore() {
        CounterStore counters = new LocalRadiusServerState();
        core = new ChargingCore(store, backends::get, () -> Set.copyOf(backends.keySet()), () -> das, now::get,
                ChargingSettings.of("online"), counters);
        assertThat(core.statistics().kept()).isTrue();
        authorize("t1");
        online.onStart = ChargingDecision.refused("OCS answered DIAMETER_CREDIT_LIMIT_REACHED (4012)");
        authorize("t2", "00-00-00-00-00-02");

        ChargingCore updated = new ChargingCore(store, backends::get, () -> Set.copyOf(backends.keySet()),
                () -> das, now::get, ChargingSettings.of("online"), counters);
        // listed at once, before the new core counts anything
        assertThat(updated.metrics())
                .containsEntry("charging_result_count{mode=\"online\",result=\"allowed\"}", 1L)
                .containsEntry("charging_result_count{mode=\"online\",result=\"refused\"}", 1L)
                .containsEntry("charging_request_count{mode=\"online\",type=\"start\"}", 2L);
        online.onStart = new ChargingDecision(true, 10 * MB, 0, false, null);
        core = updated;
        authorize("t3", "00-00-00-00-00-03");
        assertThat(updated.statistics().get("charging_result_count{mode=\"online\",result=\"allowed\"}"))
                .isEqualTo(2);
        assertThat(updated.statistics().get("charging_quota_granted_octets{mode=\"online\"}")).isEqualTo(20 * MB);
    }

    @Test
    void refusalIsPassedOnAndNothingIsKept() {
        online.onStart = ChargingDecision.refused("OCS answered DIAMETER_CREDIT_LIMIT_REACHED (4012)");
        ChargingDecision d = authorize("t1");
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("4012");
        assertThat(store.size(ChargedSession.MAP)).isZero();
        assertThat(core.statistics().get("charging_result_count{mode=\"online\",result=\"refused\"}")).isEqualTo(1);
    }

    @Test
    void interimsReachTheBackendWithCumulativeUsageAndMoveTheAllowance() {
        authorize("t1");
        core.recorded(record(AccountingStatus.START, "t1", 0, 0));
        assertThat(charged("t1").acctSessionId()).isEqualTo("acct-t1");
        core.recorded(record(AccountingStatus.INTERIM, "t1", 2 * MB, 6 * MB));
        core.recorded(record(AccountingStatus.INTERIM, "t1", 3 * MB, 15 * MB));
        assertThat(online.calls).containsExactly("start t1 as online", "update t1 " + 8 * MB + " state ocs;t1",
                "update t1 " + 18 * MB + " state ocs;t1");
        ChargedSession cs = charged("t1");
        assertThat(cs.usedOctets()).isEqualTo(18 * MB);
        assertThat(cs.allowanceOctets()).as("used + granted from now on").isEqualTo(28 * MB);
        assertThat(cs.leftOctets()).isEqualTo(10 * MB);
        assertThat(das.disconnects).isEmpty();
        assertThat(core.statistics().get("charging_quota_used_octets{mode=\"online\"}")).isEqualTo(18 * MB);
    }

    @Test
    void finalUnitsUsedMeanADisconnectRequestToTheAccessPoint() {
        online.onStart = new ChargingDecision(true, 5 * MB, 0, true, null);
        online.onUpdate = (s, u) -> CompletableFuture.completedFuture(
                new ChargingDecision(true, Math.max(0, 5 * MB - u.totalOctets()), 0, true, null));
        authorize("t1");
        core.recorded(record(AccountingStatus.START, "t1", 0, 0));
        core.recorded(record(AccountingStatus.INTERIM, "t1", MB, 2 * MB));
        assertThat(das.disconnects).isEmpty();
        core.recorded(record(AccountingStatus.INTERIM, "t1", MB, 4 * MB));
        assertThat(das.disconnects).hasSize(1);
        FakeDas.Sent sent = das.disconnects.get(0);
        assertThat(sent.nasIp()).isEqualTo(NAS);
        // RFC 2865/2866 attribute types: User-Name 1, Calling-Station-Id 31, Acct-Session-Id 44.
        Map<Integer, String> attrs = new HashMap<>();
        for (RadiusAttribute a : sent.attributes()) {
            attrs.put(a.type(), a.asString());
        }
        assertThat(attrs).containsEntry(1, "0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org")
                .containsEntry(44, "acct-t1").containsEntry(31, PHONE);
        assertThat(core.statistics().get("charging_forced_disconnect_count{mode=\"online\",result=\"ack\"}"))
                .isEqualTo(1);
        // Once used up, the next interim does not ask the backend again: it disconnects again.
        int calls = online.calls.size();
        core.recorded(record(AccountingStatus.INTERIM, "t1", MB, 5 * MB));
        assertThat(online.calls).hasSize(calls);
        assertThat(das.disconnects).hasSize(2);
        core.recorded(record(AccountingStatus.STOP, "t1", MB, 5 * MB));
        assertThat(online.stops).containsExactly(new Usage(MB, 5 * MB, 0, 0, 60));
        assertThat(store.size(ChargedSession.MAP)).isZero();
    }

    @Test
    void refusalAtUpdateDisconnects() {
        online.onUpdate = (s, u) -> CompletableFuture.completedFuture(
                ChargingDecision.refused("OCS answered DIAMETER_CREDIT_LIMIT_REACHED (4012)"));
        authorize("t1");
        core.recorded(record(AccountingStatus.START, "t1", 0, 0));
        core.recorded(record(AccountingStatus.INTERIM, "t1", 0, 9 * MB));
        assertThat(das.disconnects).hasSize(1);
        assertThat(core.statistics().get("charging_result_count{mode=\"online\",result=\"refused\"}")).isEqualTo(1);
    }

    @Test
    void ocsTimeoutAtUpdateFollowsWhatTheBackendsFailureHandlingDecided() {
        // TERMINATE: the Gy backend answers "refused" -> the core cuts the session.
        online.onUpdate = (s, u) -> CompletableFuture.completedFuture(ChargingDecision.refused("OCS unavailable (timeout)"));
        authorize("terminate");
        core.recorded(record(AccountingStatus.INTERIM, "terminate", 0, 9 * MB));
        assertThat(das.disconnects).hasSize(1);

        // CONTINUE: allowed with a local chunk -> the session goes on.
        online.onUpdate = (s, u) -> CompletableFuture.completedFuture(
                new ChargingDecision(true, 11 * MB, 0, false, null));
        authorize("continue");
        core.recorded(record(AccountingStatus.INTERIM, "continue", 0, 9 * MB));
        assertThat(das.disconnects).hasSize(1);
        assertThat(charged("continue").allowanceOctets()).isEqualTo(20 * MB);

        // A backend whose stage fails outright (a bug, not a verdict): nothing is cut, the usage is kept.
        online.onUpdate = (s, u) -> CompletableFuture.failedFuture(new IllegalStateException("Tx expired"));
        authorize("broken");
        core.recorded(record(AccountingStatus.INTERIM, "broken", 0, 9 * MB));
        assertThat(das.disconnects).hasSize(1);
        assertThat(charged("broken").usedOctets()).isEqualTo(9 * MB);
        assertThat(core.statistics().get("charging_result_count{mode=\"online\",result=\"failed\"}")).isEqualTo(1);
    }

    @Test
    void modeSwitchKeepsRunningSessionsOnTheirBackend() {
        authorize("old");
        core.settings(core.settings().withMode("disabled"));
        ChargingDecision d = authorize("new", "second-phone");
        assertThat(d.grantedOctets()).isEqualTo(ChargingDecision.UNLIMITED);
        assertThat(charged("new").mode()).isEqualTo("disabled");
        core.recorded(record(AccountingStatus.INTERIM, "old", 0, MB));
        core.recorded(record(AccountingStatus.INTERIM, "new", 0, MB));
        core.recorded(record(AccountingStatus.STOP, "old", 0, 2 * MB));
        assertThat(online.calls).containsExactly("start old as online", "update old " + MB + " state ocs;old",
                "stop old " + 2 * MB);
        assertThat(disabled.calls).containsExactly("start new as disabled", "update new " + MB + " state ocs;new");
        assertThat(core.metrics()).containsEntry("charging_sessions_count{mode=\"disabled\"}", 1)
                .containsEntry("charging_mode{mode=\"disabled\"}", 1);
    }

    @Test
    void missingBackendRefusesByDefaultAndAllowsWhenConfigured() {
        backends.remove("online");
        ChargingDecision refused = authorize("t1");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reason()).contains("online");
        core.settings(core.settings().withAllowWithoutBackend(true));
        ChargingDecision allowed = authorize("t2");
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.grantedOctets()).isEqualTo(ChargingDecision.UNLIMITED);
        assertThat(store.size(ChargedSession.MAP)).as("an uncharged session is not tracked").isZero();
        assertThat(core.statistics().get("charging_result_count{mode=\"online\",result=\"no_backend\"}")).isEqualTo(2);
    }

    @Test
    void anAuthorizationDuringTheBackendsUpdateWaitsForIt() throws Exception {
        assertThat(authorize("t1").allowed()).isTrue();
        backends.remove("online"); // bundle:update of the Gy plugin: gone for a moment ...
        CompletableFuture<ChargingDecision> waiting = core.authorize(new ChargingSession("t2", "001010000000001", NAS,
                "AA-BB-CC-DD-EE-FF:OpenTWAG", PHONE, null)).toCompletableFuture();
        Thread.sleep(200);
        assertThat(waiting).isNotDone();
        backends.put("online", online); // ... and back
        assertThat(waiting.get(5, java.util.concurrent.TimeUnit.SECONDS).allowed()).isTrue();
        assertThat(online.calls).contains("start t2 as online");
    }

    @Test
    void theEndOfASessionDuringTheBackendsUpdateWaitsForIt() throws Exception {
        authorize("t1");
        backends.remove("online"); // bundle:update of the Gy plugin: gone for a moment ...
        core.recorded(record(AccountingStatus.STOP, "t1", 0, 3 * MB));
        Thread.sleep(200);
        assertThat(List.copyOf(online.calls)).noneMatch(c -> c.startsWith("stop t1"));
        backends.put("online", online); // ... and back: the Stop reaches the OCS
        long deadline = System.currentTimeMillis() + 5_000;
        while (List.copyOf(online.calls).stream().noneMatch(c -> c.startsWith("stop t1"))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(List.copyOf(online.calls)).contains("stop t1 " + 3 * MB);
        assertThat(core.statistics().get("charging_result_count{mode=\"online\",result=\"no_backend\"}")).isZero();
    }

    @Test
    void backendGoneMidSessionKeepsTheSessionUntilItIsBack() {
        authorize("t1");
        backends.remove("online");
        core.recorded(record(AccountingStatus.INTERIM, "t1", 0, 4 * MB));
        assertThat(das.disconnects).isEmpty();
        assertThat(charged("t1").usedOctets()).isEqualTo(4 * MB);
        backends.put("online", online);
        core.recorded(record(AccountingStatus.INTERIM, "t1", 0, 5 * MB));
        assertThat(online.calls).contains("update t1 " + 5 * MB + " state ocs;t1");
    }

    @Test
    void accountingOnStopsEverySessionOfThatAccessPointOnly() {
        authorize("a");
        authorize("b", "second-phone");
        core.authorize(new ChargingSession("elsewhere", "001010000000002", "10.9.9.9", null, null, null))
                .toCompletableFuture().join();
        core.recorded(record(AccountingStatus.INTERIM, "a", MB, MB));
        core.recorded(new AccountingRecord(AccountingStatus.ACCOUNTING_ON, now.get(), NAS, "ap1", null, null, null,
                null, null, null, null, Usage.NONE, 0));
        assertThat(online.calls).contains("stop a " + 2 * MB, "stop b 0");
        assertThat(online.calls).noneMatch(c -> c.startsWith("stop elsewhere"));
        assertThat(store.snapshot(ChargedSession.MAP, ChargedSession.class)).containsOnlyKeys("elsewhere");
    }

    @Test
    void interimsOfOneSessionReachTheBackendOneAtATime() {
        CompletableFuture<ChargingDecision> slow = new CompletableFuture<>();
        List<Long> seen = new ArrayList<>();
        online.onUpdate = (s, u) -> {
            seen.add(u.totalOctets());
            return seen.size() == 1 ? slow : CompletableFuture.completedFuture(
                    new ChargingDecision(true, 10 * MB, 0, false, null));
        };
        authorize("t1");
        core.recorded(record(AccountingStatus.INTERIM, "t1", 0, MB));
        core.recorded(record(AccountingStatus.INTERIM, "t1", 0, 2 * MB));
        assertThat(seen).as("the second waits for the first answer").containsExactly(MB);
        slow.complete(new ChargingDecision(true, 10 * MB, 0, false, null));
        assertThat(seen).containsExactly(MB, 2 * MB);
    }

    @Test
    void recordsOfUnknownSessionsAreCountedNotCharged() {
        core.recorded(record(AccountingStatus.INTERIM, "never-authorized", 0, MB));
        core.recorded(record(AccountingStatus.INTERIM, null, 0, MB));
        assertThat(online.calls).isEmpty();
        assertThat(core.statistics().get("charging_unmatched_record_count{status=\"interim\"}")).isEqualTo(2);
    }

    @Test
    void sweepStopsAuthorizationsThatNeverStartedAndSilentSessions() {
        authorize("never-started");
        authorize("silent", "second-phone");
        core.recorded(record(AccountingStatus.START, "silent", 0, 0));
        core.recorded(record(AccountingStatus.INTERIM, "silent", 0, 3 * MB));
        now.addAndGet(Duration.ofMinutes(6).toMillis());
        assertThat(core.sweep()).isEqualTo(1);
        assertThat(online.calls).contains("stop never-started 0");
        now.addAndGet(Duration.ofDays(1).toMillis());
        assertThat(core.sweep()).isEqualTo(1);
        assertThat(online.calls).contains("stop silent " + 3 * MB);
        assertThat(store.size(ChargedSession.MAP)).isZero();
    }

    @Test
    void aNewAuthorizationOfThePhoneAtTheApEndsTheOneWhoseAccountingNeverStarted() {
        authorize("first");
        authorize("second");
        assertThat(online.calls).containsExactly("start first as online", "start second as online", "stop first 0");
        assertThat(charged("first")).isNull();
        assertThat(core.statistics().get("charging_result_count{mode=\"online\",result=\"superseded\"}")).isEqualTo(1);

        // Once its accounting started, a session is running: a later authorization leaves it alone.
        core.recorded(record(AccountingStatus.START, "second", 0, 0));
        authorize("third");
        assertThat(online.calls).doesNotContain("stop second 0");
        assertThat(charged("second")).isNotNull();

        // Another phone at the same AP is another session.
        authorize("other", "second-phone");
        assertThat(charged("third")).isNotNull();
        assertThat(charged("other")).isNotNull();
    }

    @Test
    void aReauthorizationFromTheServerReachesTheBackendWithTheLastUsageAndAppliesItsDecision() {
        authorize("t1");
        core.recorded(record(AccountingStatus.START, "t1", 0, 0));
        core.recorded(record(AccountingStatus.INTERIM, "t1", MB, 2 * MB));
        online.onUpdate = (s, u) -> CompletableFuture.completedFuture(
                ChargingDecision.refused("OCS answered DIAMETER_CREDIT_LIMIT_REACHED (4012)"));
        assertThat(core.reauthorize("t1", "Re-Auth-Request")).isTrue();
        assertThat(online.calls).last().isEqualTo("update t1 " + 3 * MB + " state ocs;t1");
        assertThat(das.disconnects).as("refused on re-authorisation: disconnected").hasSize(1);
        assertThat(core.reauthorize("nope", "Re-Auth-Request")).isFalse();
    }

    @Test
    void anAbortFromTheServerDisconnectsAndTheStopStillReachesTheBackend() {
        authorize("t1");
        core.recorded(record(AccountingStatus.START, "t1", 0, 0));
        assertThat(core.abort("t1", "Abort-Session-Request")).isTrue();
        assertThat(das.disconnects).hasSize(1);
        core.recorded(record(AccountingStatus.STOP, "t1", MB, MB));
        assertThat(online.stops).containsExactly(new Usage(MB, MB, 0, 0, 60));
        assertThat(core.abort("t1", "Abort-Session-Request")).as("ended").isFalse();
    }

    @Test
    void aGrantWhoseValidityRunsOutIsReauthorisedWithoutWaitingForAnInterim() throws Exception {
        java.util.concurrent.ScheduledExecutorService timers = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor();
        try {
            core.validityTimers(timers);
            // 1 s validity on the first grant, none on the next
            online.onStart = new ChargingDecision(true, 10 * MB, 1, false, null);
            authorize("t1");
            core.recorded(record(AccountingStatus.START, "t1", 0, 0));
            int before = online.calls.size();
            now.addAndGet(1_000);
            long deadline = System.currentTimeMillis() + 5_000;
            while (online.calls.size() == before && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            // no interim came: the timer asked, with the usage known so far
            assertThat(online.calls).hasSize(before + 1);
            assertThat(online.calls).last().isEqualTo("update t1 0 state ocs;t1");
            assertThat(charged("t1").validUntilMillis()).as("the new grant has no validity").isZero();
        } finally {
            timers.shutdownNow();
        }
    }
    @Test
    void aGrantThatOutlastsTheStartTimeoutArmsItsTimerAtTheStartNotAtTheAuthorization() {
        java.util.concurrent.ScheduledThreadPoolExecutor timers = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
        timers.setRemoveOnCancelPolicy(true);
        try {
            core.validityTimers(timers);
            // an hour's validity, beyond the start timeout and two sweeps: the sweep ends the session first if no
            // Start comes, so an authorization alone arms nothing
            online.onStart = new ChargingDecision(true, 10 * MB, 3600, false, null);
            authorize("t1");
            assertThat(timers.getQueue()).as("no timer before accounting starts").isEmpty();
            authorize("t2", "+100");
            assertThat(timers.getQueue()).isEmpty();
            core.recorded(record(AccountingStatus.START, "t1", 0, 0));
            assertThat(timers.getQueue()).as("armed at the Start").hasSize(1);
            core.recorded(record(AccountingStatus.STOP, "t1", MB, MB));
            assertThat(timers.getQueue()).as("cancelled at the Stop").isEmpty();

            // a validity shorter than the start timeout is armed at once, Start or not
            online.onStart = new ChargingDecision(true, 10 * MB, 30, false, null);
            authorize("t3", "+200");
            assertThat(timers.getQueue()).hasSize(1);
        } finally {
            timers.shutdownNow();
        }
    }
}
