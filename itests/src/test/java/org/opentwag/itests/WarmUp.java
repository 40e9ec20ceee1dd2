package org.opentwag.itests;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.opentwag.loadgen.LoadGenerator;
import org.opentwag.loadgen.LoadOptions;

/**
 * Before an upgrade test judges anything: the same load, authentications only, in 4 s rounds until one round has no
 * failure (at most 15). A cold JVM on a busy 2-core machine first answers after the AP gave up, which says nothing
 * about upgrades; the upgrades are judged from servers that keep up with the rate, and the test fails, saying so, if
 * they never do.
 */
final class WarmUp {

    private WarmUp() {
    }

    /** One generator per options, all at once, per round; returns the rounds' figures. */
    static String untilNoFailure(List<LoadOptions> loads, String rateProperty) throws Exception {
        return untilKeepingUp(loads, rateProperty, Double.MAX_VALUE);
    }

    /**
     * As {@link #untilNoFailure}, and until the round's p99 is at most {@code maxP99Millis}: a round without failure
     * whose slowest answers only just beat the AP's last retransmission says the servers are still compiling, not that
     * they keep up.
     */
    static String untilKeepingUp(List<LoadOptions> loads, String rateProperty, double maxP99Millis) throws Exception {
        StringBuilder rounds = new StringBuilder();
        for (int round = 1; round <= 15; round++) {
            List<CompletableFuture<LoadGenerator.Result>> runs = new ArrayList<>();
            for (LoadOptions o : loads) {
                o.durationSeconds = 4;
                o.accounting = false; // so that every accounting row is of the judged run
                o.progress = false;
                runs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return new LoadGenerator(o, new PrintStream(OutputStream.nullOutputStream())).run();
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }));
            }
            long ok = 0;
            long failures = 0;
            double p99 = 0;
            for (CompletableFuture<LoadGenerator.Result> run : runs) {
                LoadGenerator.Result r = run.get(60, TimeUnit.SECONDS);
                ok += r.succeeded();
                failures += r.rejected() + r.errors() + r.timeouts() + r.shed();
                p99 = Math.max(p99, r.authLatency().getValueAtPercentile(99) / 1000.0);
            }
            rounds.append(String.format("warm-up round %d: ok %d, failures %d, p99 %.0f ms%n", round, ok, failures, p99));
            if (failures == 0 && ok > 0 && p99 <= maxP99Millis) {
                return rounds.toString();
            }
        }
        throw new AssertionError("the server never kept up with the rate without failures" + (maxP99Millis
                < Double.MAX_VALUE ? " and a p99 of at most " + (long) maxP99Millis + " ms" : "") + " before any upgrade"
                + " (the machine is too busy for this rate: -D" + rateProperty + "=N)\n" + rounds);
    }
}
