package org.opentwag.radius.server.internal;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Hands the handler calls of one read burst to the worker pool as one task. The listener's event loop reads up to 16
 * datagrams per system call; submitting each on its own woke a parked worker per request (a futex call on the event
 * loop, 1-2 µs each). Here the calls submitted on the event loop are collected, and a task queued on that loop, which
 * runs once the burst's reads are done, submits them all as one worker task (one wake-up). Calls from any other
 * thread go to the pool at once, as before.
 */
final class BurstExecutor implements Executor {
    private final ExecutorService workers;
    private final EventLoop loop;
    /** Called for each call the pool refused when a burst was handed over (the pool is stopping). */
    private final Consumer<Runnable> refused;
    /** Only touched on {@link #loop}'s thread. */
    private List<Runnable> burst = new ArrayList<>();
    private final Runnable handOver = this::handOver;

    BurstExecutor(ExecutorService workers, EventLoop loop, Consumer<Runnable> refused) {
        this.workers = workers;
        this.loop = loop;
        this.refused = refused;
    }

    /** Throws {@link RejectedExecutionException} when the pool (or, on the loop, the loop) takes no more work. */
    @Override
    public void execute(Runnable call) {
        if (!loop.inEventLoop()) {
            workers.execute(call);
            return;
        }
        if (workers.isShutdown()) {
            throw new RejectedExecutionException("RADIUS workers stopped");
        }
        if (burst.isEmpty()) {
            loop.execute(handOver); // after the reads of this loop iteration; throws once the loop stopped
        }
        burst.add(call);
    }

    private void handOver() {
        List<Runnable> calls = burst;
        if (calls.isEmpty()) {
            return;
        }
        burst = new ArrayList<>();
        Runnable task = calls.size() == 1 ? calls.get(0) : new Burst(calls);
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            calls.forEach(refused);
        }
    }

    /** The calls a stopped pool never ran, out of their bursts. */
    static List<Runnable> unwrap(List<Runnable> neverRun) {
        List<Runnable> calls = new ArrayList<>();
        for (Runnable r : neverRun) {
            if (r instanceof Burst b) {
                calls.addAll(b.calls);
            } else {
                calls.add(r);
            }
        }
        return calls;
    }

    /** One worker task: the handler calls of one burst, in arrival order (each only starts its handler's stage). */
    static final class Burst implements Runnable {
        final List<Runnable> calls;

        Burst(List<Runnable> calls) {
            this.calls = calls;
        }

        @Override
        public void run() {
            for (Runnable call : calls) {
                call.run(); // HandlerCall catches what its handler throws
            }
        }
    }
}
