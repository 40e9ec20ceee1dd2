package org.opentwag.accounting.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Group commit: requests arriving while one transaction is being written wait for the next, which takes them all
 * (up to a batch limit). Each request's future completes only after its transaction committed, so the caller can
 * acknowledge it; when the write fails, every future of that batch fails and nothing is acknowledged. The queue is
 * bounded: under overload a request is refused at once (the AP retries) instead of memory growing.
 *
 * <p>With a {@link Flush} (forcing commits to stable storage), a batch's futures complete only after a flush that
 * began once the batch had committed. The flush runs on a thread of its own: while it waits for the disk, the next
 * transaction is written, and one flush then covers every batch committed before it began. At most a few committed
 * batches wait for it; beyond that the writer waits too, so the bounded queue still refuses work under overload.
 *
 * <p>The futures of flushed batches complete on a thread of their own ({@code <name>-ack}), in flush order: what
 * follows a completion (the caller's reply: an Accounting-Response signed and sent for each request) then runs while
 * the flusher already forces the next batches, instead of the next fsync waiting for hundreds of replies.
 *
 * <p>With an {@link Opener}, the storage is opened on the writer's thread before its first batch, and requests
 * submitted meanwhile wait in the same bounded queue: whoever submits can do so at once (accounting registers its
 * handler before its database is open, so a bundle update leaves no gap without a handler), and still nothing is
 * acknowledged before it is written and flushed. When opening fails, what waits is failed (not acknowledged: the AP
 * retries) and the opener is called again after the retry delay.
 */
public final class GroupCommitWriter implements AutoCloseable {

    /** Where batches go; throws when the batch is not durable. */
    public interface Sink {
        void write(List<LedgerEntry> batch) throws Exception;
    }

    /** Forces every transaction committed before the call to stable storage; throws when it could not. */
    public interface Flush {
        void flush() throws Exception;
    }

    /**
     * Opens the storage the sink writes to; returns how its commits are forced to stable storage, or null when a
     * commit is enough. Throws when the storage cannot be opened now.
     */
    public interface Opener {
        Flush open() throws Exception;
    }

    /** Told once per batch, for metrics, and of each durable batch. */
    public interface BatchObserver {
        void written(int size, long nanos, Throwable failure);

        /**
         * A batch is durable (written, and flushed when there is a flush): called once per batch, in commit order, on
         * the thread that then completes the batch's futures, before it does. What follows each stored record (the
         * accounting sessions, the listeners) is handed on here in one go rather than from each future: one lane
         * wake-up per batch instead of one per record.
         */
        default void durable(List<LedgerEntry> batch) {
        }
    }

    /**
     * A request refused because the writer is stopping (a component restart or bundle update): never written, so the
     * AP's retransmission, to the next writer, stores it once. Told apart from a full queue for the operator's count.
     */
    public static final class Stopping extends RejectedExecutionException {
        private static final long serialVersionUID = 1L;

        Stopping(String message) {
            super(message);
        }
    }

    private record Pending(LedgerEntry entry, CompletableFuture<Void> done) {
    }

    /** A committed batch waiting for the flush; {@code started} for the observer's time. */
    private record Committed(List<Pending> batch, long started) {
    }

    /** Committed batches waiting for a flush, at most: more and the writer waits (back-pressure to the queue). */
    private static final int FLUSH_BACKLOG = 4;

    private final Sink sink;
    private final BatchObserver observer;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private final Opener opener;
    private final long retryMillis;
    private final String threadName;
    /** Set by the writer's thread once the storage is open, before its first batch. */
    private volatile Flush flush;
    private final BlockingQueue<Committed> committed;
    private volatile Thread flusher;
    /** Completes flushed batches' futures (one thread: flush order kept); null without a flush. */
    private volatile ExecutorService acknowledger;
    private volatile boolean open = true;
    /** Released by {@link #close()}: ends the wait between two attempts to open the storage. */
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);

    /** Futures complete once their batch committed (no separate flush). */
    public GroupCommitWriter(Sink sink, BatchObserver observer, int capacity, int maxBatch, String threadName) {
        this(sink, null, observer, capacity, maxBatch, threadName);
    }

    /** Futures complete once their batch committed and, when {@code flush} is given, a flush after it returned. */
    public GroupCommitWriter(Sink sink, Flush flush, BatchObserver observer, int capacity, int maxBatch,
                             String threadName) {
        this(() -> flush, sink, observer, capacity, maxBatch, java.time.Duration.ZERO, threadName);
    }

    /**
     * Accepts requests at once; the writer's thread first opens the storage ({@code opener}, again after
     * {@code retry} while it fails), then writes. Futures complete once their batch committed and, when the opener
     * returned a flush, a flush after it returned.
     */
    public GroupCommitWriter(Opener opener, Sink sink, BatchObserver observer, int capacity, int maxBatch,
                             java.time.Duration retry, String threadName) {
        this.opener = opener;
        this.retryMillis = Math.max(1, retry.toMillis());
        this.threadName = threadName;
        this.sink = sink;
        this.observer = observer;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.committed = new ArrayBlockingQueue<>(FLUSH_BACKLOG);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Whether the storage is open (requests submitted before wait in the queue). */
    public boolean isOpen() {
        return opened;
    }

    private volatile boolean opened;

    /**
     * On the writer's thread: opens the storage, failing what waits after each failed attempt; false when the writer
     * was closed before the storage could be opened.
     */
    private boolean openStorage() {
        while (true) { // at least one attempt, even when closed meanwhile: what was accepted is written if it can be
            try {
                Flush f = opener.open();
                if (f != null) {
                    startFlusher(f);
                }
                opened = true;
                return true;
            } catch (Exception | Error e) {
                // Nothing that waits can be stored now: not acknowledged, so the AP sends it again (to this
                // server, which then may have its storage, or to another).
                List<Pending> waiting = new ArrayList<>();
                queue.drainTo(waiting);
                if (!waiting.isEmpty()) {
                    finish(waiting, System.nanoTime(), e);
                }
                try {
                    if (!open || closing.await(retryMillis, TimeUnit.MILLISECONDS)) {
                        return false;
                    }
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    private void startFlusher(Flush f) {
        acknowledger = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName + "-ack");
            t.setDaemon(true);
            return t;
        });
        flush = f;
        Thread t = new Thread(this::runFlusher, threadName + "-flush");
        t.setDaemon(true);
        flusher = t;
        t.start();
    }

    /** Completes when the entry is durable; fails at once when the queue is full or the writer closed. */
    public CompletableFuture<Void> submit(LedgerEntry entry) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!open) {
            done.completeExceptionally(new Stopping("accounting writer is stopping"));
        } else if (!queue.offer(new Pending(entry, done))) {
            done.completeExceptionally(new RejectedExecutionException("accounting queue full"));
        }
        return done;
    }

    public int queued() {
        return queue.size();
    }

    private void run() {
        if (!openStorage()) {
            return; // closed before the storage opened: close() refuses what is queued
        }
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (open || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                writeBatch(batch);
            } catch (InterruptedException e) {
                // close() interrupts only after open=false; the loop drains what is left
                Thread.currentThread().interrupt();
                drainRemaining(batch);
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void drainRemaining(List<Pending> batch) {
        batch.clear();
        queue.drainTo(batch);
        if (!batch.isEmpty()) {
            writeBatch(batch);
        }
    }

    private void writeBatch(List<Pending> batch) {
        List<LedgerEntry> entries = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            entries.add(p.entry());
        }
        long start = System.nanoTime();
        Throwable failure = null;
        try {
            sink.write(entries);
        } catch (Exception | Error e) {
            failure = e;
        }
        if (failure == null && flush != null) { // flush is set (or not) before the first batch, on this thread
            handToFlusher(new Committed(List.copyOf(batch), start));
            return;
        }
        finish(batch, start, failure);
    }

    private void handToFlusher(Committed c) {
        boolean interrupted = false;
        while (true) {
            try {
                committed.put(c);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // a committed batch is never dropped: its requests wait for the flush
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One flush for every batch committed before it began; their futures complete after it. */
    private void runFlusher() {
        List<Committed> waiting = new ArrayList<>();
        while (true) {
            try {
                Committed first = committed.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (!open && !thread.isAlive() && committed.isEmpty()) {
                        return; // closed, and the writer handed over its last batch
                    }
                    continue;
                }
                waiting.add(first);
                committed.drainTo(waiting);
                Throwable failure = null;
                try {
                    flush.flush(); // set before this thread started
                } catch (Exception | Error e) {
                    failure = e;
                }
                List<Committed> flushed = List.copyOf(waiting);
                Throwable outcome = failure;
                acknowledge(() -> {
                    for (Committed c : flushed) {
                        finish(c.batch(), c.started(), outcome);
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                waiting.clear();
            }
        }
    }

    private void acknowledge(Runnable completions) {
        try {
            acknowledger.execute(completions);
        } catch (RejectedExecutionException e) {
            completions.run(); // closing: complete here rather than never
        }
    }

    private void finish(List<Pending> batch, long start, Throwable failure) {
        observer.written(batch.size(), System.nanoTime() - start, failure);
        if (failure == null) {
            List<LedgerEntry> entries = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                entries.add(p.entry());
            }
            try {
                observer.durable(entries);
            } catch (RuntimeException e) {
                // the observer's own business; the batch is durable and its requests are acknowledged
            }
        }
        for (Pending p : batch) {
            if (failure == null) {
                p.done().complete(null);
            } else {
                p.done().completeExceptionally(failure);
            }
        }
    }

    /** Stops accepting, writes what was accepted, and waits up to the given time for it. */
    @Override
    public void close() {
        open = false;
        closing.countDown();
        try {
            thread.join(10_000);
            Thread flusher = this.flusher;
            ExecutorService acknowledger = this.acknowledger;
            if (flusher != null) {
                flusher.join(10_000);
                acknowledger.shutdown(); // after the flusher's last hand-over; completes what it was given
                acknowledger.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Anything still queued (the thread did not finish in time) is refused, never silently dropped.
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        for (Pending p : left) {
            p.done().completeExceptionally(new Stopping("accounting writer stopped"));
        }
        // Committed but not flushed in time: in the database, perhaps not on disk, so not acknowledged either; not
        // Stopping, which says "not stored" (the AP's retransmission may then store a second row).
        List<Committed> unflushed = new ArrayList<>();
        committed.drainTo(unflushed);
        for (Committed c : unflushed) {
            for (Pending p : c.batch()) {
                p.done().completeExceptionally(new RejectedExecutionException(
                        "accounting writer stopped before its flush"));
            }
        }
    }
}
