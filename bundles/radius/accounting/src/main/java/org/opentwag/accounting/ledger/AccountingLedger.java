package org.opentwag.accounting.ledger;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingStatus;
import org.opentwag.api.charging.Usage;

/**
 * The durable accounting table. Plain JDBC with SQL that H2 and PostgreSQL both accept, so production moves to
 * PostgreSQL by changing the data source only. Not thread-safe: one thread appends (the {@link GroupCommitWriter}'s
 * writer), one other may {@link #sync} (its flusher), each on a connection of its own.
 */
public final class AccountingLedger implements AutoCloseable {

    private static final String TABLE = "accounting_record";
    private static final String INSERT = "INSERT INTO " + TABLE + " (received_at_ms, status_type, nas_ip,"
            + " nas_identifier, acct_session_id, user_name, imsi, auth_session_id, called_station_id,"
            + " calling_station_id, framed_ip, input_octets, output_octets, input_packets, output_packets,"
            + " session_time_s, terminate_cause, chargeable_user_identity) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    private static final String COLUMNS = "received_at_ms, status_type, nas_ip, nas_identifier, acct_session_id,"
            + " user_name, imsi, auth_session_id, called_station_id, calling_station_id, framed_ip, input_octets,"
            + " output_octets, input_packets, output_packets, session_time_s, terminate_cause, chargeable_user_identity";

    static final String SESSION_SQL = "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE received_at_ms >= ?"
            + " AND nas_ip = ? AND acct_session_id = ? ORDER BY id";
    static final String LATEST_PER_SESSION_SQL = "SELECT " + COLUMNS + " FROM " + TABLE + " r WHERE r.id IN"
            + " (SELECT MAX(id) FROM " + TABLE + " WHERE received_at_ms >= ? AND acct_session_id IS NOT NULL"
            + " GROUP BY nas_ip, acct_session_id) ORDER BY r.id";
    static final String TIME_INDEX = "accounting_record_received";
    /** Chargeable-User-Identity (RFC 4372), a column tables made by earlier versions lack: see {@link #createSchema()}. */
    static final String CUI_COLUMN = "chargeable_user_identity";
    /**
     * Identity values H2 hands out between two writes of its sequence (H2's default is 32). H2 writes a sequence's
     * new high-water mark in a commit of its own, and with WRITE_DELAY=0 each commit stores a chunk of the file: at
     * 32 that was 16 extra chunks per 512-row batch, a third of the writer's CPU per record (bench/README, "Where a
     * durable Accounting-Request goes"). One H2 database has one sequence object, so ids still follow insertion order;
     * a crash may skip up to this many ids (never reuse one). Not used for PostgreSQL, whose cache is per
     * connection: the nodes of a cluster would then hand out ids out of insertion order, and a session's history is
     * read in id order.
     */
    static final long H2_ID_CACHE = 100_000;
    /** The (nas_ip, acct_session_id) index of versions before 2026-12: see {@link #createSchema()}. */
    static final String OLD_SESSION_INDEX = "accounting_record_session";

    private final DataSource dataSource;
    private final boolean syncToDisk;
    private volatile StableStorage storage;
    private Connection writer;
    /** The flusher's connection; the writer closes it too when its own broke (see {@link #append}). */
    private final Object syncLock = new Object();
    private Connection syncer;

    /** A ledger whose {@link #append} returns only once the records are on stable storage. */
    public AccountingLedger(DataSource dataSource) {
        this(dataSource, true);
    }

    /**
     * @param syncToDisk true: {@link #append} returns once the batch is on stable storage (see {@link StableStorage});
     *                   false: once the database committed it, which for H2 means the OS page cache (benchmarks, labs)
     */
    public AccountingLedger(DataSource dataSource, boolean syncToDisk) {
        this.dataSource = dataSource;
        this.syncToDisk = syncToDisk;
    }

    /**
     * Opens the writer's connection, which stays open until {@link #close}: call it before anything else. An embedded
     * H2 database closes when its last connection does (compacting its file) and is read again by the next, so
     * without it each short-lived connection of the opening steps ({@link #createSchema}, {@link #count}, the
     * restore of open sessions) would close and reopen the whole database (an in-memory one would be gone).
     */
    public void open() throws SQLException {
        writerConnection();
    }

    /** Which database this is, as far as forcing commits to disk goes (known once a connection was opened). */
    public StableStorage storage() throws SQLException {
        writerConnection();
        return storage;
    }

    /**
     * Whether commits need a {@link #sync} to be on stable storage: H2 with syncToDisk. (PostgreSQL's commit already
     * waits for its WAL flush; false when syncToDisk is off.)
     */
    public boolean needsSync() throws SQLException {
        return syncToDisk && storage() == StableStorage.H2;
    }

    /**
     * Forces everything committed before the call to stable storage (when syncToDisk), on a connection of its own so
     * that the next batch can be written meanwhile. Also called once at start, so that the schema is durable and a
     * database user that may not do it (H2's CHECKPOINT SYNC needs ADMIN) is found at once, not on every batch.
     */
    public void sync() throws SQLException {
        if (!syncToDisk) {
            return;
        }
        synchronized (syncLock) {
            if (syncer == null || syncer.isClosed()) {
                syncer = dataSource.getConnection();
            }
            try {
                StableStorage.of(syncer).afterCommit(syncer);
            } catch (SQLException e) {
                closeSyncer();
                throw e;
            }
        }
    }

    private void closeSyncer() {
        synchronized (syncLock) {
            if (syncer != null) {
                try {
                    syncer.close();
                } catch (SQLException ignored) {
                    // a broken connection is dropped either way
                }
                syncer = null;
            }
        }
    }

    /**
     * Creates the table on first use; an existing table (and its rows) is kept. The only secondary index is on the
     * receive time: rows arrive in time order, so its inserts land on the last leaf, and the reads (a session's
     * history, the open sessions at start) are bounded by time. An index keyed by session, which earlier versions
     * created, put each Interim-Update on a random leaf of a tree as large as the table: the single writer spent more
     * than half of its time per record there (bench/README, "Accounting store"). It is dropped on upgrade. An IMSI
     * index, which nothing here reads, cost a quarter of the writer's time per record: databases created by older
     * versions keep theirs; an operator drops it with {@code DROP INDEX IF EXISTS accounting_record_imsi}, or adds
     * one when their own reports query by IMSI.
     *
     * @return what changed in an existing table (empty when nothing did, or the table is new), for the log
     */
    public List<String> createSchema() throws SQLException {
        List<String> changes = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            boolean existing = hasIndex(c, "");
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                    + "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                    + "received_at_ms BIGINT NOT NULL, status_type INTEGER NOT NULL, nas_ip VARCHAR(64) NOT NULL,"
                    + "nas_identifier VARCHAR(253), acct_session_id VARCHAR(253), user_name VARCHAR(253),"
                    + "imsi VARCHAR(15), auth_session_id VARCHAR(64), called_station_id VARCHAR(253),"
                    + "calling_station_id VARCHAR(253), framed_ip VARCHAR(64), input_octets BIGINT NOT NULL,"
                    + "output_octets BIGINT NOT NULL, input_packets BIGINT NOT NULL, output_packets BIGINT NOT NULL,"
                    + "session_time_s BIGINT NOT NULL, terminate_cause INTEGER NOT NULL,"
                    + "chargeable_user_identity VARCHAR(253))");
            if (existing && addColumn(c, s, CUI_COLUMN, "VARCHAR(253)")) {
                changes.add("column " + CUI_COLUMN + " added");
            }
            if (!hasIndex(c, TIME_INDEX)
                    && changed(c, s, "CREATE INDEX IF NOT EXISTS " + TIME_INDEX + " ON " + TABLE + " (received_at_ms)",
                    TIME_INDEX, true) && existing) {
                changes.add("index " + TIME_INDEX + " created");
            }
            if (hasIndex(c, OLD_SESSION_INDEX)
                    && changed(c, s, "DROP INDEX IF EXISTS " + OLD_SESSION_INDEX, OLD_SESSION_INDEX, false)) {
                changes.add("index " + OLD_SESSION_INDEX + " dropped (replaced by " + TIME_INDEX + ")");
            }
            if (StableStorage.of(c) == StableStorage.H2 && h2IdCache(c) < H2_ID_CACHE) {
                s.execute("ALTER TABLE " + TABLE + " ALTER COLUMN id SET CACHE " + H2_ID_CACHE);
                if (existing) {
                    changes.add("identity cache of id set to " + H2_ID_CACHE);
                }
            }
        }
        return changes;
    }

    /** How many ids H2 hands out between two writes of the table's identity sequence. */
    static long h2IdCache(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT IDENTITY_CACHE FROM"
                + " INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = SCHEMA() AND TABLE_NAME = '"
                + TABLE.toUpperCase(Locale.ROOT) + "' AND COLUMN_NAME = 'ID'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * Adds a column a table made by an earlier version lacks. Another node sharing the database may add it at the
     * same moment: that is no error when the column is there afterwards.
     *
     * @return true when this node added it
     */
    static boolean addColumn(Connection c, Statement s, String column, String type) throws SQLException {
        if (hasColumn(c, column)) {
            return false;
        }
        try {
            s.execute("ALTER TABLE " + TABLE + " ADD COLUMN IF NOT EXISTS " + column + " " + type);
            return true;
        } catch (SQLException e) {
            if (hasColumn(c, column)) {
                return false;
            }
            throw e;
        }
    }

    private static boolean hasColumn(Connection c, String column) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        boolean upper = meta.storesUpperCaseIdentifiers();
        try (ResultSet rs = meta.getColumns(null, null, upper ? TABLE.toUpperCase(Locale.ROOT) : TABLE,
                upper ? column.toUpperCase(Locale.ROOT) : column)) {
            return rs.next();
        }
    }

    /**
     * Runs one index change. Cluster nodes upgraded together share the database, so another node may make the same
     * change at the same moment and ours fail (PostgreSQL's IF [NOT] EXISTS does not cover a concurrent one): that
     * is no error when the index is now as wanted.
     *
     * @return true when this node made the change, false when another node had
     */
    static boolean changed(Connection c, Statement s, String ddl, String index, boolean wanted)
            throws SQLException {
        try {
            s.execute(ddl);
            return true;
        } catch (SQLException e) {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            if (hasIndex(c, index) == wanted) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Whether the table has the named index (any index, for an empty name: the table exists, as its primary key is
     * one); JDBC metadata, which H2 keeps in upper case and PostgreSQL in lower. Approximate: an exact answer carries
     * each index's exact row count, which H2 computes by walking the index (measured: 4-8 s per call on a table of
     * 1.5 million records, three calls per open, while the Accounting-Requests that arrived meanwhile wait unanswered).
     */
    static boolean hasIndex(Connection c, String index) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        String table = meta.storesUpperCaseIdentifiers() ? TABLE.toUpperCase(Locale.ROOT) : TABLE;
        try (ResultSet rs = meta.getIndexInfo(null, null, table, false, true)) {
            while (rs.next()) {
                if (index.isEmpty() || index.equalsIgnoreCase(rs.getString("INDEX_NAME"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Stores every entry in one transaction: all are committed when this returns (on stable storage once a later
     * {@link #sync} returned, when {@link #needsSync}), none when it throws.
     */
    public void append(List<LedgerEntry> entries) throws SQLException {
        Connection c = writerConnection();
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            for (LedgerEntry e : entries) {
                bind(insert, e);
                insert.addBatch();
            }
            insert.executeBatch();
            c.commit();
        } catch (SQLException e) {
            // A broken connection must not poison later batches: roll back, drop it, open a new one next time. The
            // flusher's goes too: an embedded H2 database stays open (and its file locked) while any connection is,
            // so after a failure such as a full disk only closing both lets the next batch open it afresh.
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is gone anyway
            }
            closeWriter();
            closeSyncer();
            throw e;
        }
    }

    /** Rows stored in the table (all time). */
    public long count() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The stored records of one session received since {@code sinceMillis}, oldest first. The time bound is what
     * makes this cheap: it reads the rows of that window (through the time index), not the whole table.
     */
    public List<AccountingRecord> session(String nasIp, String acctSessionId, long sinceMillis) throws SQLException {
        return session(nasIp, acctSessionId, sinceMillis, ReadLimits.NONE);
    }

    /**
     * Like {@link #session(String, String, long)}, within limits: at most {@code limits.maxRecords()} records (the
     * oldest), and the database gives up after {@code limits.timeout()} (an SQLException, e.g. H2's
     * SQLTimeoutException or PostgreSQL's "canceling statement due to statement timeout").
     */
    public List<AccountingRecord> session(String nasIp, String acctSessionId, long sinceMillis, ReadLimits limits)
            throws SQLException {
        return query(SESSION_SQL, limits, sinceMillis, nasIp, acctSessionId);
    }

    /**
     * Bounds of a read an operator starts (shell, REST): the number of records and the time the database may take,
     * so that a question about a session long gone cannot keep a connection and a core busy for minutes.
     *
     * @param maxRecords at most this many records (0 = no bound)
     * @param timeout    the statement's time limit, whole seconds (zero = none)
     */
    public record ReadLimits(int maxRecords, java.time.Duration timeout) {
        public static final ReadLimits NONE = new ReadLimits(0, java.time.Duration.ZERO);

        public ReadLimits {
            if (maxRecords < 0 || timeout.isNegative()) {
                throw new IllegalArgumentException("read limits must not be negative");
            }
        }
    }

    /** The newest record of each session heard from since {@code sinceMillis}, to rebuild open sessions on start. */
    public List<AccountingRecord> latestPerSessionSince(long sinceMillis) throws SQLException {
        return query(LATEST_PER_SESSION_SQL, ReadLimits.NONE, sinceMillis);
    }

    private List<AccountingRecord> query(String sql, ReadLimits limits, Object... args) throws SQLException {
        List<AccountingRecord> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setMaxRows(limits.maxRecords());
            q.setQueryTimeout((int) Math.min(Integer.MAX_VALUE, limits.timeout().toSeconds()));
            for (int i = 0; i < args.length; i++) {
                q.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    private static AccountingRecord read(ResultSet rs) throws SQLException {
        return new AccountingRecord(AccountingStatus.of(rs.getInt(2)), rs.getLong(1), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9), rs.getString(10), rs.getString(11),
                new Usage(rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getLong(16)),
                rs.getInt(17), rs.getString(18));
    }

    private static void bind(PreparedStatement p, LedgerEntry e) throws SQLException {
        AccountingRecord r = e.record();
        Usage u = r.usage();
        p.setLong(1, r.receivedAtMillis());
        p.setInt(2, e.statusType());
        p.setString(3, r.nasIp());
        text(p, 4, r.nasIdentifier());
        text(p, 5, r.acctSessionId());
        text(p, 6, r.userName());
        text(p, 7, r.imsi());
        text(p, 8, r.authSessionId());
        text(p, 9, r.calledStationId());
        text(p, 10, r.callingStationId());
        text(p, 11, r.framedIp());
        p.setLong(12, u.inputOctets());
        p.setLong(13, u.outputOctets());
        p.setLong(14, u.inputPackets());
        p.setLong(15, u.outputPackets());
        p.setLong(16, u.sessionTimeSeconds());
        p.setInt(17, r.terminateCause());
        text(p, 18, r.chargeableUserIdentity());
    }

    private static void text(PreparedStatement p, int index, String value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.VARCHAR);
        } else {
            p.setString(index, value);
        }
    }

    private Connection writerConnection() throws SQLException {
        if (writer == null || writer.isClosed()) {
            writer = dataSource.getConnection();
            writer.setAutoCommit(false);
            storage = StableStorage.of(writer);
            if (syncToDisk) {
                storage.onConnect(writer);
                writer.commit(); // PostgreSQL: a SET inside a transaction holds only once committed
            }
        }
        return writer;
    }

    private void closeWriter() {
        if (writer != null) {
            try {
                writer.close();
            } catch (SQLException ignored) {
                // closing a broken connection may fail; it is dropped either way
            }
            writer = null;
        }
    }

    @Override
    public void close() {
        closeWriter();
        closeSyncer();
    }
}
