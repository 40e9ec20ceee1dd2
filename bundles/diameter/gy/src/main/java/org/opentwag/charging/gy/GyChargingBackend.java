package org.opentwag.charging.gy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import org.opentwag.api.charging.ChargingBackend;
import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.charging.Usage;
import org.opentwag.diameter.codec.CreditControlAnswer;
import org.opentwag.diameter.codec.CreditControlApplication.CcRequestType;
import org.opentwag.diameter.codec.CreditControlApplication.ReportingReason;
import org.opentwag.diameter.codec.CreditControlRequest;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.codec.ServiceCredit;
import org.opentwag.diameter.codec.ServiceUnits;
import org.opentwag.diameter.stack.DiameterRequestException;
import org.opentwag.diameter.stack.DiameterService;
import org.opentwag.diameter.stack.RequestOptions;
import org.opentwag.support.async.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online charging over Diameter Gy (RFC 4006, TS 32.299), in one of two modes:
 * <ul>
 *   <li>{@code online}: CCR-I asks a chunk; each interim's usage is compared with the grant and a CCR-U reports the
 *       unreported usage and asks the next chunk once {@code updateThresholdPercent} of the grant is used (or the
 *       OCS's Volume-Quota-Threshold is reached, the grant is used up, or its Validity-Time has passed); after a
 *       Final-Unit-Indication no CCR-U is sent and the core disconnects when the grant is used; CCR-T reports the
 *       rest.</li>
 *   <li>{@code authorization-only}: CCR-I (refused: no access), no CCR-U, CCR-T with the final usage.</li>
 * </ul>
 * Everything a session needs between two calls lives in {@link ChargingSession#backendState()} under the keys
 * below, so this object holds no per-session state and can be replaced while sessions run.
 */
public final class GyChargingBackend implements ChargingBackend {

    public static final String MODE_ONLINE = "online";
    public static final String MODE_AUTHORIZATION_ONLY = "authorization-only";

    // backendState keys
    static final String SESSION_ID = "gy.session-id";
    static final String REQUEST_NUMBER = "gy.request-number";
    static final String GRANTED = "gy.granted-octets";
    static final String REPORTED_IN = "gy.reported-input-octets";
    static final String REPORTED_OUT = "gy.reported-output-octets";
    static final String VALID_UNTIL = "gy.valid-until-millis";
    static final String FINAL_UNIT = "gy.final-unit";
    static final String THRESHOLD = "gy.volume-quota-threshold";
    static final String FAILURE_HANDLING = "gy.failure-handling";
    /** CCR-I failed and failure handling said CONTINUE: the session runs without credit control. */
    static final String WITHOUT_OCS = "gy.without-ocs";
    /**
     * Origin-Host and Origin-Realm of the OCS that answered the CCR-I: the session's CCR-U and CCR-T go there
     * (Destination-Host, RFC 4006 5.3 and 5.4), not to whichever OCS of the configured realm the stack picks, since
     * only that server holds the session's reservation. If it is down, the stack falls back to the realm.
     */
    static final String OCS_HOST = "gy.ocs-host";
    static final String OCS_REALM = "gy.ocs-realm";

    private static final Logger LOG = LoggerFactory.getLogger(GyChargingBackend.class);

    private final DiameterService diameter;
    private final GySettings settings;
    private final boolean online;
    private final String mode;
    private final GyStatistics statistics;
    private final LongSupplier clock;
    private final GySessions sessions;
    /** How long each CCR stays pending (see {@link #ANSWER_WAIT}); settings do not change for a backend. */
    private final java.time.Duration answerWait;

    public GyChargingBackend(DiameterService diameter, GySettings settings, boolean online, GyStatistics statistics,
                             LongSupplier clock) {
        this(diameter, settings, online, statistics, clock, null);
    }

    /** @param sessions where Gy Session-Ids are indexed for the OCS's RAR and ASR; null: not indexed */
    public GyChargingBackend(DiameterService diameter, GySettings settings, boolean online, GyStatistics statistics,
                             LongSupplier clock, GySessions sessions) {
        this.sessions = sessions;
        this.diameter = diameter;
        this.settings = settings;
        this.online = online;
        this.mode = online ? MODE_ONLINE : MODE_AUTHORIZATION_ONLY;
        this.statistics = statistics;
        this.clock = clock;
        this.answerWait = answerWait(settings);
    }

    @Override
    public String mode() {
        return mode;
    }

    public GySettings settings() {
        return settings;
    }

    // ------------------------------------------------------------------ CCR-I

    @Override
    public CompletionStage<ChargingDecision> start(ChargingSession session) {
        Map<String, String> state = session.backendState();
        String gySession = diameter.newSessionId();
        state.put(SESSION_ID, gySession);
        state.put(REQUEST_NUMBER, "0");
        state.put(FAILURE_HANDLING, settings.failureHandling().name());
        CreditControlRequest ccr = request(state, session.imsi(), CcRequestType.INITIAL_REQUEST, 0,
                ServiceCredit.request(settings.ratingGroup(), settings.serviceIdentifier(),
                        ServiceUnits.total(settings.chunkOctets()), null, ServiceCredit.ABSENT));
        return exchange(ccr, state, "initial").thenApply(outcome -> {
            if (outcome.failure() != null) {
                return initialFailed(session, outcome.failure());
            }
            CreditControlAnswer cca = outcome.answer();
            if (cca.failureHandling() != ServiceCredit.ABSENT) {
                state.put(FAILURE_HANDLING, FailureHandling.of(cca.failureHandling()).name());
            }
            long refused = refusal(cca);
            if (refused != 0) {
                LOG.info("Gy {}: CCR-I {} for IMSI {} refused by the OCS: {}", mode, gySession, session.imsi(),
                        describe(refused));
                // The OCS closed its side on a failed CCR-I (RFC 4006 5.2): no CCR-T follows.
                state.remove(SESSION_ID);
                return ChargingDecision.refused("OCS answered " + describe(refused));
            }
            if (outcome.originHost() != null && outcome.originRealm() != null) {
                state.put(OCS_HOST, outcome.originHost());
                state.put(OCS_REALM, outcome.originRealm());
            }
            if (sessions != null) {
                sessions.opened(gySession, session.sessionId());
            }
            if (!online) {
                return ChargingDecision.unlimited();
            }
            return granted(state, cca, 0);
        });
    }

    private ChargingDecision initialFailed(ChargingSession session, Throwable failure) {
        Map<String, String> state = session.backendState();
        FailureHandling handling = failureHandling(state);
        statistics.failureHandled(mode, handling, "initial");
        state.remove(SESSION_ID);
        if (handling == FailureHandling.CONTINUE) {
            LOG.warn("Gy {}: no CCA for IMSI {} ({}); failure handling CONTINUE: session runs without credit control",
                    mode, session.imsi(), reason(failure));
            state.put(WITHOUT_OCS, "true");
            return ChargingDecision.unlimited();
        }
        LOG.warn("Gy {}: no CCA for IMSI {} ({}); failure handling {}: refused", mode, session.imsi(),
                reason(failure), handling);
        return ChargingDecision.refused("OCS unavailable (" + reason(failure) + ")");
    }

    // ------------------------------------------------------------------ CCR-U

    @Override
    public CompletionStage<ChargingDecision> update(ChargingSession session, Usage used) {
        Map<String, String> state = session.backendState();
        if (!online || state.containsKey(WITHOUT_OCS) || !state.containsKey(SESSION_ID)) {
            return CompletableFuture.completedFuture(ChargingDecision.unlimited());
        }
        long now = clock.getAsLong();
        long grant = number(state, GRANTED);
        long unreportedIn = Math.max(0, used.inputOctets() - number(state, REPORTED_IN));
        long unreportedOut = Math.max(0, used.outputOctets() - number(state, REPORTED_OUT));
        long unreported = unreportedIn + unreportedOut;
        long remaining = Math.max(0, grant - unreported);
        long validUntil = number(state, VALID_UNTIL);
        long validitySeconds = validUntil == 0 ? 0 : Math.max(0, (validUntil - now + 999) / 1000);
        boolean finalUnit = Boolean.parseBoolean(state.get(FINAL_UNIT));
        if (finalUnit) {
            // RFC 4006 5.6: after the final units the client does not ask again; the core disconnects when used.
            return CompletableFuture.completedFuture(
                    new ChargingDecision(true, remaining, validitySeconds, true, null));
        }
        int reason = reportingReason(state, grant, unreported, remaining, validUntil, now);
        if (reason == ServiceCredit.ABSENT) {
            return CompletableFuture.completedFuture(
                    new ChargingDecision(true, remaining, validitySeconds, false, null));
        }
        return sendUpdate(session, unreportedIn, unreportedOut, reason);
    }

    /**
     * The OCS sent a Re-Auth-Request (RFC 4006 5.5): a CCR-U now, with the usage not reported yet and Reporting-Reason
     * FORCED_REAUTHORISATION, even after a Final-Unit-Indication (a top-up is how the OCS lifts it, RFC 4006 5.6.2).
     */
    @Override
    public CompletionStage<ChargingDecision> reauthorize(ChargingSession session, Usage used) {
        Map<String, String> state = session.backendState();
        if (state.containsKey(WITHOUT_OCS) || !state.containsKey(SESSION_ID)) {
            return CompletableFuture.completedFuture(ChargingDecision.unlimited());
        }
        if (!online) {
            // Authorization-only keeps no grant: nothing to re-authorise between CCR-I and CCR-T.
            return CompletableFuture.completedFuture(ChargingDecision.unlimited());
        }
        long unreportedIn = Math.max(0, used.inputOctets() - number(state, REPORTED_IN));
        long unreportedOut = Math.max(0, used.outputOctets() - number(state, REPORTED_OUT));
        return sendUpdate(session, unreportedIn, unreportedOut, ReportingReason.FORCED_REAUTHORISATION);
    }

    private CompletionStage<ChargingDecision> sendUpdate(ChargingSession session, long unreportedIn,
                                                         long unreportedOut, int reason) {
        Map<String, String> state = session.backendState();
        long unreported = unreportedIn + unreportedOut;
        long number = number(state, REQUEST_NUMBER) + 1;
        state.put(REQUEST_NUMBER, Long.toString(number));
        CreditControlRequest ccr = request(state, session.imsi(), CcRequestType.UPDATE_REQUEST, number,
                ServiceCredit.request(settings.ratingGroup(), settings.serviceIdentifier(),
                        ServiceUnits.total(settings.chunkOctets()), ServiceUnits.used(unreportedIn, unreportedOut),
                        reason));
        return exchange(ccr, state, "update").thenApply(outcome -> {
            if (outcome.failure() != null) {
                if (outcome.maybeDelivered()) {
                    // The OCS may have received and rated this CCR-U: its usage must not come again as new usage in
                    // a later CCR-U or the CCR-T (a new CC-Request-Number the OCS cannot tell from new usage). Only
                    // its own retransmission (T flag, same numbers) may repeat it (RFC 4006 5.7, RFC 6733 6.1.3).
                    state.put(REPORTED_IN, Long.toString(number(state, REPORTED_IN) + unreportedIn));
                    state.put(REPORTED_OUT, Long.toString(number(state, REPORTED_OUT) + unreportedOut));
                    statistics.inDoubt(mode, unreported);
                    return updateFailed(session, outcome.failure(), unreported, true);
                }
                return updateFailed(session, outcome.failure(), unreported, false);
            }
            CreditControlAnswer cca = outcome.answer();
            // The OCS has the usage now, whatever it grants next.
            state.put(REPORTED_IN, Long.toString(number(state, REPORTED_IN) + unreportedIn));
            state.put(REPORTED_OUT, Long.toString(number(state, REPORTED_OUT) + unreportedOut));
            long refused = refusal(cca);
            if (refused != 0) {
                LOG.info("Gy online: CCR-U {} for IMSI {} refused by the OCS: {}", state.get(SESSION_ID),
                        session.imsi(), describe(refused));
                state.put(GRANTED, "0");
                return ChargingDecision.refused("OCS answered " + describe(refused));
            }
            return granted(state, cca, 0);
        });
    }

    /** Why to send a CCR-U now (TS 32.299 Reporting-Reason), or ABSENT for not yet. */
    private int reportingReason(Map<String, String> state, long grant, long unreported, long remaining,
                                long validUntil, long now) {
        if (unreported >= grant) {
            return ReportingReason.QUOTA_EXHAUSTED;
        }
        long threshold = number(state, THRESHOLD);
        boolean thresholdReached = state.containsKey(THRESHOLD)
                ? remaining <= threshold
                : unreported * 100 >= grant * settings.updateThresholdPercent();
        if (thresholdReached) {
            return ReportingReason.THRESHOLD;
        }
        if (validUntil > 0 && now >= validUntil) {
            return ReportingReason.VALIDITY_TIME;
        }
        return ServiceCredit.ABSENT;
    }

    /**
     * @param booked the CCR-U's usage now counts as reported (it may have reached the OCS); otherwise it stays
     *               unreported and goes with the next CCR-U that gets through, or the CCR-T
     */
    private ChargingDecision updateFailed(ChargingSession session, Throwable failure, long unreported,
                                          boolean booked) {
        Map<String, String> state = session.backendState();
        FailureHandling handling = failureHandling(state);
        statistics.failureHandled(mode, handling, "update");
        if (handling == FailureHandling.CONTINUE) {
            // One more local chunk. GRANTED counts from the reported usage: when the CCR-U's usage was booked as
            // reported, what it used of the grant is gone from it.
            long grant = number(state, GRANTED) + settings.chunkOctets() - (booked ? unreported : 0);
            state.put(GRANTED, Long.toString(Math.max(0, grant)));
            LOG.warn("Gy online: CCR-U {} for IMSI {} got no answer ({}){}; failure handling CONTINUE: one more chunk "
                    + "granted locally", state.get(SESSION_ID), session.imsi(), reason(failure), doubt(booked, unreported));
            return new ChargingDecision(true, Math.max(0, booked ? grant : grant - unreported), 0, false, null);
        }
        LOG.warn("Gy online: CCR-U {} for IMSI {} got no answer ({}){}; failure handling {}: session ends",
                state.get(SESSION_ID), session.imsi(), reason(failure), doubt(booked, unreported), handling);
        return ChargingDecision.refused("OCS unavailable (" + reason(failure) + ")");
    }

    private static String doubt(boolean booked, long octets) {
        return booked ? "; its " + octets + " used octets may have reached the OCS: counted as reported, not sent again"
                : "; it did not reach the OCS: its " + octets + " used octets go with the next request";
    }

    // ------------------------------------------------------------------ CCR-T

    @Override
    public CompletionStage<Void> stop(ChargingSession session, Usage total) {
        Map<String, String> state = session.backendState();
        if (!state.containsKey(SESSION_ID) || state.containsKey(WITHOUT_OCS)) {
            return CompletableFuture.completedFuture(null);
        }
        long in = Math.max(0, total.inputOctets() - number(state, REPORTED_IN));
        long out = Math.max(0, total.outputOctets() - number(state, REPORTED_OUT));
        long number = number(state, REQUEST_NUMBER) + 1;
        state.put(REQUEST_NUMBER, Long.toString(number));
        CreditControlRequest ccr = request(state, session.imsi(), CcRequestType.TERMINATION_REQUEST, number,
                ServiceCredit.request(settings.ratingGroup(), settings.serviceIdentifier(), null,
                        ServiceUnits.used(in, out), ReportingReason.FINAL));
        return exchange(ccr, state, "termination").thenApply(outcome -> {
            state.remove(SESSION_ID);
            if (sessions != null) {
                sessions.closed(ccr.sessionId());
            }
            if (outcome.failure() != null) {
                LOG.warn("Gy {}: CCR-T {} for IMSI {} got no answer ({}); {} used octets {}", mode,
                        ccr.sessionId(), session.imsi(), reason(outcome.failure()), in + out,
                        outcome.maybeDelivered() ? "may have reached the OCS" : "not reported");
                throw new CompletionException(outcome.failure());
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("Gy {}: CCR-T {} for IMSI {}: {}", mode, ccr.sessionId(), session.imsi(),
                        describe(outcome.answer().resultCode()));
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ shared

    private CreditControlRequest request(Map<String, String> state, String imsi, int type, long number,
                                         ServiceCredit credit) {
        // Our Session-Id is pinned to the OCS that answered its CCR-I; a new session asks the configured route.
        String realm = state.getOrDefault(OCS_REALM, settings.destinationRealm());
        String host = state.containsKey(OCS_REALM) ? state.get(OCS_HOST) : settings.destinationHost();
        return new CreditControlRequest(state.get(SESSION_ID), realm, host,
                settings.serviceContextId(), type, number, imsi, Instant.ofEpochMilli(clock.getAsLong()),
                type == CcRequestType.TERMINATION_REQUEST ? CreditControlRequest.TERMINATION_CAUSE_LOGOUT
                        : ServiceCredit.ABSENT,
                List.of(credit));
    }

    /**
     * A CCA, or why none came (after the one retry RETRY_AND_TERMINATE allows). {@code maybeDelivered}: a request of
     * the exchange left this node and got no answer in time (Tx expired, or its peer went down with it pending), so
     * the OCS may have received and rated it; false when none could have (no route, dropped here by DOIC, a 3xxx
     * answer: the OCS did not process it).
     */
    private record Outcome(CreditControlAnswer answer, Throwable failure, String originHost, String originRealm,
                           boolean maybeDelivered) {
        Outcome(Throwable failure, boolean maybeDelivered) {
            this(null, failure, null, null, maybeDelivered);
        }
    }

    /** An answer as the stack read it: before Tx expired or not, and when. */
    private record Receipt(boolean inTime, long nanos) {
    }

    /** Tx expired with the request pending: the failure failure handling acts on (RFC 4006 5.7, 13). */
    static final class TxExpired extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TxExpired(long millis) {
            super("no CCA within Tx (" + millis + " ms)", null, false, false);
        }
    }

    private CompletionStage<Outcome> exchange(CreditControlRequest ccr, Map<String, String> state, String type) {
        // Our own end-to-end id, so a retransmission (T flag) is recognisably the same request (RFC 6733 6.1.3).
        // withIdentifiers shares the AVP list (toBuilder().endToEnd(..).build() copied it twice).
        DiameterMessage message = ccr.toMessage().withIdentifiers(0, ThreadLocalRandom.current().nextInt() | 1);
        Runnable over = null;
        if (type.equals("update") && sessions != null) {
            // PendingU before the CCR-U can reach the OCS, so that an RAR it sends on receiving it finds it.
            String id = ccr.sessionId();
            sessions.updateSent(id);
            over = () -> sessions.updateOver(id);
        }
        Exchange x = new Exchange(ccr, type, failureHandling(state) == FailureHandling.RETRY_AND_TERMINATE,
                state.containsKey(OCS_HOST), over);
        x.attempt(message, 1);
        return x.decided;
    }

    /**
     * One CCR and its retransmission: decided by the first CCA of either, or by failure handling once Tx has expired
     * (after the second Tx for RETRY_AND_TERMINATE). Tx is not the request's lifetime: the stack keeps the request
     * pending for {@link #ANSWER_WAIT} so that an answer coming after Tx is recognised (RFC 4006 5.7: "wait for the
     * possible late answer until the timeout of the request"), counted and logged; what the CCR reported stays as
     * decided at Tx (see {@link #sendUpdate}).
     */
    private final class Exchange {
        final CompletableFuture<Outcome> decided = new CompletableFuture<>();
        private final CreditControlRequest ccr;
        private final String type;
        private final boolean retry;
        private final boolean pinned;
        private final long sentAt = System.nanoTime();
        /** Some attempt left this node and got no answer in time: the OCS may have it. */
        private volatile boolean maybeDelivered;
        /** Some attempt got a CCA (or a 3xxx answer), in time or not. */
        private volatile boolean answered;
        private final AtomicBoolean orphanClosed = new AtomicBoolean();
        /** Attempts the stack has not finished with (answered, failed, or over their lifetime). */
        private final AtomicInteger pending = new AtomicInteger();
        /** Run once when the request is no longer pending (its CCA decided it, or every attempt is over); or null. */
        private final Runnable over;
        private final AtomicBoolean overRun = new AtomicBoolean();

        Exchange(CreditControlRequest ccr, String type, boolean retry, boolean pinned, Runnable over) {
            this.ccr = ccr;
            this.type = type;
            this.retry = retry;
            this.pinned = pinned;
            this.over = over;
        }

        private void over() {
            if (over != null && overRun.compareAndSet(false, true)) {
                over.run();
            }
        }

        void attempt(DiameterMessage message, int n) {
            statistics.ccrSent(mode, type);
            pending.incrementAndGet();
            AtomicBoolean over = new AtomicBoolean();
            // Whether the answer came within Tx is decided as the stack reads it (RequestOptions#received): it may
            // then wait for one of the stack's workers, busy with other logins' work (state-store calls), and that
            // wait is ours, not the OCS's (RFC 4006 13: Tx runs from sending the CCR to receiving the CCA). Null:
            // not read (no answer, or a DiameterService that does not report it).
            AtomicReference<Receipt> receipt = new AtomicReference<>();
            // Tx on the request's own timer in the stack (run on a stack worker, a bounded pool, not the timer's
            // thread): a second timer here cost a delayed task, and its cancellation a CancellationException and a
            // CompletionException with their stack traces, on every CCA.
            Runnable txExpired = () -> {
                if (over.compareAndSet(false, true)) {
                    maybeDelivered = true;
                    TxExpired expired = new TxExpired(settings.txTimeout().toMillis());
                    statistics.answer(mode, reason(expired));
                    pending.incrementAndGet(); // so that the retransmission counts before this one may end
                    failed(message, n, expired);
                    release(expired);
                }
            };
            RequestOptions options = RequestOptions.timeout(answerWait())
                    .onReceived(() -> receipt.set(new Receipt(over.compareAndSet(false, true), System.nanoTime())))
                    .withTx(settings.txTimeout(), txExpired);
            diameter.send(message, options).whenComplete((answer, error) -> {
                Outcome o = outcome(answer, error);
                Receipt read = answer != null ? receipt.get() : null;
                boolean inTime = read != null ? read.inTime() : over.compareAndSet(false, true);
                if (answer != null || inTime) {
                    statistics.answer(mode, answer != null ? Long.toString(o.answer() != null
                            ? o.answer().resultCode() : ((ProtocolError) o.failure()).resultCode) : reason(o.failure()));
                }
                if (o.answer() != null || o.failure() instanceof ProtocolError) {
                    answered = true;
                    if (o.answer() != null && decided.complete(o)) {
                        over(); // decided by this CCA
                    } else if (!inTime || decided.isDone()) {
                        late(o, n, read != null ? read.nanos() : System.nanoTime());
                    } else {
                        failed(message, n, o.failure()); // 3xxx within Tx: the OCS did not process it
                    }
                } else if (inTime) {
                    // No answer at all before Tx: no route, dropped by DOIC, or the peer went down with it pending.
                    if (sentAndLost(o.failure())) {
                        maybeDelivered = true;
                    }
                    failed(message, n, o.failure());
                }
                release(o.failure());
            });
        }

        private void release(Throwable why) {
            if (pending.decrementAndGet() == 0) {
                over();
                if (!answered && maybeDelivered) {
                    unanswered(why);
                }
            }
        }

        /** This attempt is over without a CCA: retransmit once (RETRY_AND_TERMINATE), else failure handling. */
        private void failed(DiameterMessage message, int n, Throwable why) {
            if (decided.isDone()) {
                return;
            }
            if (n == 1 && retry) {
                LOG.info("Gy {}: {} CCR {} #{} got no answer ({}); retransmitting once with the T flag", mode, type,
                        ccr.sessionId(), ccr.requestNumber(), reason(why));
                // Same end-to-end id and CC-Request-Number: the OCS can tell it from a new request (RFC 4006 5.7).
                // RFC 4006 5.7: to an alternative server if there is one, so not pinned to the silent one's host.
                attempt(pinned ? withoutDestinationHost(message.withRetransmittedFlag())
                        : message.withRetransmittedFlag(), 2);
                return;
            }
            decided.complete(new Outcome(why, maybeDelivered));
        }

        /** A CCA after failure handling decided, or a second CCA (to the retransmission): counted, not acted on. */
        private void late(Outcome o, int n, long receivedNanos) {
            String result = o.answer() != null ? Long.toString(o.answer().resultCode())
                    : o.failure() instanceof ProtocolError p ? Long.toString(p.resultCode) : "?";
            statistics.lateAnswer(mode, type);
            if (type.equals("initial") && o.answer() != null && ResultCodes.isSuccess(o.answer().resultCode())
                    && decided.isDone() && decided.join().answer() == null && orphanClosed.compareAndSet(false, true)) {
                closeOrphan(o);
            }
            LOG.info("Gy {}: CCA {} to {} CCR {} #{}{} came {} ms after it was sent, too late to act on; the usage it "
                    + "reported stays counted as reported", mode, result, type, ccr.sessionId(), ccr.requestNumber(),
                    n > 1 ? " (retransmission)" : "", TimeUnit.NANOSECONDS.toMillis(receivedNanos - sentAt));
        }

        /**
         * A CCA-I granted after failure handling had refused the login or let it in without credit control: the OCS
         * holds a session and a reservation no CCR-U or CCR-T of ours will ever name. A CCR-T with no usage closes it
         * (RFC 4006 5.4) rather than leaving the reservation until the OCS's Tcc.
         */
        private void closeOrphan(Outcome late) {
            CreditControlRequest t = new CreditControlRequest(ccr.sessionId(),
                    late.originRealm() != null ? late.originRealm() : ccr.destinationRealm(),
                    late.originHost(), ccr.serviceContextId(), CcRequestType.TERMINATION_REQUEST,
                    ccr.requestNumber() + 1, ccr.imsi(), Instant.ofEpochMilli(clock.getAsLong()),
                    CreditControlRequest.TERMINATION_CAUSE_LOGOUT,
                    List.of(ServiceCredit.request(settings.ratingGroup(), settings.serviceIdentifier(), null,
                            ServiceUnits.used(0, 0), ReportingReason.FINAL)));
            statistics.ccrSent(mode, "termination");
            LOG.info("Gy {}: CCA-I for {} came after failure handling acted; CCR-T #{} closes the OCS's session",
                    mode, ccr.sessionId(), t.requestNumber());
            diameter.send(t.toMessage(), RequestOptions.timeout(answerWait())).whenComplete((a, e) -> {
                if (e != null) {
                    LOG.info("Gy {}: CCR-T closing {} got no answer ({}); the OCS's Tcc ends it", mode,
                            ccr.sessionId(), reason(Futures.unwrap(e)));
                }
            });
        }

        /** Every attempt is over and none got an answer, although one may have reached the OCS. */
        private void unanswered(Throwable why) {
            long used = usedOctets(ccr);
            statistics.unconfirmed(mode, type, used);
            LOG.warn("Gy {}: {} CCR {} #{} never answered ({}); its {} used octets count as reported (not sent again "
                    + "as new usage) but the OCS did not confirm them: the accounting records have them", mode, type,
                    ccr.sessionId(), ccr.requestNumber(), reason(why), used);
        }
    }

    /** How long a CCR stays pending for a late answer after its Tx: RFC 4006 5.7's request timeout. */
    static final java.time.Duration ANSWER_WAIT = java.time.Duration.ofSeconds(30);

    private java.time.Duration answerWait() {
        return answerWait;
    }

    private static java.time.Duration answerWait(GySettings settings) {
        java.time.Duration twoTx = settings.txTimeout().multipliedBy(2);
        return twoTx.compareTo(ANSWER_WAIT) > 0 ? twoTx : ANSWER_WAIT;
    }

    /** A failure after which the request may have reached the OCS: it was sent and no answer came. */
    private static boolean sentAndLost(Throwable failure) {
        if (failure instanceof DiameterRequestException d) {
            return d.reason() == DiameterRequestException.Reason.TIMEOUT
                    || d.reason() == DiameterRequestException.Reason.PEER_DOWN;
        }
        return failure instanceof TxExpired;
    }

    private static long usedOctets(CreditControlRequest ccr) {
        long n = 0;
        for (ServiceCredit c : ccr.credits()) {
            if (c.used() != null) {
                n += c.used().totalOctets();
            }
        }
        return n;
    }

    private Outcome outcome(DiameterMessage answer, Throwable error) {
        if (error != null) {
            return new Outcome(Futures.unwrap(error), false);
        }
        CreditControlAnswer cca = CreditControlAnswer.from(answer);
        if (ResultCodes.isProtocolError(cca.resultCode())) {
            // 3xxx (e.g. DIAMETER_UNABLE_TO_DELIVER from a DRA, TOO_BUSY): the OCS did not decide, failure handling does.
            return new Outcome(new ProtocolError(cca.resultCode(), answer.originHost().orElse("?")), false);
        }
        return new Outcome(cca, null, answer.utf8(org.opentwag.diameter.codec.BaseProtocol.ORIGIN_HOST),
                answer.utf8(org.opentwag.diameter.codec.BaseProtocol.ORIGIN_REALM), false);
    }

    private static DiameterMessage withoutDestinationHost(DiameterMessage m) {
        DiameterMessage.Builder b = DiameterMessage.request(m.applicationId(), m.commandCode())
                .proxiable(m.isProxiable()).retransmitted(m.isRetransmitted()).endToEnd(m.endToEnd());
        for (org.opentwag.diameter.codec.Avp a : m.avps()) {
            if (a.code() != org.opentwag.diameter.codec.BaseProtocol.DESTINATION_HOST.code()
                    || a.vendorId() != 0) {
                b.add(a);
            }
        }
        return b.build();
    }

    /** The refusing Result-Code of the answer or of our rating group's MSCC, 0 when the OCS granted. */
    private long refusal(CreditControlAnswer cca) {
        if (!ResultCodes.isSuccess(cca.resultCode())) {
            return cca.resultCode();
        }
        return cca.credit(settings.ratingGroup())
                .filter(c -> c.resultCode() != ServiceCredit.ABSENT && !ResultCodes.isSuccess(c.resultCode()))
                .map(ServiceCredit::resultCode).orElse(0L);
    }

    /** Takes the grant of a successful CCA into the state; the decision counts from the usage just reported. */
    private ChargingDecision granted(Map<String, String> state, CreditControlAnswer cca, long alreadyUsed) {
        ServiceCredit credit = cca.credit(settings.ratingGroup()).orElse(null);
        ServiceUnits units = credit != null && credit.granted() != null ? credit.granted() : cca.granted();
        long grant = units == null ? 0 : units.octets();
        long validity = credit != null && credit.validityTimeSeconds() != ServiceCredit.ABSENT
                ? credit.validityTimeSeconds() : Math.max(0, cca.validityTimeSeconds());
        boolean finalUnit = (credit != null && credit.finalUnit()) || cca.finalUnitAction() != ServiceCredit.ABSENT;
        state.put(GRANTED, Long.toString(grant));
        state.put(FINAL_UNIT, Boolean.toString(finalUnit));
        state.put(VALID_UNTIL, Long.toString(validity > 0 ? clock.getAsLong() + validity * 1000 : 0));
        if (credit != null && credit.volumeQuotaThreshold() != ServiceCredit.ABSENT) {
            state.put(THRESHOLD, Long.toString(credit.volumeQuotaThreshold()));
        } else {
            state.remove(THRESHOLD);
        }
        return new ChargingDecision(true, Math.max(0, grant - alreadyUsed), validity, finalUnit, null);
    }

    private FailureHandling failureHandling(Map<String, String> state) {
        String f = state.get(FAILURE_HANDLING);
        return f == null ? settings.failureHandling() : FailureHandling.valueOf(f);
    }

    private static long number(Map<String, String> state, String key) {
        String v = state.get(key);
        return v == null ? 0 : Long.parseLong(v);
    }

    /** A 3xxx answer: from a relay or the OCS's stack, not a credit decision. */
    static final class ProtocolError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long resultCode;

        ProtocolError(long resultCode, String from) {
            super("protocol error " + resultCode + " from " + from, null, false, false);
            this.resultCode = resultCode;
        }
    }

    static String reason(Throwable failure) {
        if (failure instanceof DiameterRequestException d) {
            return d.reason().name().toLowerCase();
        }
        if (failure instanceof ProtocolError p) {
            return "protocol_error_" + p.resultCode;
        }
        if (failure instanceof TxExpired) {
            return "timeout";
        }
        return failure.getClass().getSimpleName();
    }

    static String describe(long resultCode) {
        if (resultCode == ResultCodes.DIAMETER_CREDIT_LIMIT_REACHED) {
            return "DIAMETER_CREDIT_LIMIT_REACHED (4012)";
        }
        if (resultCode == ResultCodes.DIAMETER_END_USER_SERVICE_DENIED) {
            return "DIAMETER_END_USER_SERVICE_DENIED (4010)";
        }
        if (resultCode == ResultCodes.DIAMETER_USER_UNKNOWN) {
            return "DIAMETER_USER_UNKNOWN (5030)";
        }
        if (resultCode == ResultCodes.DIAMETER_SUCCESS) {
            return "DIAMETER_SUCCESS (2001)";
        }
        return "Result-Code " + resultCode;
    }
}
