package org.opentwag.accounting.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Group commit: requests arriving while one transaction is being written wait for the next, which takes them all
 * (up to a batch limit). Each request's future completes only after its transaction committed, so the caller can
 * acknowledge it; when the write fails, every future of that batch fails and nothing is acknowledged. The queue is
 * bounded: under overload a request is refused at once (the AP retries) instead of memory growing.
 */
public final class GroupCommitWriter implements AutoCloseable {

    /** Where batches go; throws when the batch is not durable. */
    public interface Sink {
        void write(List<LedgerEntry> batch) throws Exception;
    }

    /** Told once per batch, for metrics. */
    public interface BatchObserver {
        void written(int size, long nanos, Throwable failure);
    }

    private record Pending(LedgerEntry entry, CompletableFuture<Void> done) {
    }

    private final Sink sink;
    private final BatchObserver observer;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private volatile boolean open = true;

    public GroupCommitWriter(Sink sink, BatchObserver observer, int capacity, int maxBatch, String threadName) {
        this.sink = sink;
        this.observer = observer;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Anything still queued (the thread did not finish in time) is refused, never silently dropped.
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        for (Pending p : left) {
            p.done().completeExceptionally(new RejectedExecutionException("accounting writer stopped"));
        }
    }
}
