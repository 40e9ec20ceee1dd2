package org.opentwag.accounting.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import org.opentwag.accounting.ledger.AccountingLedger;
import org.opentwag.accounting.ledger.GroupCommitWriter;
import org.opentwag.accounting.ledger.LedgerEntry;
import org.opentwag.accounting.ledger.StableStorage;
import org.opentwag.accounting.sessions.AccountingRequestReader;
import org.opentwag.accounting.sessions.SessionBook;
import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccessPointRegistry;
import org.opentwag.api.accounting.AccountingListener;
import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.api.accounting.AccountingStatus;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.metrics.CounterStore;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.api.session.AccessSessions;
import org.opentwag.api.state.StateStore;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.server.AccountingHandler;
import org.opentwag.radius.server.RadiusRequest;
import org.opentwag.support.metrics.Counters;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RADIUS accounting (RFC 2866): every Accounting-Request becomes a row in the ledger, committed in groups, and only
 * then is it acknowledged; sessions and the AP registry follow from the stored records. The database is whatever
 * JDBC driver registers a {@link DataSourceFactory} (H2 embedded by default, PostgreSQL in production).
 */
@Component(service = {AccountingHandler.class, AccountingQueries.class, AccessPointRegistry.class,
        MetricsSource.class}, configurationPid = "org.opentwag.accounting",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AccountingService.Config.class)
public class AccountingService implements AccountingHandler, AccountingQueries, AccessPointRegistry, MetricsSource {

    @ObjectClassDefinition(name = "OpenTWAG accounting")
    public @interface Config {
        @AttributeDefinition(description = "JDBC URL; empty = embedded H2 file under ${karaf.data}/opentwag")
        String url() default "";

        @AttributeDefinition(description = "Database user")
        String user() default "";

        @AttributeDefinition(description = "Database password", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
        String password() default "";

        @AttributeDefinition(description = "Which JDBC driver's DataSourceFactory to use (LDAP filter)")
        String dataSourceFactory_target() default "(osgi.jdbc.driver.class=org.h2.Driver)";

        @AttributeDefinition(description = "Send the Accounting-Response only once the record is on stable storage"
                + " (one fsync per group commit); false = once in the OS page cache, for benchmarks and labs only")
        boolean syncToDisk() default true;

        @AttributeDefinition(description = "Most records written in one transaction")
        int maxBatch() default 512;

        @AttributeDefinition(description = "Records waiting for the database before new ones are refused")
        int queueCapacity() default 16384;

        @AttributeDefinition(description = "Threads applying committed records to sessions and listeners; all records"
                + " of one access point (NAS IP) on one of them, in commit order")
        int afterCommitLanes() default DEFAULT_LANES;

        @AttributeDefinition(description = "Hours an open session stays without any record (a Stop may be lost)")
        int openSessionLifetimeHours() default 48;

        @AttributeDefinition(description = "Hours a closed session stays visible")
        int closedSessionLifetimeHours() default 24;

        @AttributeDefinition(description = "Days an access point stays listed after it was last heard from")
        int accessPointLifetimeDays() default 7;

        @AttributeDefinition(description = "Most records one session history read returns (twag:history, REST)")
        int historyMaxRecords() default 10_000;

        @AttributeDefinition(description = "Seconds the database may take for one session history read")
        int historyReadTimeoutSeconds() default 10;
    }

    private static final Logger LOG = LoggerFactory.getLogger(AccountingService.class);
    static final String RECORDS_STORED = "accounting_records_stored_count";
    static final String BATCHES = "accounting_batches_count";
    static final String STORE_FAILURES = "accounting_store_failure_count";
    static final String QUEUE_FULL = "accounting_queue_full_count";
    static final String REFUSED_STOPPING = "accounting_refused_stopping_count";
    static final String LISTENER_FAILURES = "accounting_listener_failure_count";
    static final String HISTORY_FAILURES = "accounting_history_read_failure_count";
    static final String SYNC_TO_DISK = "accounting_sync_to_disk";
    static final String STORE_OPEN = "accounting_store_open";
    static final String RESTORING = "accounting_sessions_restoring";
    private static final java.util.Set<String> GAUGES = java.util.Set.of("radius_access_points_count",
            "accounting_open_sessions_count", "accounting_queue_depth", SYNC_TO_DISK, STORE_OPEN, RESTORING);

    // Greedy: a clustered store (higher service.ranking) installed later replaces the in-memory one.
    @Reference(policyOption = ReferencePolicyOption.GREEDY)
    private StateStore store;

    /** Whose subscriber a record is (Class token, User-Name), and who is told a session ended; optional. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccessSessions accessSessions;

    @Reference(name = "dataSourceFactory")
    private DataSourceFactory dataSourceFactory;

    private final List<AccountingListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * Where the counters live: the state store bundle's, so that they continue across a bundle:update of accounting
     * (and a re-activation when the state store changes). Static and greedy: if it appears after us (boot order),
     * the component restarts on it.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private CounterStore counterStore;

    private LongAdder stored;
    private LongAdder batches;
    private LongAdder failedRecords;
    private LongAdder refusedRecords;
    private LongAdder refusedStopping;
    private LongAdder listenerFailures;
    private LongAdder historyFailures;
    private final AtomicLong lastFailureLog = new AtomicLong();

    /** Set once the writer's thread opened the database (null before). */
    private volatile AccountingLedger ledger;
    private GroupCommitWriter writer;
    /** Items: a committed {@link AccountingRecord} (as is: nothing allocated per record), or a {@link Restored}. */
    private AfterCommitLanes<Object> afterCommit;
    /** Set while the open sessions are being rebuilt from the database after a start (its own thread). */
    private volatile Thread restoring;
    /** APs whose Accounting-On/Off was applied while restoring: none of their stored sessions is open any more. */
    private final java.util.Set<String> restartedWhileRestoring = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger restoredSessions = new java.util.concurrent.atomic.AtomicInteger();
    private AccountingRequestReader reader;
    private SessionBook sessions;
    private Duration historyLookback;
    private AccountingLedger.ReadLimits historyLimits;
    private boolean syncToDisk;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addListener(AccountingListener listener) {
        listeners.add(listener);
    }

    void removeListener(AccountingListener listener) {
        listeners.remove(listener);
    }

    @Activate
    void activate(Config config) {
        org.osgi.framework.Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(getClass());
        LOG.info("{} active, code {}", bundle == null ? "outside OSGi:" : bundle.getSymbolicName() + " " + bundle.getVersion(),
                Release.code());
        Counters counters = new Counters(counterStore);
        stored = counters.counter(RECORDS_STORED);
        batches = counters.counter(BATCHES);
        failedRecords = counters.counter(STORE_FAILURES);
        refusedRecords = counters.counter(QUEUE_FULL);
        refusedStopping = counters.counter(REFUSED_STOPPING);
        listenerFailures = counters.counter(LISTENER_FAILURES);
        historyFailures = counters.counter(HISTORY_FAILURES);
        String url = config.url().isBlank() ? defaultUrl() : config.url();
        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, url);
        if (!config.user().isBlank()) {
            props.setProperty(DataSourceFactory.JDBC_USER, config.user());
        }
        if (!config.password().isEmpty()) {
            props.setProperty(DataSourceFactory.JDBC_PASSWORD, config.password());
        }
        syncToDisk = config.syncToDisk();
        historyLookback = Duration.ofHours(config.openSessionLifetimeHours() + config.closedSessionLifetimeHours());
        historyLimits = new AccountingLedger.ReadLimits(Math.max(0, config.historyMaxRecords()),
                Duration.ofSeconds(Math.max(0, config.historyReadTimeoutSeconds())));
        reader = new AccountingRequestReader(() -> accessSessions);
        sessions = new SessionBook(store, System::currentTimeMillis, new SessionBook.Lifetimes(
                Duration.ofHours(config.openSessionLifetimeHours()),
                Duration.ofHours(config.closedSessionLifetimeHours()),
                Duration.ofDays(config.accessPointLifetimeDays())), () -> {
                    AccessSessions s = accessSessions;
                    return s == null ? java.util.List.of() : s.clients();
                });
        // Committed records go to sessions and listeners on a few lanes: an AP's records on one lane in commit order
        // (its Accounting-On/Off stays ordered with its sessions), different APs in parallel, so that a backlog of
        // state-store round trips drains before radius-server stops holding requests for the next handler on an update.
        int lanes = Math.max(1, Math.min(MAX_LANES, config.afterCommitLanes()));
        if (lanes != config.afterCommitLanes()) {
            LOG.warn("afterCommitLanes = {} in etc/org.opentwag.accounting.cfg is outside 1-{}: using {}",
                    config.afterCommitLanes(), MAX_LANES, lanes);
        }
        afterCommit = new AfterCommitLanes<>(lanes, Math.max(1, config.queueCapacity()),
                "opentwag-accounting-after-commit", AccountingService::laneKey, this::applyOnLane);
        // The handler is registered when this method returns, before the database is open (opening PostgreSQL on a
        // busy node took 2.8-4.3 s, longer than an AP's three sends): requests wait in the writer's bounded queue
        // while its thread opens the store, and each is acknowledged only once written and on stable storage, as
        // ever. A bundle:update of accounting thus leaves radius-server without a handler only between the old
        // component's deactivation and this one's activation (docs/upgrades.md).
        // H2 with syncToDisk: a flush (CHECKPOINT SYNC) on its own thread after the commits, overlapping the next one.
        Duration openLifetime = Duration.ofHours(config.openSessionLifetimeHours());
        DataSourceFactory factory = dataSourceFactory;
        writer = new GroupCommitWriter(() -> openStore(factory, props, url, openLifetime, counters.kept()),
                batch -> ledger.append(batch), new GroupCommitWriter.BatchObserver() {
                    @Override
                    public void written(int size, long nanos, Throwable failure) {
                        batchWritten(size, nanos, failure);
                    }

                    @Override
                    public void durable(List<LedgerEntry> batch) {
                        for (LedgerEntry e : batch) { // one batch after the other: the lanes wake once per batch
                            afterCommit.submit(e.record());
                        }
                    }
                },
                config.queueCapacity(), config.maxBatch(), STORE_RETRY, "opentwag-accounting-writer");
    }

    static final int DEFAULT_LANES = 4;
    static final int MAX_LANES = 64;
    /** How long a stop waits for the lanes to apply what they hold (a lost Stop leaves a charged session open). */
    static final Duration APPLY_WAIT = Duration.ofSeconds(5);

    /** Between two attempts to open the accounting database when it failed. */
    private static final Duration STORE_RETRY = Duration.ofSeconds(5);

    /**
     * On the writer's thread, before its first batch: opens the database, brings its schema up to date, checks that
     * commits can be forced to disk, and rebuilds the open sessions; returns the flush the writer runs after commits.
     */
    private GroupCommitWriter.Flush openStore(DataSourceFactory factory, Properties props, String url,
                                              Duration openSessionLifetime, boolean countersKept) throws SQLException {
        long started = System.nanoTime();
        AccountingLedger opening = null;
        try {
            opening = new AccountingLedger(factory.createDataSource(props), syncToDisk);
            opening.open(); // held from here on: the steps below must not close and reopen an embedded database
            for (String change : opening.createSchema()) {
                LOG.info("Accounting store schema upgraded: {}", change);
            }
            makeDurable(opening, url, syncToDisk);
            synchronized (ledgerLock) {
                if (stopped) {
                    opening.close();
                    throw new SQLException("accounting stopped while its store was opening");
                }
                ledger = opening;
            }
            if (store.size(SessionBook.SESSIONS) == 0) {
                startRestore(openSessionLifetime);
            }
            boolean needsSync = opening.needsSync();
            LOG.info("Accounting store ready: {} ({} records, opened in {} ms); counters {}", printableUrl(url),
                    opening.count(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    countersKept ? "kept by the state store bundle (continue across a bundle:update of accounting)"
                            : "local to accounting");
            return needsSync ? opening::sync : null;
        } catch (SQLException | RuntimeException e) {
            if (opening != null && ledger != opening) {
                opening.close();
            }
            LOG.error("Accounting store {} not open ({}): Accounting-Requests are not acknowledged (the APs retry);"
                    + " trying again in {} s", printableUrl(url), e.toString(), STORE_RETRY.toSeconds());
            throw e;
        }
    }

    private final Object ledgerLock = new Object();
    private boolean stopped;

    /**
     * The database file's name in its directory (and that directory's in its parent) is forced to disk once (fsync of
     * the file makes its content durable, not its directory entry: a new H2 file could vanish whole in a power cut),
     * whatever syncToDisk says; then the
     * schema, which also shows at start, not on the first batch, a database user that may not force writes.
     */
    private static void makeDurable(AccountingLedger ledger, String url, boolean syncToDisk) throws SQLException {
        Optional<Path> dir = StableStorage.h2Directory(url);
        if (dir.isPresent()) {
            try {
                StableStorage.syncDirectory(dir.get());
                // and that directory's own name (data/opentwag is created on first start, like the file)
                if (dir.get().getParent() != null) {
                    StableStorage.syncDirectory(dir.get().getParent());
                }
            } catch (IOException e) {
                LOG.warn("Accounting database directory {} not synced to disk: {}", dir.get(), e.toString());
            }
        }
        try {
            ledger.sync();
        } catch (SQLException e) {
            LOG.error("Accounting store cannot force its commits to disk ({}): the database user needs the right to"
                    + " (H2: ADMIN, for CHECKPOINT SYNC), or set syncToDisk = false in"
                    + " etc/org.opentwag.accounting.cfg to accept losing acknowledged records in a power cut", e.toString());
            ledger.close();
            throw e;
        }
        if (syncToDisk) {
            LOG.info("Accounting records acknowledged once on stable storage ({}: {})", ledger.storage(),
                    ledger.storage() == StableStorage.H2
                            ? "CHECKPOINT SYNC after group commits, one for every batch committed before it"
                            : "synchronous commit");
        } else {
            LOG.warn("Accounting records acknowledged once in the OS page cache (syncToDisk = false): a power cut"
                    + " loses records the APs were told are stored");
        }
    }

    /**
     * The newest stored record of a session that was open before this node started. It goes through its AP's lane,
     * like the committed records, so that it is applied in order with that AP's new ones; {@code pending} counts
     * those of the rebuild not applied yet.
     */
    private record Restored(AccountingRecord record, java.util.concurrent.atomic.AtomicInteger pending) {
    }

    private static String laneKey(Object item) {
        return item instanceof Restored r ? r.record().nasIp() : ((AccountingRecord) item).nasIp();
    }

    /**
     * After a restart the in-memory session view is empty while the APs' sessions go on: rebuild it from the newest
     * stored record of each recent session. Not done when the state store already holds sessions (a bundle update,
     * or a cluster whose other nodes kept them). It runs on a thread of its own while records are written and
     * acknowledged: on a table of a million rows the query takes tens of seconds, longer than an AP waits. Whatever a
     * new record says about a session wins over its stored past (see {@link #applyOnLane}).
     */
    private void startRestore(Duration lifetime) {
        restartedWhileRestoring.clear();
        restoredSessions.set(0);
        LOG.debug("Rebuilding the open accounting sessions from the database on a thread of its own");
        Thread t = new Thread(() -> restoreOpenSessions(lifetime), "opentwag-accounting-restore");
        t.setDaemon(true);
        restoring = t;
        t.start();
    }

    private void restoreOpenSessions(Duration lifetime) {
        long started = System.nanoTime();
        java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
        try {
            int queued = 0;
            for (AccountingRecord r : ledger.latestPerSessionSince(System.currentTimeMillis() - lifetime.toMillis())) {
                if (r.status() == AccountingStatus.START || r.status() == AccountingStatus.INTERIM) {
                    pending.incrementAndGet();
                    if (!afterCommit.submit(new Restored(r, pending))) {
                        return; // stopping
                    }
                    queued++;
                }
            }
            // Done once the lanes applied them (bounded: a stop ends the lanes).
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (pending.get() > 0 && System.nanoTime() < deadline && !afterCommit.stopping()) {
                Thread.sleep(10);
            }
            if (queued > 0) {
                LOG.info("Accounting sessions restored from the database: {} open, in {} ms ({} others described by"
                                + " newer records meanwhile)", restoredSessions.get(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), queued - restoredSessions.get());
            }
        } catch (SQLException | IllegalStateException e) {
            LOG.warn("Open accounting sessions not restored: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            restoring = null;
        }
    }

    @Deactivate
    void deactivate() {
        // Order matters: flush what was accepted, then let listeners see it, then let go of the database.
        long t0 = System.nanoTime();
        writer.close();
        long t1 = System.nanoTime();
        int toApply = afterCommit.queued();
        AfterCommitLanes.Stopped lanes = afterCommit.stop(APPLY_WAIT);
        long t2 = System.nanoTime();
        if (lanes.notApplied() > 0 || lanes.lanesStillBusy() > 0) {
            LOG.warn("Accounting stop: {} committed record(s) NOT applied to the sessions and listeners (charging) within"
                    + " {} s, {} lane(s) still on one; the records are in the database", lanes.notApplied(),
                    APPLY_WAIT.toSeconds(), lanes.lanesStillBusy());
        }
        synchronized (ledgerLock) {
            stopped = true;
            if (ledger != null) {
                ledger.close();
            }
        }
        // The time this takes is time without an accounting handler on a bundle:update (docs/upgrades.md).
        LOG.info("Accounting store closed: every acknowledged record written ({} since the node started); stopped in"
                + " {} ms (writes {} ms, sessions and listeners {} ms for {} committed records on {} lanes)",
                stored.sum(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                TimeUnit.NANOSECONDS.toMillis(t1 - t0), TimeUnit.NANOSECONDS.toMillis(t2 - t1), toApply,
                afterCommit.lanes());
    }

    static String defaultUrl() {
        Path dir = Path.of(System.getProperty("karaf.data", "data"), "opentwag");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            // the database open below reports the real problem with its path
        }
        // WRITE_DELAY=0: H2 writes each commit to the file before commit() returns, so a record acknowledged to an
        // AP survives the JVM being killed; the ledger's CHECKPOINT SYNC per batch (syncToDisk) survives power loss.
        return "jdbc:h2:file:" + dir.resolve("accounting").toAbsolutePath() + ";WRITE_DELAY=0";
    }

    private static String printableUrl(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    @Override
    public CompletionStage<Void> account(RadiusRequest request) {
        long now = System.currentTimeMillis();
        // Not request.nasContext(): it interns the AP's strings for state kept in memory for hours (String.intern
        // took a third of this method's time); a record is stored as bytes and the AP's row rewritten once a second.
        String nasIp = request.nasIp();
        LedgerEntry entry = reader.read(request.packet(), nasIp, now);
        noteAccessPoint(nasIp, entry.record().nasIdentifier(), entry.record().calledStationId(),
                (int) request.integer(RadiusDictionary.NAS_PORT_TYPE).orElse(0),
                (int) request.integer(RadiusDictionary.FRAMED_MTU).orElse(0));
        // Once durable, the record goes to the sessions and listeners with its batch (the writer's observer).
        CompletableFuture<Void> durable = writer.submit(entry);
        durable.whenComplete((ok, failure) -> {
            if (failure instanceof GroupCommitWriter.Stopping) {
                refusedStopping.increment(); // radius-server logs it (not answered: the AP sends it again)
            } else if (failure instanceof java.util.concurrent.RejectedExecutionException) {
                refusedRecords.increment();
            }
        });
        return durable;
    }

    private void applyOnLane(Object item) {
        if (item instanceof Restored restored) {
            AccountingRecord record = restored.record();
            try {
                // Not over a session a new record already described, nor for an AP that restarted since.
                if (!restartedWhileRestoring.contains(record.nasIp()) && sessions.restore(record)) {
                    restoredSessions.incrementAndGet();
                }
            } finally {
                restored.pending().decrementAndGet();
            }
            return;
        }
        AccountingRecord record = (AccountingRecord) item;
        if ((record.status() == AccountingStatus.ACCOUNTING_ON || record.status() == AccountingStatus.ACCOUNTING_OFF)
                && restoring != null) {
            restartedWhileRestoring.add(record.nasIp());
        }
        committed(record);
    }

    private void committed(AccountingRecord record) {
        sessions.apply(record);
        if (record.status() == null) {
            return;
        }
        AccessSessions access = accessSessions;
        if (record.status() == AccountingStatus.STOP && access != null && record.imsi() != null) {
            // The AP says the phone left: access-session ends its row and deregisters it at the HSS.
            try {
                access.ended(record.imsi(), record.nasIp(), "accounting Stop");
            } catch (RuntimeException e) {
                LOG.warn("Access session of IMSI {} not ended on Stop: {}", record.imsi(), e.toString());
            }
        }
        for (AccountingListener l : listeners) {
            try {
                l.recorded(record);
            } catch (RuntimeException e) {
                listenerFailures.increment();
                LOG.warn("Accounting listener {} failed on {} of session {}: {}", l.getClass().getName(),
                        record.status(), record.acctSessionId(), e.toString());
            }
        }
    }

    private void batchWritten(int size, long nanos, Throwable failure) {
        if (failure == null) {
            stored.add(size);
            batches.increment();
            return;
        }
        failedRecords.add(size);
        long now = System.currentTimeMillis();
        long last = lastFailureLog.get();
        // The AP retries every few seconds: one line per 10 s tells the operator without flooding the log.
        if (now - last >= 10_000 && lastFailureLog.compareAndSet(last, now)) {
            LOG.error("Accounting store failed, {} record(s) NOT acknowledged (the APs will retry): {}", size,
                    failure.toString());
        }
    }

    @Override
    public void seen(NasContext nas, int nasPortType, int framedMtu) {
        noteAccessPoint(nas.nasIp(), nas.nasIdentifier(), nas.calledStationId(), nasPortType, framedMtu);
    }

    private void noteAccessPoint(String nasIp, String nasIdentifier, String calledStationId, int nasPortType,
                                 int framedMtu) {
        try {
            if (sessions.accessPointSeen(nasIp, nasIdentifier, calledStationId, nasPortType, framedMtu)) {
                LOG.info("Registered AP: {}", nasIp);
            }
        } catch (IllegalStateException full) {
            LOG.debug("access point {} not recorded: {}", nasIp, full.getMessage());
        }
    }

    @Override
    public List<AccountingSession> openSessions(int limit) {
        return sessions.recentSessions(limit).stream().filter(AccountingSession::open).toList();
    }

    @Override
    public List<AccountingSession> recentSessions(int limit) {
        return sessions.recentSessions(limit);
    }

    @Override
    public Optional<AccountingSession> session(String nasIp, String acctSessionId) {
        return sessions.session(nasIp, acctSessionId);
    }

    @Override
    public List<AccessPoint> accessPoints() {
        return sessions.accessPoints();
    }

    @Override
    public Optional<AccessPoint> accessPoint(String nasIp) {
        return sessions.accessPoints().stream().filter(ap -> ap.nasIp().equals(nasIp)).findFirst();
    }

    @Override
    public List<AccountingRecord> history(String nasIp, String acctSessionId) {
        AccountingLedger ledger = this.ledger;
        if (ledger == null) {
            throw new IllegalStateException("the accounting database is still being opened");
        }
        try {
            return ledger.session(nasIp, acctSessionId, historySince(nasIp, acctSessionId), historyLimits);
        } catch (SQLException e) {
            // Not an empty list: "no records" would tell a support call that the AP never sent any.
            historyFailures.increment();
            LOG.warn("Accounting history of session {} on {} unreadable: {}", acctSessionId, nasIp, e.toString());
            throw new IllegalStateException(timedOut(e)
                    ? "the accounting database did not answer within " + historyLimits.timeout().toSeconds()
                            + " s (historyReadTimeoutSeconds)"
                    : "the accounting database failed: " + e.getMessage(), e);
        }
    }

    /** A statement the database cancelled at its time limit: JDBC's own type (H2), or SQLSTATE 57014 (PostgreSQL). */
    private static boolean timedOut(SQLException e) {
        return e instanceof java.sql.SQLTimeoutException || "57014".equals(e.getSQLState());
    }

    @Override
    public int historyMaxRecords() {
        return historyLimits.maxRecords();
    }

    /**
     * Where a session's history starts, so that the read scans a window of the table and not all of it: a session
     * still known began at its start time (less a minute for the AP's rounding of Acct-Session-Time); one no longer
     * known ended at most the open plus the closed lifetime ago, and older rows are left to the operator's own SQL.
     */
    private long historySince(String nasIp, String acctSessionId) {
        Optional<AccountingSession> known = sessions.session(nasIp, acctSessionId);
        return known.map(s -> s.startedAtMillis() - 60_000L)
                .orElseGet(() -> System.currentTimeMillis() - historyLookback.toMillis());
    }

    @Override
    public long storedRecords() {
        return stored.sum();
    }

    @Override
    public Map<String, String> help() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("radius_access_points_count", "Access points heard from (authentication or accounting)");
        h.put("accounting_open_sessions_count", "Accounting sessions started and not stopped");
        h.put(RECORDS_STORED, "Accounting records committed to the database");
        h.put(BATCHES, "Database transactions (group commits) of accounting records");
        h.put(STORE_FAILURES, "Accounting records not acknowledged because the database failed");
        h.put(QUEUE_FULL, "Accounting records refused because the write queue was full");
        h.put(REFUSED_STOPPING, "Accounting records refused, not stored and not answered, because accounting was"
                + " stopping (configuration change, bundle update): the AP sends them again to the next instance");
        h.put("accounting_queue_depth", "Accounting records waiting for the database");
        h.put(LISTENER_FAILURES, "Accounting listeners (e.g. charging) that threw");
        h.put(HISTORY_FAILURES, "Session history reads (shell, REST) the database failed or did not answer in time");
        h.put(SYNC_TO_DISK, "1: Accounting-Responses wait for stable storage (syncToDisk); 0: only for the OS page cache");
        h.put(STORE_OPEN, "1: the accounting database is open and records are being written; 0: still opening (after a"
                + " start or a configuration change; requests wait in the queue) or failing to open");
        h.put(RESTORING, "1: after a start, the open sessions are being rebuilt from the database (records are written"
                + " and acknowledged meanwhile; the session list is not complete yet)");
        return h;
    }

    @Override
    public Map<String, Number> values() {
        Map<String, Number> v = new LinkedHashMap<>();
        v.put("radius_access_points_count", sessions.accessPointCount());
        v.put("accounting_open_sessions_count", sessions.openSessionCount());
        v.put(RECORDS_STORED, stored.sum());
        v.put(BATCHES, batches.sum());
        v.put(STORE_FAILURES, failedRecords.sum());
        v.put(QUEUE_FULL, refusedRecords.sum());
        v.put(REFUSED_STOPPING, refusedStopping.sum());
        v.put("accounting_queue_depth", writer.queued());
        v.put(LISTENER_FAILURES, listenerFailures.sum());
        v.put(HISTORY_FAILURES, historyFailures.sum());
        v.put(SYNC_TO_DISK, syncToDisk ? 1 : 0);
        v.put(STORE_OPEN, writer.isOpen() ? 1 : 0);
        v.put(RESTORING, restoring != null ? 1 : 0);
        return v;
    }

    @Override
    public Kind kind(String metricName) {
        return GAUGES.contains(metricName) ? Kind.GAUGE : Kind.COUNTER;
    }
}
