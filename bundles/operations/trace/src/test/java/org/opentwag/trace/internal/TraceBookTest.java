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
        TraceBook book = new TraceBook(100, 10, 100);
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
        TraceBook book = new TraceBook(100, 10, 100);
        book.started("c1", "0001010000000001@realm", AP, 1000);
        book.imsi("c1", "001010000000001");
        book.started("c2", "2pseudonym@realm", AP, 2000);
        book.imsi("c2", "001010000000001");
        assertThat(book.attempts("2pseudonym@realm")).extracting(AuthAttempt::id).containsExactly("c2", "c1");
        assertThat(book.subscriberCount()).isEqualTo(1);
    }

    @Test
    void memoryIsBoundedInSubscribersAttemptsAndSteps() {
        TraceBook book = new TraceBook(50, 3, 100);
        for (int i = 0; i < 1000; i++) {
            // 200 subscribers once each, then the last one again and again
            String id = "0" + (1010000000000L + Math.min(i, 199)) + "@realm";
            book.started("c" + i, id, AP, i);
            for (int s = 0; s < 100; s++) {
                book.step("c" + i, new TraceStep(i, TraceStep.Kind.CHALLENGE_SENT, "x"));
            }
        }
        assertThat(book.subscriberCount()).isEqualTo(50);
        assertThat(book.subscribers()).hasSize(50);
        assertThat(book.attempts("0" + (1010000000000L + 199) + "@realm")).hasSize(3)
                .allSatisfy(a -> assertThat(a.steps()).hasSize(TraceBook.MAX_STEPS));
        assertThat(book.attempts("0" + 1010000000000L + "@realm")).isEmpty();
        assertThat(book.attempts("0" + (1010000000000L + 150) + "@realm")).hasSize(1);
    }

    @Test
    void followersSeeFinishedAttemptsOfTheirSubscriberOnlyUntilClosed() throws Exception {
        TraceBook book = new TraceBook(100, 10, 100);
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
