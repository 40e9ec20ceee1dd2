package org.opentwag.radius.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BurstExecutorTest {
    private final EventLoop loop = new DefaultEventLoop();
    private final AtomicInteger tasks = new AtomicInteger();
    /** Counts the tasks it is given: one per burst is the point. */
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
        @Override
        public void execute(Runnable command) {
            // Counted before the task can run (a count after super.execute raced with the test's read), and taken
            // back when refused: a refused task is not counted.
            tasks.incrementAndGet();
            try {
                super.execute(command);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                tasks.decrementAndGet();
                throw e;
            }
        }
    };
    private final List<Runnable> refused = new CopyOnWriteArrayList<>();
    private final BurstExecutor executor = new BurstExecutor(workers, loop, refused::add);

    @AfterEach
    void stop() throws Exception {
        workers.shutdownNow();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    @Test
    void callsSubmittedInOneLoopTaskReachThePoolAsOneTaskInOrder() throws Exception {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(16);
        loop.execute(() -> {
            for (int i = 0; i < 16; i++) {
                int n = i;
                executor.execute(() -> {
                    ran.add(n);
                    done.countDown();
                });
            }
        });
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        assertThat(tasks.get()).isEqualTo(1);
    }

    @Test
    void callsFromOtherThreadsGoToThePoolEachAtOnce() throws Exception {
        CountDownLatch done = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            executor.execute(done::countDown);
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(tasks.get()).isEqualTo(3);
    }

    @Test
    void aBurstThePoolRefusesIsReportedCallByCall() throws Exception {
        CountDownLatch handedOver = new CountDownLatch(1);
        Runnable first = () -> { };
        Runnable second = () -> { };
        loop.execute(() -> {
            executor.execute(first);
            executor.execute(second);
            workers.shutdown(); // the pool stops before the burst's hand-over runs
            loop.execute(handedOver::countDown); // queued after the hand-over task
        });
        assertThat(handedOver.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(refused).containsExactly(first, second);
        assertThat(tasks.get()).isZero();
    }
}
