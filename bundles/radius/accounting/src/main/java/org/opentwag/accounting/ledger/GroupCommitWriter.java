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

    /** Told once per batch, for metrics. */
    public interface BatchObserver {
        void written(int size, long nanos, Throwable failure);
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
    private final Flush flush;
    private final BlockingQueue<Committed> committed;
    private final Thread flusher;
    /** Completes flushed batches' futures (one thread: flush order kept); null without a flush. */
    private final ExecutorService acknowledger;
    private volatile boolean open = true;

    /** Futures complete once their batch committed (no separate flush). */
    public GroupCommitWriter(Sink sink, BatchObserver observer, int capacity, int maxBatch, String threadName) {
        this(sink, null, observer, capacity, maxBatch, threadName);
    }

    /** Futures complete once their batch committed and, when {@code flush} is given, a flush after it returned. */
    public GroupCommitWriter(Sink sink, Flush flush, BatchObserver observer, int capacity, int maxBatch,
                             String threadName) {
        this.sink = sink;
        this.flush = flush;
        this.observer = observer;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.committed = new ArrayBlockingQueue<>(FLUSH_BACKLOG);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        if (flush != null) {
            this.flusher = new Thread(this::runFlusher, threadName + "-flush");
            this.flusher.setDaemon(true);
            this.acknowledger = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, threadName + "-ack");
                t.setDaemon(true);
                return t;
            });
            this.flusher.start();
        } else {
            this.flusher = null;
            this.acknowledger = null;
        }
        this.thread.start();
    }

    /** Completes when the entry is durable; fails at once when the queue is full or the writer closed. */
    public CompletableFuture<Void> submit(LedgerEntry entry) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!open) {
            done.completeExceptionally(new RejectedExecutionException("accounting writer is stopping"));
        } else if (!queue.offer(new Pending(entry, done))) {
            done.completeExceptionally(new RejectedExecutionException("accounting queue full"));
        }
        return done;
    }

    public int queued() {
        return queue.size();
    }

    private void run() {
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
        if (failure == null && flush != null) {
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
                    flush.flush();
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
        try {
            thread.join(10_000);
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
        List<Committed> unflushed = new ArrayList<>();
        committed.drainTo(unflushed);
        for (Committed c : unflushed) {
            left.addAll(c.batch());
        }
        for (Pending p : left) {
            p.done().completeExceptionally(new RejectedExecutionException("accounting writer stopped"));
        }
    }
}
