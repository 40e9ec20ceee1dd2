package org.opentwag.accounting.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.api.accounting.AccountingStatus;
import org.opentwag.api.charging.Usage;
import org.opentwag.state.memory.InMemoryStateStore;

class SessionBookTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InMemoryStateStore store = new InMemoryStateStore(100, now::get);
    private final SessionBook book = new SessionBook(store, now::get, new SessionBook.Lifetimes(
            Duration.ofHours(48), Duration.ofHours(1), Duration.ofDays(7)), java.util.List::of);

    private AccountingRecord record(AccountingStatus status, String nas, String session, long in, long out, long t) {
        return new AccountingRecord(status, now.get(), nas, null, session, "u@realm", "001010000000001", null,
                "64-D9-89-1D-A4-20:ONS", "86-81-69-A7-B4-B2", null, new Usage(in, out, 0, 0, t),
                status == AccountingStatus.STOP ? 1 : 0);
    }

    @Test
    void startInterimStopTellsTheSessionsLifeAndUsage() {
        book.apply(record(AccountingStatus.START, "10.0.0.7", "S1", 0, 0, 0));
        now.addAndGet(60_000);
        book.apply(record(AccountingStatus.INTERIM, "10.0.0.7", "S1", 1000, 2000, 60));
        AccountingSession s = book.session("10.0.0.7", "S1").orElseThrow();
        assertThat(s.open()).isTrue();
        assertThat(s.startedAtMillis()).isEqualTo(1_000_000);
        assertThat(s.usage().totalOctets()).isEqualTo(3000);
        assertThat(book.openSessions(10)).hasSize(1);

        now.addAndGet(60_000);
        book.apply(record(AccountingStatus.STOP, "10.0.0.7", "S1", 1500, 2500, 120));
        s = book.session("10.0.0.7", "S1").orElseThrow();
        assertThat(s.open()).isFalse();
        assertThat(s.terminateCause()).isEqualTo(1);
        assertThat(s.usage().totalOctets()).isEqualTo(4000);
        assertThat(book.openSessions(10)).isEmpty();
        assertThat(book.recentSessions(10)).hasSize(1);
    }

    @Test
    void aMissedStartIsInferredFromTheSessionTime() {
        book.apply(record(AccountingStatus.INTERIM, "10.0.0.7", "S2", 10, 10, 300));
        assertThat(book.session("10.0.0.7", "S2").orElseThrow().startedAtMillis()).isEqualTo(1_000_000 - 300_000);
    }

    @Test
    void aLateInterimDoesNotShrinkUsage() {
        book.apply(record(AccountingStatus.INTERIM, "10.0.0.7", "S3", 5000, 5000, 120));
        book.apply(record(AccountingStatus.INTERIM, "10.0.0.7", "S3", 100, 100, 60));
        assertThat(book.session("10.0.0.7", "S3").orElseThrow().usage().totalOctets()).isEqualTo(10_000);
    }

    @Test
    void accountingOnClosesOnlyThatAccessPointsSessions() {
        book.apply(record(AccountingStatus.START, "10.0.0.7", "A", 0, 0, 0));
        book.apply(record(AccountingStatus.START, "10.0.0.7", "B", 0, 0, 0));
        book.apply(record(AccountingStatus.START, "10.0.0.8", "C", 0, 0, 0));
        assertThat(book.apply(record(AccountingStatus.ACCOUNTING_ON, "10.0.0.7", null, 0, 0, 0))).hasSize(2);
        assertThat(book.openSessions(10)).extracting(AccountingSession::acctSessionId).containsExactly("C");
        assertThat(book.session("10.0.0.7", "A").orElseThrow().terminateCause()).isEqualTo(11);
    }

    @Test
    void theSameSessionIdOnTwoAccessPointsIsTwoSessions() {
        book.apply(record(AccountingStatus.START, "10.0.0.7", "X", 0, 0, 0));
        book.apply(record(AccountingStatus.START, "10.0.0.8", "X", 0, 0, 0));
        assertThat(book.openSessionCount()).isEqualTo(2);
    }

    @Test
    void anAccessPointIsRegisteredOnceAndKeepsWhatItToldBefore() {
        assertThat(book.accessPointSeen("10.0.0.7", "ap-7", "64-D9-89-1D-A4-20:ONS", 19, 1400)).isTrue();
        now.addAndGet(5_000);
        assertThat(book.accessPointSeen("10.0.0.7", null, null, 0, 0)).isFalse();
        book.apply(record(AccountingStatus.START, "10.0.0.7", "S", 0, 0, 0));
        AccessPoint ap = book.accessPoints().get(0);
        assertThat(ap.apMac()).isEqualTo("64-D9-89-1D-A4-20");
        assertThat(ap.ssid()).isEqualTo("ONS");
        assertThat(ap.nasIdentifier()).isEqualTo("ap-7");
        assertThat(ap.framedMtu()).isEqualTo(1400);
        assertThat(ap.nasPortType()).isEqualTo(19);
        assertThat(ap.firstSeenMillis()).isEqualTo(1_000_000);
        assertThat(ap.lastSeenMillis()).isEqualTo(1_005_000);
        assertThat(ap.clientCount()).isEqualTo(1);
        assertThat(book.accessPointCount()).isEqualTo(1);
    }

    @Test
    void anAccessPointsRowIsRewrittenAtMostOnceASecond() {
        book.accessPointSeen("10.0.0.7", "ap-7", "64-D9-89-1D-A4-20:ONS", 19, 1400);
        now.addAndGet(999);
        book.accessPointSeen("10.0.0.7", "ap-7", "64-D9-89-1D-A4-20:GUEST", 19, 1400);
        assertThat(book.accessPoints().get(0).ssid()).as("within the second").isEqualTo("ONS");
        assertThat(book.accessPoints().get(0).lastSeenMillis()).isEqualTo(1_000_000);
        now.addAndGet(1);
        book.accessPointSeen("10.0.0.7", "ap-7", "64-D9-89-1D-A4-20:GUEST", 19, 1400);
        assertThat(book.accessPoints().get(0).ssid()).isEqualTo("GUEST");
        assertThat(book.accessPoints().get(0).lastSeenMillis()).isEqualTo(1_001_000);
    }

    @Test
    void withinTheSecondARequestThatNamesWhatTheRowLacksStillFillsIt() {
        book.accessPointSeen("10.0.0.7", null, null, 19, 1400); // an Access-Request without Called-Station-Id
        now.addAndGet(200);
        book.accessPointSeen("10.0.0.7", "ap-7", "64-D9-89-1D-A4-20:ONS", 19, 1400); // the accounting Start
        AccessPoint ap = book.accessPoints().get(0);
        assertThat(ap.apMac()).isEqualTo("64-D9-89-1D-A4-20");
        assertThat(ap.ssid()).isEqualTo("ONS");
        assertThat(ap.nasIdentifier()).isEqualTo("ap-7");
        assertThat(ap.firstSeenMillis()).isEqualTo(1_000_000);
        now.addAndGet(200);
        book.accessPointSeen("10.0.0.7", null, null, 19, 1400);
        assertThat(book.accessPoints().get(0).lastSeenMillis()).as("nothing new: not rewritten")
                .isEqualTo(1_000_200);
    }
}
