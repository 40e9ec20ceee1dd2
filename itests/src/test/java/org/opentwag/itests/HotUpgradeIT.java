package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.After;
import org.junit.Test;
import org.opentwag.loadgen.LoadGenerator;
import org.opentwag.loadgen.LoadOptions;

/**
 * docs/upgrades.md under load: the load generator keeps a fixed rate of authentications (100/s by default,
 * {@code -Dhotupgrade.rate=N} to change it), each with accounting Start and Stop, while the operator, through
 * bin/client, installs another release of eap-aka, charging-gy (the online charging backend), radius-server and
 * accounting over the running one ({@code bundle:update <name> file:...jar}) and then goes back to the shipped one
 * ({@code bundle:update <name> mvn:org.opentwag/<artifact>/<version>}), one after the other.
 *
 * <p>The other release is built by the test ({@link BundleRelease#rebuild}): another Bundle-Version and other code
 * (the bundle's Release class recompiled with a code word made for this run), so the activation line of the new code
 * in the log proves the new code took over, and the shipped line afterwards proves the rollback did.
 *
 * <p>A request counts as failed unless it got its answer in time as an AP waits for it: one attempt each, sent at
 * most 3 times 1 s apart; rejects, errors, time-outs and requests the generator shed (could not start on time) all
 * count, for authentications and for Accounting-Requests. Required: 0 over the whole run (so 0 over each upgrade and
 * each rollback); every acknowledged Accounting-Request is a row of the accounting database, read back from the
 * database after the node stopped, once and only once; and the counters on /metrics never go back.
 */
public class HotUpgradeIT {

    private static final int AUTH_PORT = 24812;
    private static final int ACCT_PORT = 24813;
    private static final String SECRET = "hot-upgrade-secret";
    private static final int RATE = Integer.getInteger("hotupgrade.rate", 100);
    /** After each step: long enough for every request lost in the switch-over to have been retransmitted twice. */
    private static final long SETTLE_MILLIS = 3_000;

    /** The bundles upgraded and rolled back, with the package of their Release class. */
    private static final List<String[]> UPGRADED = List.of(
            new String[] {"eap-aka", "org.opentwag.eap.aka.internal"},
            new String[] {"charging-gy", "org.opentwag.charging.gy.osgi"},
            new String[] {"radius-server", "org.opentwag.radius.server.internal.osgi"},
            new String[] {"accounting", "org.opentwag.accounting.internal"});

    /**
     * Counters that must never go back during the run: at least one of each updated bundle, plus charging-core's and
     * diameter-stack's. Charging runs in mode online (etc/org.opentwag.charging.cfg).
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

    /** One step of the operator: a console command, and the release whose activation line must then be the last. */
    private record Step(String command, BundleRelease expected) {
    }

    @Test
    public void upgradesAndRollbacksUnderLoadLoseNothing() throws Exception {
        LoadOptions o = options("001010000200000");
        karaf = StandaloneDistribution.start("hotupgrade", AUTH_PORT, ACCT_PORT, SECRET, Map.of(), home -> {
            o.range().writeHssSubscribers(home.resolve("etc/hss-subscribers.csv"), 0);
            o.range().writeOcsBalances(home.resolve("etc/ocs-balances.csv"), 1L << 40);
        });
        String code = "upgrade-" + Long.toHexString(new java.security.SecureRandom().nextLong());
        Path releases = java.nio.file.Files.createDirectories(karaf.home().resolve("../new-release"));
        List<Step> steps = new ArrayList<>();
        for (String[] b : UPGRADED) {
            BundleRelease shipped = BundleRelease.shipped(karaf.home(), b[0]);
            shipped.awaitRunning(karaf, 0);
            BundleRelease next = shipped.rebuild(b[1], code, releases);
            steps.add(new Step("bundle:update " + shipped.symbolicName() + " " + next.fileUrl(), next));
            steps.add(new Step("bundle:update " + shipped.symbolicName() + " " + shipped.mavenUrl(), shipped));
        }
        Metrics.awaitLinks(karaf.metricsPort());
        // Warm-up without accounting, so that every row of the database is of the judged run.
        String warmUp = WarmUp.untilNoFailure(List.of(options("001010000200000")), "hotupgrade.rate");
        long rejectedBefore = rejects().size();
        assertTrue("radius-server must use the state store's cache and counters:\n" + karaf.logText(),
                karaf.logText().contains("RADIUS duplicate cache and counters kept by the state store bundle"));
        assertTrue("charging-gy must use the state store's counters",
                karaf.logText().contains("Gy counters kept by the state store bundle"));
        Map<String, Double> before = Metrics.scrape(karaf.metricsPort());

        // Scrape /metrics every second throughout: no counter may go back.
        List<Map<String, Double>> scrapes = new CopyOnWriteArrayList<>();
        AtomicBoolean scraping = new AtomicBoolean(true);
        CompletableFuture<Void> scraper = CompletableFuture.runAsync(() -> {
            while (scraping.get()) {
                try {
                    scrapes.add(Metrics.scrape(karaf.metricsPort()));
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception | AssertionError notNow) {
                    // one failed scrape is no evidence either way
                }
            }
        });

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Run run = underLoad(o, steps, acknowledged);
        scraping.set(false);
        scraper.get(10, TimeUnit.SECONDS);
        LoadGenerator.Result r = run.result;
        System.out.println(warmUp + run.report);

        long failures = r.rejected() + r.errors() + r.timeouts() + r.shed() + r.accountingFailed();
        assertTrue(run.report, r.succeeded() > RATE * 20L);
        assertEquals("requests not answered in time (rejects + errors + time-outs + shed + accounting failures)\n"
                + run.report, 0, failures);
        assertEquals(run.report, 2 * r.succeeded(), r.accountingOk());
        assertEquals(run.report, r.accountingOk(), acknowledged.size());
        List<String> rejects = rejects();
        assertEquals(run.report + rejects.subList((int) rejectedBefore, Math.min(rejects.size(), (int) rejectedBefore + 20)),
                rejectedBefore, rejects.size());

        // The counters kept counting: never back, and the RADIUS server's own continued across its updates.
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

        // Every acknowledged Accounting-Request is one row of the database, and no row is there twice: read back
        // from the database itself once Karaf has stopped (and closed it).
        karaf.stop();
        List<String> rows = new ArrayList<>();
        String url = "jdbc:h2:file:" + karaf.home().resolve("data/opentwag/accounting").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT acct_session_id, status_type FROM accounting_record")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "/" + rs.getInt(2));
            }
        }
        Set<String> stored = new HashSet<>(rows);
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(stored);
        System.out.printf("accounting: acknowledged %d, rows in the database %d (distinct %d), acknowledged but not "
                + "stored %d%n", acknowledged.size(), rows.size(), stored.size(), lost.size());
        assertTrue("acknowledged but not in the database: " + lost.stream().limit(10).toList(), lost.isEmpty());
        assertEquals("rows stored twice", stored.size(), rows.size());
        assertEquals("rows nobody acknowledged (the run had no failure, so every request was answered)",
                acknowledged.size(), rows.size());
    }

    /** "Authentication REJECTED" lines of every karaf.log*. */
    private List<String> rejects() throws Exception {
        return karaf.logLines(x -> x.contains("Authentication REJECTED"));
    }

    private record Run(LoadGenerator.Result result, String report) {
    }

    /** As an AP: one attempt per request, sent at most 3 times, 1 s apart. */
    private static LoadOptions options(String imsiStart) {
        return LoadOptions.parse("--server", "127.0.0.1:" + AUTH_PORT, "--acct-port", String.valueOf(ACCT_PORT),
                "--secret", SECRET, "--imsi-start", imsiStart, "--subscribers", "4000", "--seed", "hot",
                "--rate", String.valueOf(RATE), "--concurrency", String.valueOf(Math.min(4000, Math.max(600, RATE * 8))),
                "--duration", "300", "--mix", "aka=2,aka-prime=1,reauth=1", "--accounting", "--timeout-ms", "1000",
                "--attempts", "3");
    }

    /**
     * Steady load: 4 s before the first step; each step through bin/client, then the wait for its activation line,
     * then {@link #SETTLE_MILLIS}; then the load stops. The report has the generator's table and, per step, the
     * figures of the window that starts with it.
     */
    private Run underLoad(LoadOptions o, List<Step> plan, Set<String> acknowledged) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LoadGenerator generator = new LoadGenerator(o, new PrintStream(printed, true, StandardCharsets.UTF_8))
                .onAccountingAnswered((id, status) -> acknowledged.add(id + "/" + status));
        CompletableFuture<LoadGenerator.Result> run = CompletableFuture.supplyAsync(() -> {
            try {
                return generator.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> done = new ArrayList<>();
        List<LoadMark> marks = new ArrayList<>();
        try {
            Thread.sleep(4_000);
            marks.add(LoadMark.latest(printed.toString(StandardCharsets.UTF_8)));
            for (Step step : plan) {
                String name = step.expected().symbolicName();
                int activationsBefore = BundleRelease.activations(karaf, name).size();
                long t = System.nanoTime();
                ExternalTool.Result r = karaf.console(step.command(), 90);
                String title = String.format("%-14s -> %-26s", name.replace("org.opentwag.", ""),
                        step.expected().bundleVersion());
                assertEquals(String.join("\n", done) + "\n" + step.command() + "\n" + r.output(), 0, r.exitCode());
                step.expected().awaitRunning(karaf, activationsBefore);
                done.add(String.format("%s  active %5d ms after the command", title,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t)));
                Thread.sleep(SETTLE_MILLIS);
                marks.add(LoadMark.latest(printed.toString(StandardCharsets.UTF_8)));
            }
        } finally {
            generator.stop();
        }
        LoadGenerator.Result r = run.get(60, TimeUnit.SECONDS);
        String text = printed.toString(StandardCharsets.UTF_8);
        LoadMark end = LoadMark.latest(text);
        StringBuilder report = new StringBuilder(r.table()).append("\nper step (window from the step to the next one):\n");
        report.append(String.format("  %-60s %s%n", "(before the first step)", marks.get(0).since(LoadMark.ZERO)));
        for (int i = 0; i < done.size(); i++) {
            LoadMark to = i + 1 < marks.size() ? marks.get(i + 1) : end;
            report.append(String.format("  %-60s %s%n", done.get(i), to.since(marks.get(i))));
        }
        report.append("rate asked ").append(RATE).append("/s, ").append(o.attempts).append(" sends ")
                .append(o.timeoutMillis).append(" ms apart; failures = rejected ").append(r.rejected())
                .append(" + errors ").append(r.errors()).append(" + timeouts ").append(r.timeouts())
                .append(" + shed ").append(r.shed()).append(" + accounting failed ").append(r.accountingFailed());
        return new Run(r, report.toString());
    }
}
