package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;
import org.opentwag.loadgen.LoadGenerator;
import org.opentwag.loadgen.LoadOptions;

/**
 * docs/upgrades.md under load (issue 8): the load generator keeps a steady rate of authentications (500/s by default,
 * {@code -Dhotupgrade.rate=N} to change it), each with accounting Start and Stop, while the operator, through
 * bin/client, one after another: bundle:updates EAP-AKA, the SWx client, the Gy charging backend, the RADIUS server
 * and the dashboard, then feature:installs and feature:uninstalls the vendor charging plugin opentwag-charging-cdr.
 * APs retransmit (a request lost in the listener's re-bind is retried), but no authentication may fail or time out,
 * every acknowledged Accounting-Request is a committed row and nothing else is, and the counters on /metrics keep
 * counting (none goes back, not even an updated bundle's own across its update: they are kept by the state store
 * bundle's CounterStore).
 */
public class HotUpgradeIT {

    private static final int AUTH_PORT = 24812;
    private static final int ACCT_PORT = 24813;
    private static final String SECRET = "hot-upgrade-secret";
    private static final int RATE = Integer.getInteger("hotupgrade.rate", 500);

    /** What the operator does, in this order, 4 s apart. */
    private static final List<String> STEPS = List.of(
            "bundle:update org.opentwag.eap-aka",
            "bundle:update org.opentwag.swx-client",
            "bundle:update org.opentwag.charging-gy",
            "bundle:update org.opentwag.radius-server",
            "bundle:update org.opentwag.dashboard",
            "feature:install opentwag-charging-cdr",
            "feature:uninstall opentwag-charging-cdr");

    /**
     * Counters that must never go back during the run: at least one of each updated bundle that counts (eap-aka,
     * charging-gy, radius-server; swx-client has none of its own, its SWx traffic is counted by diameter-stack, which
     * stays), plus accounting's and charging-core's. Charging runs in mode online (etc/org.opentwag.charging.cfg).
     */
    private static final List<String> MONOTONIC = List.of("radius_access_request_count", "radius_access_accept_count",
            "radius_accounting_response_count", "accounting_records_stored_count", "accounting_batches_count",
            "eap_aka_auth_success_count{method=\"EAP-AKA\"}", "eap_aka_auth_success_count{method=\"EAP-AKA'\"}",
            "eap_aka_fast_reauth_count{method=\"EAP-AKA\"}",
            "diameter_message_count{application=\"swx\",command=\"MAR\",direction=\"out\"}",
            "charging_ccr_count{mode=\"online\",type=\"initial\"}",
            "charging_cca_result_count{mode=\"online\",result=\"2001\"}",
            "charging_result_count{mode=\"online\",result=\"allowed\"}");

    private StandaloneDistribution karaf;

    @After
    public void stop() {
        if (karaf != null) {
            karaf.close();
        }
    }

    @Test
    public void updatesUnderLoadLoseNothing() throws Exception {
        LoadOptions o = options("001010000200000");
        karaf = StandaloneDistribution.start("hotupgrade", AUTH_PORT, ACCT_PORT, SECRET, Map.of(), home -> {
            o.range().writeHssSubscribers(home.resolve("etc/hss-subscribers.csv"), 0);
            o.range().writeOcsBalances(home.resolve("etc/ocs-balances.csv"), 1L << 40);
        });
        Metrics.awaitLinks(karaf.metricsPort());
        // Warm-up, not judged: a cold JVM on a loaded 2-core box misses the Gy Tx timer in its first seconds at full
        // rate ("no CCA (timeout)"), which says nothing about upgrades.
        LoadGenerator.Result warmUp = warmUp(o);
        long rejectedBefore = rejects().size();
        assertTrue("radius-server must use the state store's cache and counters:\n" + karaf.logText(),
                karaf.logText().contains("RADIUS duplicate cache and counters kept by the state store bundle"));
        assertTrue("charging-gy must use the state store's counters",
                karaf.logText().contains("Gy counters kept by the state store bundle"));
        Map<String, Double> before = Metrics.scrape(karaf.metricsPort());
        double storedBefore = before.getOrDefault("accounting_records_stored_count", 0.0);

        // Scrape /metrics twice a second throughout: no counter may go back.
        List<Map<String, Double>> scrapes = new CopyOnWriteArrayList<>();
        AtomicBoolean scraping = new AtomicBoolean(true);
        CompletableFuture<Void> scraper = CompletableFuture.runAsync(() -> {
            while (scraping.get()) {
                try {
                    scrapes.add(Metrics.scrape(karaf.metricsPort()));
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception | AssertionError notNow) {
                    // one failed scrape is no evidence either way
                }
            }
        });

        Run run = underLoad(o);
        scraping.set(false);
        scraper.get(10, TimeUnit.SECONDS);
        LoadGenerator.Result r = run.result;
        System.out.println("warm-up (not judged): ok " + warmUp.succeeded() + " failed " + warmUp.failed()
                + " timeouts " + warmUp.timeouts() + " retransmissions " + warmUp.retransmissions() + "\n" + run.report);

        assertTrue(run.report, r.succeeded() > RATE * 20L);
        assertEquals(run.report, 0, r.failed());
        assertEquals(run.report, 0, r.timeouts());
        assertEquals(run.report, 0, r.accountingFailed());
        assertEquals(run.report, 2 * r.succeeded(), r.accountingOk());
        List<String> rejects = rejects();
        assertEquals(run.report + rejects.subList((int) rejectedBefore, Math.min(rejects.size(), (int) rejectedBefore + 20)),
                rejectedBefore, rejects.size());

        // Every acknowledged Accounting-Request is one committed row, and no row was stored twice.
        Metrics.await(karaf.metricsPort(), "accounting_records_stored_count", storedBefore + r.accountingOk(), 10);

        // The counters kept counting: never back, and the RADIUS server's own continued across its update.
        for (String series : MONOTONIC) {
            assertTrue(series + " missing on /metrics", scrapes.get(scrapes.size() - 1).containsKey(series));
            double last = -1;
            for (Map<String, Double> s : scrapes) {
                Double v = s.get(series);
                if (v != null) {
                    assertTrue(series + " went back from " + last + " to " + v + "\n" + run.report, v >= last);
                    last = v;
                }
            }
        }
        Map<String, Double> after = Metrics.scrape(karaf.metricsPort());
        double acceptsBefore = before.getOrDefault("radius_access_accept_count", 0.0);
        double acceptsAfter = after.getOrDefault("radius_access_accept_count", 0.0);
        assertTrue("radius_access_accept_count " + acceptsBefore + " -> " + acceptsAfter + " for " + r.succeeded()
                + " successes", acceptsAfter >= acceptsBefore + r.succeeded());
        assertTrue(after.keySet().stream().anyMatch(k -> k.startsWith("eap_aka_auth_success_count")));
    }

    /** Half the rate for 8 s. */
    private LoadGenerator.Result warmUp(LoadOptions o) throws Exception {
        LoadOptions w = options("001010000200000");
        w.rate = Math.max(50, RATE / 2);
        w.durationSeconds = 8;
        w.progress = false;
        return new LoadGenerator(w, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();
    }

    /** "Authentication REJECTED" lines of every karaf.log* (the log rolls over at 16 MB under this load). */
    private List<String> rejects() throws Exception {
        List<String> lines = new ArrayList<>();
        try (java.util.stream.Stream<java.nio.file.Path> logs = java.nio.file.Files.list(karaf.log().getParent())) {
            for (java.nio.file.Path log : logs.filter(p -> p.getFileName().toString().startsWith("karaf.log")).toList()) {
                try (java.util.stream.Stream<String> l = java.nio.file.Files.lines(log)) {
                    l.filter(x -> x.contains("Authentication REJECTED")).forEach(lines::add);
                }
            }
        }
        java.util.Collections.sort(lines);
        return lines;
    }

    private record Run(LoadGenerator.Result result, String report) {
    }

    private static LoadOptions options(String imsiStart) {
        return LoadOptions.parse("--server", "127.0.0.1:" + AUTH_PORT, "--acct-port", String.valueOf(ACCT_PORT),
                "--secret", SECRET, "--imsi-start", imsiStart, "--subscribers", "4000", "--seed", "hot",
                "--rate", String.valueOf(RATE), "--concurrency", String.valueOf(Math.max(300, RATE * 2)),
                "--duration", "150", "--mix", "aka=2,aka-prime=1,reauth=1", "--accounting", "--timeout-ms", "2000",
                "--attempts", "5");
    }

    /** The generator's one-second progress line: cumulative figures. */
    private static final Pattern PROGRESS = Pattern.compile(
            "\\[\\s*(\\d+)s\\] ok (\\d+) \\(\\+\\d+/s\\) reject (\\d+) error (\\d+) timeout (\\d+) in flight \\d+ retrans (\\d+) acct (\\d+)");

    /** Cumulative load figures at one moment (from the latest progress line). */
    private record Mark(long second, long ok, long failed, long timeouts, long retrans, long acct) {
        static final Mark ZERO = new Mark(0, 0, 0, 0, 0, 0);

        static Mark latest(String printed) {
            Mark last = ZERO;
            Matcher m = PROGRESS.matcher(printed);
            while (m.find()) {
                last = new Mark(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                        Long.parseLong(m.group(3)) + Long.parseLong(m.group(4)), Long.parseLong(m.group(5)),
                        Long.parseLong(m.group(6)), Long.parseLong(m.group(7)));
            }
            return last;
        }

        String since(Mark from) {
            return String.format("%3d-%3ds  ok %6d  failed %d  timeouts %d  retrans %4d  acct ok %6d", from.second,
                    second, ok - from.ok, failed - from.failed, timeouts - from.timeouts, retrans - from.retrans,
                    acct - from.acct);
        }
    }

    /**
     * Steady load: 5 s before the first step, each step through bin/client then 4 s, 6 s after the last; then the
     * load stops. The report has the generator's table and, per step, the figures of the window that starts with it.
     */
    private Run underLoad(LoadOptions o) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LoadGenerator generator = new LoadGenerator(o, new PrintStream(printed, true, StandardCharsets.UTF_8));
        CompletableFuture<LoadGenerator.Result> run = CompletableFuture.supplyAsync(() -> {
            try {
                return generator.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(5_000);
        List<String> steps = new ArrayList<>();
        List<Mark> marks = new ArrayList<>();
        marks.add(Mark.latest(printed.toString(StandardCharsets.UTF_8)));
        for (String step : STEPS) {
            long t = System.nanoTime();
            ExternalTool.Result r = karaf.console(step, 90);
            steps.add(String.format("%-45s exit %d in %5d ms", step, r.exitCode(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t)));
            assertEquals(String.join("\n", steps) + "\n" + r.output(), 0, r.exitCode());
            Thread.sleep(4_000);
            marks.add(Mark.latest(printed.toString(StandardCharsets.UTF_8)));
        }
        Thread.sleep(2_000);
        generator.stop();
        LoadGenerator.Result r = run.get(60, TimeUnit.SECONDS);
        String text = printed.toString(StandardCharsets.UTF_8);
        Mark end = Mark.latest(text);
        StringBuilder report = new StringBuilder(r.table()).append("\nper step (window from the step to the next one):\n");
        report.append(String.format("  %-45s %s%n", "(warm-up)", marks.get(0).since(Mark.ZERO)));
        for (int i = 0; i < STEPS.size(); i++) {
            Mark to = i + 1 < STEPS.size() ? marks.get(i + 1) : end;
            report.append(String.format("  %-45s %s%n", steps.get(i), to.since(marks.get(i))));
        }
        report.append("rate asked ").append(RATE).append("/s");
        return new Run(r, report.toString());
    }
}
