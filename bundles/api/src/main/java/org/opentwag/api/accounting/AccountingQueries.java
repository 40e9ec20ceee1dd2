package org.opentwag.api.accounting;

import java.util.List;
import java.util.Optional;

/** Read side of accounting for the shell, the dashboard and the charging core. Served by the accounting bundle. */
public interface AccountingQueries {

    /** Open sessions, most recently updated first, at most {@code limit}. */
    List<AccountingSession> openSessions(int limit);

    /**
     * Sessions still known, open and recently closed, most recently updated first, at most {@code limit} (the guide's
     * "Client Usage" view). Implementations that keep no closed sessions answer with the open ones.
     */
    default List<AccountingSession> recentSessions(int limit) {
        return openSessions(limit);
    }

    /** The latest state of one session, open or closed, if still known. */
    Optional<AccountingSession> session(String nasIp, String acctSessionId);

    /** Every access point seen, most recently seen first. */
    List<AccessPoint> accessPoints();

    Optional<AccessPoint> accessPoint(String nasIp);

    /**
     * The stored records of one session, oldest first, read back from the database (support calls, tests). Reads
     * are bounded by time: from the session's start while it is still known, otherwise over the open plus closed
     * session lifetimes; and by size and time: at most {@link #historyMaxRecords()} records (the oldest), and the
     * database may take a configured time.
     *
     * @throws IllegalStateException when the database failed or did not answer in that time (never an empty list
     *                               for a read that did not happen)
     */
    List<AccountingRecord> history(String nasIp, String acctSessionId);

    /** The most records {@link #history} returns; 0 for no bound. A full list may have more stored after it. */
    default int historyMaxRecords() {
        return 0;
    }

    /**
     * Records stored (durable) since the node started, for operators and tests: accounting_records_stored_count,
     * which continues across a bundle:update of accounting while the state store bundle keeps it.
     */
    long storedRecords();
}
