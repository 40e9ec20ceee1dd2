package org.opentwag.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.api.charging.Usage;

class HistoryCommandTest {

    private static AccountingSession session(String id, String nasIp, boolean open) {
        return new AccountingSession(id, nasIp, "user@realm", "001010000000001", null, null, null, 1, 2, Usage.NONE,
                open, 0);
    }

    /** The sessions still known: open ones and recently stopped ones. */
    private static AccountingQueries known(List<AccountingSession> sessions) {
        return new AccountingQueries() {
            @Override
            public List<AccountingSession> openSessions(int limit) {
                return sessions.stream().filter(AccountingSession::open).limit(limit).toList();
            }

            @Override
            public List<AccountingSession> recentSessions(int limit) {
                return sessions.stream().limit(limit).toList();
            }

            @Override
            public Optional<AccountingSession> session(String nasIp, String acctSessionId) {
                return Optional.empty();
            }

            @Override
            public List<AccessPoint> accessPoints() {
                return List.of();
            }

            @Override
            public Optional<AccessPoint> accessPoint(String nasIp) {
                return Optional.empty();
            }

            @Override
            public List<AccountingRecord> history(String nasIp, String acctSessionId) {
                return List.of();
            }

            @Override
            public long storedRecords() {
                return 0;
            }
        };
    }

    @Test
    void theAccessPointComesFromTheSessionsStillKnownStoppedOnesIncluded() {
        AccountingQueries q = known(List.of(session("A1", "10.0.0.1", true), session("B2", "10.0.0.2", false),
                session("S", "10.0.0.3", true), session("S", "10.0.0.4", false)));
        assertThat(HistoryCommand.accessPointsOf(q, "A1")).containsExactly("10.0.0.1");
        assertThat(HistoryCommand.accessPointsOf(q, "B2")).containsExactly("10.0.0.2");
        assertThat(HistoryCommand.accessPointsOf(q, "S")).containsExactly("10.0.0.3", "10.0.0.4");
        assertThat(HistoryCommand.accessPointsOf(q, "gone")).isEmpty();
    }
}
