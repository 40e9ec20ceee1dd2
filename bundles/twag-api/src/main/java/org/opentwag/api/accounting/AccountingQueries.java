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
     * session lifetimes.
     */
    List<AccountingRecord> history(String nasIp, String acctSessionId);

    /**
     * Records stored (durable) since the node started, for operators and tests: accounting_records_stored_count,
     * which continues across a bundle:update of accounting while the state store bundle keeps it.
     */
    long storedRecords();
}
