package org.opentwag.accounting.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/**
 * The after-commit lanes: one access point's records applied one at a time in the order committed, different access
 * points in parallel, and a stop that waits for every lane and counts what it could not apply. Synchronised with
 * latches only; every wait bounded and generous (the build machine may be loaded).
 */
class AfterCommitLanesTest {

    private static final Duration LONG = Duration.ofSeconds(60);

    record Item(String nas, int seq) {
    }

    @Test
    void eachAccessPointsRecordsAreAppliedOneAtATimeInCommitOrderWhileLanesRunConcurrently() throws Exception {
        int nases = 16;
        int perNas = 500;
        Map<String, List<Integer>> applied = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger concurrentLanes = new AtomicInteger();
        AtomicInteger maxConcurrentLanes = new AtomicInteger();
        AfterCommitLanes<Item> lanes = new AfterCommitLanes<>(4, 64, "test-lanes", Item::nas, item -> {
            maxConcurrentLanes.accumulateAndGet(concurrentLanes.incrementAndGet(), Math::max);
            if (inFlight.computeIfAbsent(item.nas(), k -> new AtomicInteger()).incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            applied.computeIfAbsent(item.nas(), k -> Collections.synchronizedList(new ArrayList<>())).add(item.seq());
            Thread.yield();
            inFlight.get(item.nas()).decrementAndGet();
            concurrentLanes.decrementAndGet();
        });
        // Two submitting threads (each the committer of its own access points), interleaving their NASes.
        List<CompletableFuture<Void>> producers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int p = 0; p < 2; p++) {
            int first = p;
            producers.add(CompletableFuture.runAsync(() -> {
                await(go);
                for (int seq = 0; seq < perNas; seq++) {
                    for (int n = first; n < nases; n += 2) {
                        assertThat(lanes.submit(new Item("10.0.0." + n, seq))).isTrue();
                    }
                }
            }, r -> new Thread(r, "test-producer-" + first).start()));
        }
        go.countDown();
        CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        AfterCommitLanes.Stopped stopped = lanes.stop(LONG);

        assertThat(stopped.notApplied()).isZero();
        assertThat(stopped.lanesStillBusy()).isZero();
        assertThat(overlaps).hasValue(0);
        List<Integer> inOrder = new ArrayList<>();
        for (int seq = 0; seq < perNas; seq++) {
            inOrder.add(seq);
        }
        assertThat(applied).hasSize(nases);
        applied.forEach((nas, seqs) -> assertThat(seqs).as(nas).containsExactlyElementsOf(inOrder));
        assertThat(lanes.awaitTermination(LONG)).isTrue();
    }

    @Test
    void anAccessPointWhoseLaneIsBlockedDoesNotHoldUpAnotherOnAnotherLane() throws Exception {
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch releaseSlow = new CountDownLatch(1);
        CountDownLatch otherApplied = new CountDownLatch(2);
        List<Item> applied = Collections.synchronizedList(new ArrayList<>());
        Consumer<Item> apply = item -> {
            if (item.nas().equals("slow") && item.seq() == 0) {
                slowStarted.countDown();
                await(releaseSlow);
            }
            applied.add(item);
            if (!item.nas().equals("slow")) {
                otherApplied.countDown();
            }
        };
        AfterCommitLanes<Item> lanes = new AfterCommitLanes<>(4, 64, "test-lanes", Item::nas, apply);
        String other = onAnotherLane(lanes, "slow");

        lanes.submit(new Item("slow", 0));
        lanes.submit(new Item("slow", 1));
        assertThat(slowStarted.await(60, TimeUnit.SECONDS)).isTrue();
        lanes.submit(new Item(other, 0));
        lanes.submit(new Item(other, 1));

        // The other access point's records are applied while the slow one is stuck in its first record ...
        assertThat(otherApplied.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(applied).containsExactly(new Item(other, 0), new Item(other, 1));
        // ... and the slow one's second record waits behind its first, on its own lane.
        releaseSlow.countDown();
        AfterCommitLanes.Stopped stopped = lanes.stop(LONG);
        assertThat(stopped.notApplied()).isZero();
        assertThat(applied).containsExactly(new Item(other, 0), new Item(other, 1), new Item("slow", 0),
                new Item("slow", 1));
    }

    @Test
    void theStopWaitsForEveryLaneToApplyWhatItHolds() throws Exception {
        int laneCount = 4;
        List<CountDownLatch> started = new ArrayList<>();
        List<CountDownLatch> release = new ArrayList<>();
        for (int i = 0; i < laneCount; i++) {
            started.add(new CountDownLatch(1));
            release.add(new CountDownLatch(1));
        }
        AtomicInteger applied = new AtomicInteger();
        Map<String, Integer> laneOf = new ConcurrentHashMap<>();
        AfterCommitLanes<Item> lanes = new AfterCommitLanes<>(laneCount, 64, "test-lanes", Item::nas, item -> {
            if (item.seq() == 0) {
                int lane = laneOf.get(item.nas());
                started.get(lane).countDown();
                await(release.get(lane));
            }
            applied.incrementAndGet();
        });
        // One access point per lane, each: a first record that blocks, two more queued behind it.
        List<String> nases = new ArrayList<>();
        for (int n = 0; nases.size() < laneCount && n < 256; n++) {
            String nas = "10.1.0." + n;
            if (!laneOf.containsValue(lanes.lane(nas))) {
                laneOf.put(nas, lanes.lane(nas));
                nases.add(nas);
            }
        }
        assertThat(nases).as("an access point on each lane").hasSize(laneCount);
        for (String nas : nases) {
            for (int seq = 0; seq < 3; seq++) {
                lanes.submit(new Item(nas, seq));
            }
        }
        for (CountDownLatch s : started) {
            assertThat(s.await(60, TimeUnit.SECONDS)).isTrue();
        }
        AtomicInteger appliedAtReturn = new AtomicInteger(-1);
        Thread[] stopper = new Thread[1];
        CompletableFuture<AfterCommitLanes.Stopped> stop = new CompletableFuture<>();
        stopper[0] = new Thread(() -> {
            AfterCommitLanes.Stopped s = lanes.stop(LONG);
            appliedAtReturn.set(applied.get());
            stop.complete(s);
        }, "test-stopper");
        stopper[0].start();
        // Until the stop is waiting (or, wrongly, returned), bounded: every lane is still blocked, so it cannot be done.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stopper[0].getState() != Thread.State.TIMED_WAITING && !stop.isDone()
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(stop).as("stop returned while every lane was still applying").isNotDone();
        assertThat(lanes.submit(new Item(nases.get(0), 3))).as("taken after the stop began").isFalse();

        for (int i = laneCount - 1; i >= 0; i--) {
            release.get(i).countDown();
        }
        AfterCommitLanes.Stopped stopped = stop.get(60, TimeUnit.SECONDS);
        assertThat(appliedAtReturn).hasValue(laneCount * 3);
        assertThat(stopped.lanesStillBusy()).isZero();
        assertThat(stopped.notApplied()).as("the one submitted after the stop began").isEqualTo(1);
        assertThat(lanes.awaitTermination(LONG)).isTrue();
    }

    @Test
    void whatAStopCouldNotApplyByItsDeadlineIsCountedAndNeverAppliedLater() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Item> applied = Collections.synchronizedList(new ArrayList<>());
        AfterCommitLanes<Item> lanes = new AfterCommitLanes<>(2, 64, "test-lanes", Item::nas, item -> {
            if (item.seq() == 0) {
                started.countDown();
                await(release);
            }
            applied.add(item);
        });
        for (int seq = 0; seq < 4; seq++) {
            lanes.submit(new Item("stuck", seq));
        }
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();

        // The lane stays blocked until after the stop returned: its 3 queued records cannot be applied in time.
        AfterCommitLanes.Stopped stopped = lanes.stop(Duration.ofMillis(50));

        assertThat(stopped.notApplied()).isEqualTo(3);
        assertThat(stopped.lanesStillBusy()).isEqualTo(1);
        release.countDown();
        assertThat(lanes.awaitTermination(LONG)).as("the lane ends after the record it was on").isTrue();
        assertThat(applied).containsExactly(new Item("stuck", 0));
    }

    private static String onAnotherLane(AfterCommitLanes<Item> lanes, String nas) {
        for (int n = 0; n < 256; n++) {
            String other = "10.2.0." + n;
            if (lanes.lane(other) != lanes.lane(nas)) {
                return other;
            }
        }
        throw new AssertionError("every access point address maps to the lane of " + nas);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test latch not released in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
