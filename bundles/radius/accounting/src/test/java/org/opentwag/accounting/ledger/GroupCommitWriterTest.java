package org.opentwag.accounting.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.opentwag.api.accounting.AccountingStatus;

class GroupCommitWriterTest {

    private static final GroupCommitWriter.BatchObserver NOBODY = (size, nanos, failure) -> { };

    @Test
    void nothingIsAcknowledgedBeforeItsBatchIsWrittenAndWaitingRequestsShareTheNextBatch() throws Exception {
        CountDownLatch firstBatchEntered = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommitWriter writer = new GroupCommitWriter(batch -> {
            batchSizes.add(batch.size());
            firstBatchEntered.countDown();
            releaseFirst.await(5, TimeUnit.SECONDS);
        }, NOBODY, 100, 50, "test-writer")) {
            CompletableFuture<Void> first = writer.submit(AccountingLedgerTest.entry(AccountingStatus.START, "a", 0, 0));
            assertThat(firstBatchEntered.await(5, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<Void>> waiting = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                waiting.add(writer.submit(AccountingLedgerTest.entry(AccountingStatus.INTERIM, "a" + i, i, i)));
            }
            assertThat(first).isNotDone();
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
            releaseFirst.countDown();
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            assertThat(first).isCompleted();
            assertThat(batchSizes).containsExactly(1, 10);
        }
    }

    @Test
    void aFailedWriteFailsEveryRequestOfThatBatch() throws Exception {
        try (GroupCommitWriter writer = new GroupCommitWriter(batch -> {
            throw new java.sql.SQLException("disk full");
        }, NOBODY, 10, 10, "test-writer")) {
            CompletableFuture<Void> f = writer.submit(AccountingLedgerTest.entry(AccountingStatus.START, "b", 0, 0));
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasRootCauseMessage("disk full");
        }
    }

    @Test
    void aFullQueueRefusesAtOnceInsteadOfGrowing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommitWriter writer = new GroupCommitWriter(batch -> release.await(5, TimeUnit.SECONDS), NOBODY,
                2, 1, "test-writer")) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                all.add(writer.submit(AccountingLedgerTest.entry(AccountingStatus.START, "c" + i, 0, 0)));
            }
            long refused = all.stream().filter(CompletableFuture::isCompletedExceptionally).count();
            // one in the sink, two queued at most: the rest are refused immediately
            assertThat(refused).isGreaterThanOrEqualTo(3);
            assertThatThrownBy(() -> all.get(5).get()).hasCauseInstanceOf(RejectedExecutionException.class);
            release.countDown();
        }
    }

    @Test
    void closingWritesWhatWasAcceptedAndRefusesWhatComesAfter() throws Exception {
        List<Integer> written = Collections.synchronizedList(new ArrayList<>());
        GroupCommitWriter writer = new GroupCommitWriter(batch -> written.add(batch.size()), NOBODY, 100, 100,
                "test-writer");
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            accepted.add(writer.submit(AccountingLedgerTest.entry(AccountingStatus.START, "d" + i, 0, 0)));
        }
        writer.close();
        assertThat(accepted).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(written.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
        assertThat(writer.submit(AccountingLedgerTest.entry(AccountingStatus.STOP, "e", 0, 0)))
                .isCompletedExceptionally();
    }

    @Test
    void withAFlushNothingIsAcknowledgedUntilAFlushAfterItsCommitReturned() throws Exception {
        CountDownLatch committed = new CountDownLatch(1);
        CountDownLatch flushEntered = new CountDownLatch(1);
        CountDownLatch releaseFlush = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommitWriter writer = new GroupCommitWriter(batch -> {
            order.add("commit " + batch.size());
            committed.countDown();
        }, () -> {
            order.add("flush");
            flushEntered.countDown();
            releaseFlush.await(5, TimeUnit.SECONDS);
        }, NOBODY, 100, 50, "test-writer")) {
            CompletableFuture<Void> first = writer.submit(AccountingLedgerTest.entry(AccountingStatus.START, "a", 0, 0));
            assertThat(committed.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(flushEntered.await(5, TimeUnit.SECONDS)).isTrue();
            // Committed, flush under way: still not acknowledged. The next batch is written meanwhile.
            CompletableFuture<Void> second = writer.submit(AccountingLedgerTest.entry(AccountingStatus.INTERIM, "a", 1, 1));
            long deadline = System.currentTimeMillis() + 5_000;
            while (order.size() < 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertThat(order).containsExactly("commit 1", "flush", "commit 1");
            assertThat(first).isNotDone();
            assertThat(second).isNotDone();
            releaseFlush.countDown();
            first.get(5, TimeUnit.SECONDS);
            // The second batch committed while the first flush ran: it needs a flush of its own.
            second.get(5, TimeUnit.SECONDS);
            assertThat(order).containsExactly("commit 1", "flush", "commit 1", "flush");
        }
    }

    @Test
    void aSlowReplyToOneFlushedBatchDoesNotHoldBackTheNextFlush() throws Exception {
        // What follows an acknowledgement (the RADIUS reply) runs off the flusher: the next batch's fsync starts
        // while it is still busy, and that batch is acknowledged after it (one acknowledging thread, flush order).
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch releaseReply = new CountDownLatch(1);
        CountDownLatch replyStarted = new CountDownLatch(1);
        CountDownLatch secondFlushed = new CountDownLatch(2);
        // The first flush waits until the reply is attached: attached to a future already complete, the reply would
        // run on the test's thread, not on the acknowledging one this is about.
        CountDownLatch replyAttached = new CountDownLatch(1);
        try (GroupCommitWriter writer = new GroupCommitWriter(batch -> order.add("commit"), () -> {
            replyAttached.await(5, TimeUnit.SECONDS);
            order.add("flush");
            secondFlushed.countDown();
        }, NOBODY, 100, 50, "test-writer")) {
            CompletableFuture<Void> first = writer.submit(AccountingLedgerTest.entry(AccountingStatus.START, "s", 0, 0));
            CompletableFuture<Void> reply = first.thenRun(() -> {
                replyStarted.countDown();
                try {
                    releaseReply.await(5, TimeUnit.SECONDS); // a reply that takes its time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            replyAttached.countDown();
            assertThat(replyStarted.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> second = writer.submit(AccountingLedgerTest.entry(AccountingStatus.INTERIM, "s", 1, 1));
            assertThat(secondFlushed.await(3, TimeUnit.SECONDS)).as("second flush while the first reply runs").isTrue();
            assertThat(reply).isNotDone();
            assertThat(second).isNotDone(); // flushed, acknowledged after the first batch's acknowledgement
            releaseReply.countDown();
            second.get(5, TimeUnit.SECONDS);
            assertThat(order).containsExactly("commit", "flush", "commit", "flush");
        }
    }

    @Test
    void aFailedFlushAcknowledgesNothingOfTheBatchesItCovered() throws Exception {
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommitWriter writer = new GroupCommitWriter(batch -> { }, () -> {
            throw new java.io.IOException("fsync failed");
        }, (size, nanos, failure) -> failures.add(failure), 100, 50, "test-writer")) {
            CompletableFuture<Void> f = writer.submit(AccountingLedgerTest.entry(AccountingStatus.START, "x", 0, 0));
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasRootCauseMessage("fsync failed");
            assertThat(failures).singleElement().isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void requestsWaitWhileTheStorageOpensAndAreAcknowledgedOnlyOnceWrittenAndFlushed() throws Exception {
        CountDownLatch opening = new CountDownLatch(1);
        CountDownLatch releaseOpen = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch flushEntered = new CountDownLatch(1);
        CountDownLatch releaseFlush = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        GroupCommitWriter.Flush flush = () -> {
            order.add("flush");
            flushEntered.countDown();
            releaseFlush.await(30, TimeUnit.SECONDS);
        };
        try (GroupCommitWriter writer = new GroupCommitWriter(() -> {
            opening.countDown();
            releaseOpen.await(30, TimeUnit.SECONDS); // a database that takes its time to open
            order.add("open");
            return flush;
        }, batch -> {
            order.add("commit " + batch.stream().map(e -> e.record().acctSessionId()).toList());
            written.countDown();
        }, NOBODY, 3, 50, java.time.Duration.ofMillis(1), "test-writer")) {
            assertThat(opening.await(30, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<Void>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(writer.submit(AccountingLedgerTest.entry(AccountingStatus.START, "q" + i, 0, 0)));
            }
            // Bounded while opening: the fourth is refused at once (the AP retries), not held.
            CompletableFuture<Void> fourth = writer.submit(AccountingLedgerTest.entry(AccountingStatus.START, "q3", 0, 0));
            assertThat(fourth).isCompletedExceptionally();
            assertThatThrownBy(fourth::get).hasCauseInstanceOf(RejectedExecutionException.class);
            assertThat(writer.isOpen()).isFalse();
            assertThat(writer.queued()).isEqualTo(3);
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
            assertThat(order).isEmpty();

            releaseOpen.countDown();
            assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(flushEntered.await(30, TimeUnit.SECONDS)).isTrue();
            // Written after the open, in one batch, in arrival order; still not acknowledged before the flush.
            assertThat(order).containsExactly("open", "commit [q0, q1, q2]", "flush");
            assertThat(writer.isOpen()).isTrue();
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
            releaseFlush.countDown();
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStorageThatFailsToOpenFailsWhatWaitsAndIsOpenedAgain() throws Exception {
        CountDownLatch[] entered = {new CountDownLatch(1), new CountDownLatch(1)};
        CountDownLatch[] release = {new CountDownLatch(1), new CountDownLatch(1)};
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> observed = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommitWriter writer = new GroupCommitWriter(() -> {
            int attempt = attempts.getAndIncrement();
            entered[attempt].countDown();
            release[attempt].await(30, TimeUnit.SECONDS);
            if (attempt == 0) {
                throw new java.sql.SQLException("Connection refused");
            }
            return null;
        }, batch -> batch.forEach(e -> written.add(e.record().acctSessionId())),
                (size, nanos, failure) -> observed.add(failure), 10, 10, java.time.Duration.ofMillis(1),
                "test-writer")) {
            assertThat(entered[0].await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> first = writer.submit(AccountingLedgerTest.entry(AccountingStatus.START, "f1", 0, 0));
            release[0].countDown();
            // The open failed: what waited is not acknowledged (the AP will send it again), and counted as failed.
            assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasRootCauseMessage("Connection refused");
            assertThat(observed).singleElement().isInstanceOf(java.sql.SQLException.class);

            assertThat(entered[1].await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> second = writer.submit(AccountingLedgerTest.entry(AccountingStatus.START, "f2", 0, 0));
            assertThat(second).isNotDone();
            release[1].countDown();
            second.get(30, TimeUnit.SECONDS);
            assertThat(written).containsExactly("f2");
            assertThat(attempts).hasValue(2);
        }
    }

    @Test
    void closingBeforeTheStorageOpenedAcknowledgesNothing() throws Exception {
        CountDownLatch attempted = new CountDownLatch(1);
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        GroupCommitWriter writer = new GroupCommitWriter(() -> {
            attempted.countDown();
            throw new java.sql.SQLException("database down");
        }, batch -> batch.forEach(e -> written.add(e.record().acctSessionId())), NOBODY, 10, 10,
                java.time.Duration.ofHours(1), "test-writer");
        assertThat(attempted.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> f = writer.submit(AccountingLedgerTest.entry(AccountingStatus.START, "c", 0, 0));
        long start = System.nanoTime();
        writer.close(); // ends the hour's wait before the next attempt
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
        assertThat(f).isCompletedExceptionally();
        assertThat(written).isEmpty();
    }

    /**
     * The observer hears of each durable batch (written and flushed) once, in order, before any of its requests is
     * acknowledged (accounting hands the records on to its lanes there, one batch at a time), and never of a batch
     * whose flush failed.
     */
    @Test
    void theObserverGetsEachDurableBatchBeforeItsRequestsAreAcknowledgedAndNeverAFailedOne() throws Exception {
        java.util.Map<String, CompletableFuture<Void>> futures = new java.util.concurrent.ConcurrentHashMap<>();
        CountDownLatch registered = new CountDownLatch(1);
        List<List<String>> durable = Collections.synchronizedList(new ArrayList<>());
        List<String> acknowledgedEarly = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger flushes = new java.util.concurrent.atomic.AtomicInteger();
        GroupCommitWriter.BatchObserver observer = new GroupCommitWriter.BatchObserver() {
            @Override
            public void written(int size, long nanos, Throwable failure) {
            }

            @Override
            public void durable(List<LedgerEntry> batch) {
                List<String> ids = batch.stream().map(e -> e.record().acctSessionId()).toList();
                durable.add(ids);
                ids.stream().filter(id -> futures.get(id).isDone()).forEach(acknowledgedEarly::add);
            }
        };
        try (GroupCommitWriter writer = new GroupCommitWriter(batch -> registered.await(30, TimeUnit.SECONDS), () -> {
            if (flushes.getAndIncrement() == 0) {
                throw new java.io.IOException("fsync failed");
            }
        }, observer, 100, 50, "test-writer")) {
            for (String id : List.of("o1", "o2", "o3")) {
                futures.put(id, writer.submit(AccountingLedgerTest.entry(AccountingStatus.START, id, 0, 0)));
            }
            registered.countDown();
            CompletableFuture<Void> failed = futures.get("o1");
            assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("fsync failed");
            for (String id : List.of("o4", "o5")) {
                futures.put(id, writer.submit(AccountingLedgerTest.entry(AccountingStatus.INTERIM, id, 1, 1)));
            }
            futures.get("o4").get(30, TimeUnit.SECONDS);
            futures.get("o5").get(30, TimeUnit.SECONDS);
            List<String> told = durable.stream().flatMap(List::stream).toList();
            assertThat(told).doesNotContain("o1").containsSubsequence("o4", "o5");
            // o2 and o3 went with o1's batch or a later one: told of exactly when they were acknowledged
            for (String id : List.of("o2", "o3")) {
                CompletableFuture<Void> f = futures.get(id);
                assertThat(told.contains(id)).as(id).isEqualTo(f.isDone() && !f.isCompletedExceptionally());
            }
            assertThat(acknowledgedEarly).isEmpty();
        }
    }
}
