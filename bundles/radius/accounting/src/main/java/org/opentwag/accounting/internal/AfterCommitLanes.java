package org.opentwag.accounting.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Applies committed items on a small fixed number of lanes, each a thread with a bounded queue. Every item of one key
 * (accounting: the access point's NAS IP) goes to the same lane, so one key's items are applied one at a time in the
 * order given (an AP's Accounting-On/Off stays ordered with its sessions' records); items of keys on different lanes
 * are applied in parallel, so a backlog (each record a few state-store round trips) drains that many times faster and
 * one slow key holds up only its own lane.
 *
 * <p>{@link #submit} waits while the item's lane is full: the caller (the writer's acknowledging thread) slows down,
 * and the writer's own bounded queue then refuses new requests, rather than memory growing without bound.
 * {@link #stop} is called once nothing submits any more.
 */
final class AfterCommitLanes<T> {

    /** What a stop left: items not applied (counted, never silently dropped) and lanes still busy with one item. */
    record Stopped(int notApplied, int lanesStillBusy) {
    }

    private static final Object END = new Object();

    private final Function<T, String> key;
    private final Consumer<T> apply;
    private final List<BlockingQueue<Object>> queues = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final LongAdder refused = new LongAdder();
    private volatile boolean closing;

    /**
     * @param lanes    how many threads (at least 1)
     * @param capacity items each lane holds before {@link #submit} waits
     * @param apply    called on the lane's thread; what it throws is its own business (logged there)
     */
    AfterCommitLanes(int lanes, int capacity, String threadName, Function<T, String> key, Consumer<T> apply) {
        if (lanes < 1 || capacity < 1) {
            throw new IllegalArgumentException("lanes and capacity must be at least 1: " + lanes + ", " + capacity);
        }
        this.key = key;
        this.apply = apply;
        for (int i = 0; i < lanes; i++) {
            BlockingQueue<Object> queue = new LinkedBlockingQueue<>(capacity);
            Thread t = new Thread(() -> run(queue), threadName + "-" + i);
            t.setDaemon(true);
            queues.add(queue);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    int lanes() {
        return queues.size();
    }

    /** Which lane an item of this key goes to (the same one, always). */
    int lane(String k) {
        return Math.floorMod(k == null ? 0 : k.hashCode(), queues.size());
    }

    /**
     * Queues the item on its key's lane, after every item of that key submitted before; waits while that lane is
     * full. False (and counted as not applied) once the lanes are stopping or if interrupted while waiting.
     */
    boolean submit(T item) {
        if (closing) {
            refused.increment();
            return false;
        }
        try {
            queues.get(lane(key.apply(item))).put(item);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refused.increment();
            return false;
        }
    }

    /** True once {@link #stop} began: nothing more is applied. */
    boolean stopping() {
        return closing;
    }

    /** Items waiting on all lanes (not counting the one each lane may be applying). */
    int queued() {
        int n = 0;
        for (BlockingQueue<Object> q : queues) {
            n += q.size();
        }
        return n;
    }

    /**
     * Lets every lane finish what it holds, waiting at most {@code wait} for all of them together; what is still
     * queued then is taken off the lanes and counted as not applied, and each lane ends after the item it is on.
     */
    Stopped stop(Duration wait) {
        closing = true;
        long deadline = System.nanoTime() + wait.toNanos();
        for (BlockingQueue<Object> q : queues) {
            // A full lane takes its end mark once it has made room; if it cannot by the deadline, see below.
            try {
                q.offer(END, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                break;
            }
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int notApplied = refused.intValue();
        int busy = 0;
        for (int i = 0; i < queues.size(); i++) {
            List<Object> left = new ArrayList<>();
            queues.get(i).drainTo(left);
            notApplied += (int) left.stream().filter(o -> o != END).count();
            if (threads.get(i).isAlive()) {
                busy++;
                queues.get(i).offer(END); // room now: the lane ends after the item it is applying
            }
        }
        return new Stopped(notApplied, busy);
    }

    /** After {@link #stop}: waits for every lane's thread to end (the item a lane was on when the stop gave up). */
    boolean awaitTermination(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private void run(BlockingQueue<Object> queue) {
        try {
            for (Object next = queue.take(); next != END; next = queue.take()) {
                try {
                    apply.accept((T) next);
                } catch (RuntimeException e) {
                    // apply logs and counts its own failures; one bad record must not end the lane
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
