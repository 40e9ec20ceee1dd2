package org.opentwag.trace.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.trace.AuthAttempt;
import org.opentwag.api.trace.RejectReason;
import org.opentwag.api.trace.Rejection;
import org.opentwag.api.trace.TraceStep;

class TraceBookTest {

    private static final NasContext AP = new NasContext("10.0.0.1", "ap-1", "AA-BB:ssid", "11-22");

    @Test
    void keepsEachSubscribersAttemptsStepByStepUnderIdentityAndImsi() {
        TraceBook book = new TraceBook(100, 10, 100, TraceBook.MIN_JOURNAL_BYTES);
        book.started("c1", "0001010000000001@realm", AP, 1000);
        book.imsi("c1", "001010000000001");
        book.step("c1", new TraceStep(1001, TraceStep.Kind.CHALLENGE_SENT, "AKA-Challenge"));
        book.rejected("c1", Rejection.of(RejectReason.AUTH_MISMATCH, "RES"), 1002);
        book.started("c2", "0001010000000001@realm", AP, 2000);
        book.accepted("c2", 2001);
        book.accounting("001010000000001", null, new TraceStep(3000, TraceStep.Kind.ACCOUNTING_START, "Start"));

        List<AuthAttempt> byImsi = book.attempts("001010000000001");
        assertThat(byImsi).extracting(AuthAttempt::id).containsExactly("c2", "c1");
        assertThat(book.attempts("0001010000000001@realm")).hasSize(2);
        assertThat(byImsi.get(1).outcome()).isEqualTo(AuthAttempt.Outcome.REJECTED);
        assertThat(byImsi.get(1).rejection().reason()).isEqualTo(RejectReason.AUTH_MISMATCH);
        assertThat(byImsi.get(0).steps()).extracting(TraceStep::kind).containsExactly(TraceStep.Kind.ACCOUNTING_START);
        assertThat(book.accessPoints()).singleElement().satisfies(ap -> {
            assertThat(ap.accepts()).isEqualTo(1);
            assertThat(ap.rejects()).isEqualTo(1);
            assertThat(ap.lastRejection().reason()).isEqualTo(RejectReason.AUTH_MISMATCH);
        });
    }

    @Test
    void aPseudonymAndThePermanentIdentityOfOneImsiBecomeOneSubscriber() {
        TraceBook book = new TraceBook(100, 10, 100, TraceBook.MIN_JOURNAL_BYTES);
        book.started("c1", "0001010000000001@realm", AP, 1000);
        book.imsi("c1", "001010000000001");
        book.started("c2", "2pseudonym@realm", AP, 2000);
        book.imsi("c2", "001010000000001");
        assertThat(book.attempts("2pseudonym@realm")).extracting(AuthAttempt::id).containsExactly("c2", "c1");
        assertThat(book.subscribers()).containsExactly("001010000000001");
        // the same once both are over and kept as bytes only
        book.accepted("c1", 1001);
        book.rejected("c2", Rejection.of(RejectReason.AUTH_MISMATCH, "RES"), 2001);
        assertThat(book.runningCount()).isZero();
        assertThat(book.attempts("2pseudonym@realm")).extracting(AuthAttempt::id).containsExactly("c2", "c1");
        assertThat(book.attempts("0001010000000001@realm")).extracting(AuthAttempt::id).containsExactly("c2", "c1");
        assertThat(book.subscribers()).containsExactly("001010000000001");
    }

    @Test
    void anIdentityGivenEarlierInTheConversationFindsTheAttemptToo() {
        TraceBook book = new TraceBook(100, 10, 100, TraceBook.MIN_JOURNAL_BYTES);
        book.started("c1", "2pseudonym@realm", AP, 1000);
        book.started("c1", "0001010000000001@realm", AP, 1001); // AT_IDENTITY: the permanent identity
        book.imsi("c1", "001010000000001");
        book.accepted("c1", 1002);
        assertThat(book.attempts("2pseudonym@realm")).singleElement().satisfies(a -> {
            assertThat(a.identity()).isEqualTo("0001010000000001@realm");
            assertThat(a.nasIdentifier()).isEqualTo("ap-1");
            assertThat(a.callingStationId()).isEqualTo("11-22");
            assertThat(a.outcome()).isEqualTo(AuthAttempt.Outcome.ACCEPTED);
        });
    }

    @Test
    void aFinishedAttemptIsKeptAsBytesWithEveryFieldAndStep() {
        TraceBook book = new TraceBook(100, 10, 100, TraceBook.MIN_JOURNAL_BYTES);
        book.started("c1", "0001010000000001@realm", AP, 1000);
        book.method("c1", "EAP-AKA");
        book.imsi("c1", "001010000000001");
        book.step("c1", new TraceStep(1001, TraceStep.Kind.VECTORS_REQUESTED, "MAR to hss.example"));
        book.step("c1", new TraceStep(1002, TraceStep.Kind.REJECT, "Access-Reject: hss_error(5004): über"));
        book.rejected("c1", new Rejection(RejectReason.HSS_ERROR, 5004, "über"), 1003);
        assertThat(book.runningCount()).isZero();
        AuthAttempt a = book.attempts("001010000000001").get(0);
        assertThat(a).isEqualTo(new AuthAttempt("c1", "0001010000000001@realm", "001010000000001", "EAP-AKA",
                "10.0.0.1", "ap-1", "11-22", 1000, AuthAttempt.Outcome.REJECTED,
                new Rejection(RejectReason.HSS_ERROR, 5004, "über"),
                List.of(new TraceStep(1001, TraceStep.Kind.VECTORS_REQUESTED, "MAR to hss.example"),
                        new TraceStep(1002, TraceStep.Kind.REJECT, "Access-Reject: hss_error(5004): über"))));
    }

    @Test
    void memoryIsBoundedInAttemptsInProgressJournalAttemptsAndSteps() {
        TraceBook book = new TraceBook(50, 3, 100, TraceBook.MIN_JOURNAL_BYTES);
        for (int i = 0; i < 2000; i++) {
            // 200 subscribers once each, then the last one again and again; none finishes
            String id = "0" + (1010000000000L + Math.min(i, 199)) + "@realm";
            book.started("c" + i, id, AP, i);
            for (int s = 0; s < 100; s++) {
                book.step("c" + i, new TraceStep(i, TraceStep.Kind.CHALLENGE_SENT, "x".repeat(300)));
            }
        }
        assertThat(book.runningCount()).isEqualTo(50);
        assertThat(book.subscribers()).hasSizeLessThanOrEqualTo(50);
        assertThat(book.attempts("0" + (1010000000000L + 199) + "@realm")).hasSize(3)
                .allSatisfy(a -> assertThat(a.steps()).hasSize(TraceBook.MAX_STEPS)
                        .allSatisfy(s -> assertThat(s.detail()).hasSize(TraceBook.MAX_TEXT)));
        // 1,950 attempts of ~9 KB went through a 256 KiB journal: the first subscribers' are overwritten
        assertThat(book.attempts("0" + 1010000000000L + "@realm")).isEmpty();
        assertThat(book.attempts("0" + (1010000000000L + 150) + "@realm")).isEmpty();
    }

    @Test
    void anAttemptWithoutAnOutcomeIsJournalledAsInProgressAfterTwoMinutes() {
        TraceBook book = new TraceBook(100, 10, 100, TraceBook.MIN_JOURNAL_BYTES);
        book.started("gone", "0001010000000001@realm", AP, 1000);
        book.started("next", "0001010000000002@realm", AP, 1000 + TraceBook.RUNNING_MAX_MILLIS - 1);
        assertThat(book.runningCount()).isEqualTo(2);
        book.started("later", "0001010000000003@realm", AP, 1000 + TraceBook.RUNNING_MAX_MILLIS);
        assertThat(book.runningCount()).isEqualTo(2);
        assertThat(book.attempts("0001010000000001@realm")).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(AuthAttempt.Outcome.IN_PROGRESS));
        book.accepted("gone", 2000); // too late: it is no longer in progress here
        assertThat(book.attempts("0001010000000001@realm")).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(AuthAttempt.Outcome.IN_PROGRESS));
    }

    @Test
    void accountingStepsGoToTheLatestAcceptedAttemptBeforeThem() {
        TraceBook book = new TraceBook(100, 10, 100, TraceBook.MIN_JOURNAL_BYTES);
        book.started("c1", "0001010000000001@realm", AP, 1000);
        book.imsi("c1", "001010000000001");
        book.accepted("c1", 1001);
        book.accounting("001010000000001", "0001010000000001@realm",
                new TraceStep(1500, TraceStep.Kind.ACCOUNTING_START, "Start"));
        book.started("c2", "0001010000000001@realm", AP, 2000);
        book.imsi("c2", "001010000000001");
        book.rejected("c2", Rejection.of(RejectReason.AUTH_MISMATCH, "RES"), 2001);
        book.accounting(null, "0001010000000001@realm", new TraceStep(2500, TraceStep.Kind.ACCOUNTING_STOP, "Stop"));
        book.accounting("001010000000009", null, new TraceStep(2600, TraceStep.Kind.ACCOUNTING_START, "other"));
        List<AuthAttempt> attempts = book.attempts("001010000000001");
        assertThat(attempts).extracting(AuthAttempt::id).containsExactly("c2", "c1");
        assertThat(attempts.get(0).steps()).isEmpty();
        assertThat(attempts.get(1).steps()).extracting(TraceStep::kind)
                .containsExactly(TraceStep.Kind.ACCOUNTING_START, TraceStep.Kind.ACCOUNTING_STOP);
    }

    @Test
    void followersSeeFinishedAttemptsOfTheirSubscriberOnlyUntilClosed() throws Exception {
        TraceBook book = new TraceBook(100, 10, 100, TraceBook.MIN_JOURNAL_BYTES);
        List<String> seen = new ArrayList<>();
        AutoCloseable handle = book.follow("001010000000001", a -> seen.add(a.id() + ":" + a.outcome()));
        book.started("c1", "0001010000000001@realm", AP, 1);
        book.imsi("c1", "001010000000001");
        book.accepted("c1", 2);
        book.started("o1", "0001010000000002@realm", AP, 1);
        book.imsi("o1", "001010000000002");
        book.accepted("o1", 2);
        handle.close();
        book.started("c2", "0001010000000001@realm", AP, 3);
        book.rejected("c2", Rejection.of(RejectReason.HSS_ERROR, "x"), 4);
        assertThat(seen).containsExactly("c1:ACCEPTED");
    }
}
