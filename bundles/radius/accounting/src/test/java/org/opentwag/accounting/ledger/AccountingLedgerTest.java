package org.opentwag.accounting.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingStatus;
import org.opentwag.api.charging.Usage;

class AccountingLedgerTest {

    @TempDir
    Path dir;

    private JdbcDataSource h2(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve(name).toAbsolutePath() + ";WRITE_DELAY=0");
        return ds;
    }

    static LedgerEntry entry(AccountingStatus status, String session, long in, long out) {
        return entryAt(1_700_000_000_000L, status, session, in, out);
    }

    static LedgerEntry entryAt(long receivedAtMillis, AccountingStatus status, String session, long in, long out) {
        return new LedgerEntry(status.code(), new AccountingRecord(status, receivedAtMillis, "10.0.0.7", "ap-7",
                session, "user@realm", "001010000000001", "tok", "64-D9-89-1D-A4-20:ONS", "86-81-69-A7-B4-B2",
                "10.45.0.9", new Usage(in, out, 10, 20, 30), status == AccountingStatus.STOP ? 1 : 0));
    }

    @Test
    void aBatchIsStoredAndReadBackFieldByField() throws SQLException {
        try (AccountingLedger ledger = new AccountingLedger(h2("a"))) {
            ledger.createSchema();
            ledger.append(List.of(entry(AccountingStatus.START, "S1", 0, 0),
                    entry(AccountingStatus.INTERIM, "S1", 5_000_000_000L, 7),
                    entry(AccountingStatus.STOP, "S1", 6_000_000_000L, 9)));
            assertThat(ledger.count()).isEqualTo(3);
            List<AccountingRecord> s1 = ledger.session("10.0.0.7", "S1", 0);
            assertThat(s1).extracting(AccountingRecord::status)
                    .containsExactly(AccountingStatus.START, AccountingStatus.INTERIM, AccountingStatus.STOP);
            AccountingRecord stop = s1.get(2);
            assertThat(stop.usage()).isEqualTo(new Usage(6_000_000_000L, 9, 10, 20, 30));
            assertThat(stop.terminateCause()).isEqualTo(1);
            assertThat(stop.imsi()).isEqualTo("001010000000001");
            assertThat(stop.calledStationId()).isEqualTo("64-D9-89-1D-A4-20:ONS");
            assertThat(stop.framedIp()).isEqualTo("10.45.0.9");
            assertThat(stop.nasIdentifier()).isEqualTo("ap-7");
        }
    }

    /**
     * Opening an existing table asks the database only whether its indexes exist. JDBC's exact index metadata carries
     * each index's row count, which H2 computes by walking the whole index: measured 4-8 s per call on 1.5 million
     * records (three calls per open), with the Accounting-Requests that arrived meanwhile waiting unanswered.
     */
    @Test
    void openingAnExistingTableAsksForIndexesWithoutCountingTheirRows() throws SQLException {
        JdbcDataSource h2 = h2("approx");
        try (AccountingLedger ledger = new AccountingLedger(h2)) {
            ledger.createSchema();
            ledger.append(List.of(entry(AccountingStatus.START, "S9", 0, 0)));
        }
        List<Boolean> approximate = new java.util.ArrayList<>();
        try (AccountingLedger again = new AccountingLedger(indexReadsSeen(h2, approximate))) {
            again.createSchema();
            again.append(List.of(entry(AccountingStatus.INTERIM, "S9", 1, 1)));
            assertThat(again.count()).isEqualTo(2);
        }
        assertThat(approximate).isNotEmpty().containsOnly(true);
    }

    /** The data source, noting the {@code approximate} argument of each index metadata read on its connections. */
    private static DataSource indexReadsSeen(JdbcDataSource real, List<Boolean> approximate) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, a) -> {
                    Object result = invoke(real, m, a);
                    return m.getName().equals("getConnection") ? noting((Connection) result, approximate) : result;
                });
    }

    private static Connection noting(Connection c, List<Boolean> approximate) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, a) -> {
                    Object result = invoke(c, m, a);
                    if (!m.getName().equals("getMetaData")) {
                        return result;
                    }
                    java.sql.DatabaseMetaData meta = (java.sql.DatabaseMetaData) result;
                    return Proxy.newProxyInstance(java.sql.DatabaseMetaData.class.getClassLoader(),
                            new Class<?>[] {java.sql.DatabaseMetaData.class}, (p2, m2, a2) -> {
                                if (m2.getName().equals("getIndexInfo")) {
                                    approximate.add((Boolean) a2[4]);
                                }
                                return invoke(meta, m2, a2);
                            });
                });
    }

    @Test
    void recordsSurviveReopeningTheDatabaseAndTheSchemaIsNotRecreated() throws SQLException {
        try (AccountingLedger ledger = new AccountingLedger(h2("b"))) {
            ledger.createSchema();
            ledger.append(List.of(entry(AccountingStatus.START, "S2", 0, 0)));
        }
        try (AccountingLedger again = new AccountingLedger(h2("b"))) {
            again.createSchema();
            assertThat(again.count()).isEqualTo(1);
            assertThat(again.latestPerSessionSince(0)).extracting(AccountingRecord::acctSessionId)
                    .containsExactly("S2");
        }
    }

    @Test
    void anUnknownStatusTypeIsKeptWithItsRawValue() throws SQLException {
        try (AccountingLedger ledger = new AccountingLedger(h2("c"))) {
            ledger.createSchema();
            AccountingRecord r = entry(AccountingStatus.START, "S3", 0, 0).record();
            ledger.append(List.of(new LedgerEntry(15, new AccountingRecord(null, r.receivedAtMillis(), r.nasIp(),
                    null, "S3", null, null, null, null, null, null, Usage.NONE, 0))));
            assertThat(ledger.count()).isEqualTo(1);
            assertThat(ledger.session("10.0.0.7", "S3", 0).get(0).status()).isNull();
        }
    }

    @Test
    void aFailedTransactionStoresNothingAndTheNextOneWorks() throws SQLException {
        try (AccountingLedger ledger = new AccountingLedger(h2("d"))) {
            ledger.createSchema();
            AccountingRecord ok = entry(AccountingStatus.START, "S4", 0, 0).record();
            AccountingRecord tooLong = new AccountingRecord(AccountingStatus.START, 1, "10.0.0.7", null, "S5",
                    null, "0".repeat(40) /* imsi column holds 15 */, null, null, null, null, Usage.NONE, 0);
            assertThatThrownBy(() -> ledger.append(List.of(new LedgerEntry(1, ok), new LedgerEntry(1, tooLong))))
                    .isInstanceOf(SQLException.class);
            assertThat(ledger.count()).isZero();
            ledger.append(List.of(new LedgerEntry(1, ok)));
            assertThat(ledger.count()).isEqualTo(1);
        }
    }

    @Test
    void aDatabaseThatCannotBeWrittenFailsLoudly() throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        readOnly.toFile().setWritable(false);
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + readOnly.resolve("x").toAbsolutePath());
        try (AccountingLedger ledger = new AccountingLedger(ds)) {
            if (readOnly.toFile().canWrite()) {
                return; // running as root: permissions do not bind, covered by the integration test instead
            }
            assertThatThrownBy(ledger::createSchema).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void aSessionsHistoryIsReadFromTheGivenTimeOn() throws SQLException {
        try (AccountingLedger ledger = new AccountingLedger(h2("e"))) {
            ledger.createSchema();
            ledger.append(List.of(entryAt(1_000, AccountingStatus.START, "S6", 0, 0),
                    entryAt(2_000, AccountingStatus.INTERIM, "S6", 10, 10),
                    entryAt(2_000, AccountingStatus.INTERIM, "S7", 10, 10),
                    entryAt(3_000, AccountingStatus.STOP, "S6", 20, 20)));
            assertThat(ledger.session("10.0.0.7", "S6", 0)).hasSize(3);
            assertThat(ledger.session("10.0.0.7", "S6", 2_000)).extracting(AccountingRecord::status)
                    .containsExactly(AccountingStatus.INTERIM, AccountingStatus.STOP);
            assertThat(ledger.session("10.0.0.8", "S6", 0)).isEmpty();
        }
    }

    @Test
    void aBoundedHistoryReadReturnsTheOldestRecordsUpToItsLimit() throws SQLException {
        try (AccountingLedger ledger = new AccountingLedger(h2("limit"))) {
            ledger.createSchema();
            ledger.append(List.of(entryAt(1_000, AccountingStatus.START, "S8", 0, 0),
                    entryAt(2_000, AccountingStatus.INTERIM, "S8", 10, 10),
                    entryAt(3_000, AccountingStatus.INTERIM, "S8", 20, 20),
                    entryAt(4_000, AccountingStatus.STOP, "S8", 30, 30)));
            AccountingLedger.ReadLimits two = new AccountingLedger.ReadLimits(2, Duration.ofSeconds(5));
            assertThat(ledger.session("10.0.0.7", "S8", 0, two)).extracting(AccountingRecord::receivedAtMillis)
                    .containsExactly(1_000L, 2_000L);
            assertThat(ledger.session("10.0.0.7", "S8", 0, AccountingLedger.ReadLimits.NONE)).hasSize(4);
        }
    }

    @Test
    void aBoundedHistoryReadAsksTheDatabaseForItsTimeLimit() throws SQLException {
        JdbcDataSource h2 = h2("timeout");
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        // The driver enforces the limit (H2 and PostgreSQL cancel the statement); what is ours is to ask for it.
        DataSource recording = recordingStatementLimits(h2, asked);
        try (AccountingLedger ledger = new AccountingLedger(recording)) {
            ledger.createSchema();
            ledger.append(List.of(entryAt(1_000, AccountingStatus.START, "S9", 0, 0)));
            asked.clear();
            ledger.session("10.0.0.7", "S9", 0, new AccountingLedger.ReadLimits(100, Duration.ofSeconds(7)));
            assertThat(asked).containsExactly("setMaxRows 100", "setQueryTimeout 7");
            asked.clear();
            ledger.session("10.0.0.7", "S9", 0);
            assertThat(asked).containsExactly("setMaxRows 0", "setQueryTimeout 0");
        }
    }

    @Test
    void negativeReadLimitsAreRefused() {
        assertThatThrownBy(() -> new AccountingLedger.ReadLimits(-1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AccountingLedger.ReadLimits(1, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The data source, its prepared statements noting the limits set on them. */
    private static DataSource recordingStatementLimits(DataSource target, List<String> asked) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (p, m, a) -> {
                    Object result = invoke(target, m, a);
                    return m.getName().equals("getConnection") ? recordingConnection((Connection) result, asked)
                            : result;
                });
    }

    private static Connection recordingConnection(Connection target, List<String> asked) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (p, m, a) -> {
                    Object result = invoke(target, m, a);
                    if (!m.getName().equals("prepareStatement")) {
                        return result;
                    }
                    PreparedStatement statement = (PreparedStatement) result;
                    return Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                            new Class<?>[] {PreparedStatement.class}, (ps, sm, sa) -> {
                                if (sm.getName().equals("setMaxRows") || sm.getName().equals("setQueryTimeout")) {
                                    asked.add(sm.getName() + " " + sa[0]);
                                }
                                return invoke(statement, sm, sa);
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void aDatabaseOfAnEarlierVersionLosesTheSessionIndexAndKeepsItsRows() throws SQLException {
        JdbcDataSource ds = h2("f");
        try (AccountingLedger today = new AccountingLedger(ds)) {
            today.createSchema(); // the table has not changed; only its indexes did
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            // Turn it into what versions before 2026-12 created: a session index, an IMSI index, no time index.
            s.execute("DROP INDEX accounting_record_received");
            s.execute("CREATE INDEX accounting_record_session ON accounting_record (nas_ip, acct_session_id)");
            s.execute("CREATE INDEX accounting_record_imsi ON accounting_record (imsi)");
            s.execute("INSERT INTO accounting_record (received_at_ms, status_type, nas_ip, acct_session_id,"
                    + " input_octets, output_octets, input_packets, output_packets, session_time_s, terminate_cause)"
                    + " VALUES (5, 1, '10.0.0.7', 'OLD', 0, 0, 0, 0, 0, 0)");
        }
        try (AccountingLedger ledger = new AccountingLedger(ds)) {
            assertThat(ledger.createSchema()).containsExactly(
                    "index accounting_record_received created",
                    "index accounting_record_session dropped (replaced by accounting_record_received)");
            assertThat(ledger.createSchema()).as("a second start changes nothing").isEmpty();
            assertThat(ledger.session("10.0.0.7", "OLD", 0)).hasSize(1);
            try (Connection c = ds.getConnection()) {
                assertThat(AccountingLedger.hasIndex(c, "accounting_record_session")).isFalse();
                assertThat(AccountingLedger.hasIndex(c, "accounting_record_received")).isTrue();
                assertThat(AccountingLedger.hasIndex(c, "accounting_record_imsi"))
                        .as("an index the operator may rely on is left alone").isTrue();
            }
        }
    }

    @Test
    void aNewDatabaseStartsWithTheTimeIndexOnly() throws SQLException {
        JdbcDataSource ds = h2("g");
        try (AccountingLedger ledger = new AccountingLedger(ds)) {
            assertThat(ledger.createSchema()).as("nothing to report for a new table").isEmpty();
            try (Connection c = ds.getConnection()) {
                assertThat(AccountingLedger.hasIndex(c, "accounting_record_received")).isTrue();
                assertThat(AccountingLedger.hasIndex(c, "accounting_record_session")).isFalse();
            }
        }
    }

    /** The point of the time index: both reads walk a time range, not the table (H2's own plan says which). */
    @Test
    void theReadsWalkTheTimeIndex() throws SQLException {
        JdbcDataSource ds = h2("h");
        try (AccountingLedger ledger = new AccountingLedger(ds)) {
            ledger.createSchema();
            for (String sql : List.of(AccountingLedger.SESSION_SQL, AccountingLedger.LATEST_PER_SESSION_SQL)) {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                     ResultSet plan = s.executeQuery("EXPLAIN " + sql.replaceFirst("\\?", "1000")
                             .replace("?", "'x'"))) {
                    plan.next();
                    assertThat(plan.getString(1)).as(sql).containsIgnoringCase("ACCOUNTING_RECORD_RECEIVED");
                }
            }
        }
    }

    /** Two nodes upgrading one database at once: the one that loses the race to a change carries on. */
    @Test
    void anIndexChangeAnotherNodeMadeFirstIsNoError() throws SQLException {
        JdbcDataSource ds = h2("i");
        try (AccountingLedger ledger = new AccountingLedger(ds)) {
            ledger.createSchema();
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            // The other node created the time index between our check and our statement: ours fails, as a plain
            // CREATE INDEX does here; the index is there, so nothing is wrong.
            assertThat(AccountingLedger.changed(c, s, "CREATE INDEX accounting_record_received ON accounting_record"
                    + " (received_at_ms)", "accounting_record_received", true)).isFalse();
            // It dropped the old index first: our DROP fails, the index is gone as wanted.
            assertThat(AccountingLedger.changed(c, s, "DROP INDEX accounting_record_session",
                    "accounting_record_session", false)).isFalse();
            // A failure that leaves the index not as wanted is an error.
            assertThatThrownBy(() -> AccountingLedger.changed(c, s, "CREATE INDEX accounting_record_other ON"
                    + " accounting_record (no_such_column)", "accounting_record_other", true))
                    .isInstanceOf(SQLException.class);
            assertThat(AccountingLedger.changed(c, s, "CREATE INDEX accounting_record_other ON accounting_record"
                    + " (imsi)", "accounting_record_other", true)).isTrue();
        }
    }

    /**
     * H2 writes its identity sequence's high-water mark in a commit of its own, a file chunk each: with its default
     * cache of 32 a batch of 1,000 rows took 33 chunk writes (measured: info.FILE_WRITE 5 -> 38), with the ledger's
     * cache 2. Ids still follow insertion order, also across a restart of the database.
     */
    @Test
    void aBatchIsOneChunkWriteNotOnePerThirtyTwoIds() throws SQLException {
        JdbcDataSource ds = h2("seq");
        try (AccountingLedger ledger = new AccountingLedger(ds, false)) {
            ledger.createSchema();
            try (Connection c = ds.getConnection()) {
                assertThat(AccountingLedger.h2IdCache(c)).isEqualTo(AccountingLedger.H2_ID_CACHE);
            }
            List<LedgerEntry> batch = new java.util.ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                batch.add(entry(AccountingStatus.INTERIM, "S" + i, i, i));
            }
            ledger.append(batch.subList(0, 1)); // the writer's connection opened, its first chunk written
            long before = fileWrites(ds);
            ledger.append(batch);
            assertThat(fileWrites(ds) - before).as("file writes for one batch of 1,000 rows").isLessThanOrEqualTo(4);
        }
        try (AccountingLedger reopened = new AccountingLedger(ds, false)) {
            assertThat(reopened.createSchema()).as("already set: nothing to report").isEmpty();
            reopened.append(List.of(entry(AccountingStatus.STOP, "LAST", 1, 1)));
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT acct_session_id FROM accounting_record ORDER BY id DESC LIMIT 2")) {
                r.next();
                assertThat(r.getString(1)).as("the newest row has the highest id").isEqualTo("LAST");
                r.next();
                assertThat(r.getString(1)).isEqualTo("S999");
            }
        }
    }

    @Test
    void anExistingTableGetsTheIdentityCacheOnce() throws SQLException {
        JdbcDataSource ds = h2("seq-old");
        try (AccountingLedger ledger = new AccountingLedger(ds)) {
            ledger.createSchema();
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE accounting_record ALTER COLUMN id SET CACHE 32"); // as earlier versions made it
        }
        try (AccountingLedger ledger = new AccountingLedger(ds)) {
            assertThat(ledger.createSchema()).containsExactly("identity cache of id set to " + AccountingLedger.H2_ID_CACHE);
            assertThat(ledger.createSchema()).isEmpty();
        }
    }

    private static long fileWrites(JdbcDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME = 'info.FILE_WRITE'")) {
            r.next();
            return Long.parseLong(r.getString(1));
        }
    }
}
