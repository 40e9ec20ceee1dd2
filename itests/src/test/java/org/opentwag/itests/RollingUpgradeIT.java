package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;
import org.opentwag.loadgen.LoadGenerator;
import org.opentwag.loadgen.LoadOptions;

/**
 * A rolling upgrade of a three-node cluster under load, and the rolling rollback (docs/upgrades.md): three
 * distributions joined by the Hazelcast state store, writing accounting to one PostgreSQL database, each with its own
 * access points (a load generator at a fixed rate per node, accounting Start and Stop per session). Node by node, one
 * bin/client call installs the test-built release (other code, other version: {@link BundleRelease#rebuild}) of
 * eap-aka, charging-gy, radius-server and accounting; then node by node the shipped release goes back. After each
 * node's step the test waits for each bundle's activation line of the release asked for on that node.
 *
 * <p>Counted as in {@link HotUpgradeIT}: every request not answered in time (one attempt, 3 sends 1 s apart), shed
 * included, for authentications and Accounting-Requests, over all three nodes: 0 required. Every acknowledged
 * Accounting-Request is one row of the database, read back with psql.
 */
public class RollingUpgradeIT {

    private static final String SECRET = "rolling-upgrade-secret";
    private static final String CLUSTER_KEY = StandaloneDistribution.newClusterKey();
    private static final int PG_PORT = 27432;
    private static final int[] AUTH = {27812, 27822, 27832};
    private static final int[] HZ = {27801, 27811, 27821};
    private static final String[] NAMES = {"rolling-a", "rolling-b", "rolling-c"};
    /** Per node. */
    private static final int RATE = Integer.getInteger("rollingupgrade.rate", 10);
    private static final int SUBSCRIBERS = 1000;
    private static final long FIRST_IMSI = 1010000400000L;
    private static final long SETTLE_MILLIS = 3_000;

    private static final List<String[]> UPGRADED = List.of(
            new String[] {"eap-aka", "org.opentwag.eap.aka.internal"},
            new String[] {"charging-gy", "org.opentwag.charging.gy.osgi"},
            new String[] {"radius-server", "org.opentwag.radius.server.internal.osgi"},
            new String[] {"accounting", "org.opentwag.accounting.internal"});

    private final List<StandaloneDistribution> nodes = new ArrayList<>();
    private ThrowawayPostgres pg;

    @After
    public void stopAll() throws Exception {
        nodes.forEach(StandaloneDistribution::close);
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    public void rollingUpgradeAndRollbackOfThreeNodesUnderLoadLoseNothing() throws Exception {
        long t0 = System.nanoTime();
        pg = ThrowawayPostgres.start(PG_PORT);
        for (int i = 0; i < 3; i++) {
            nodes.add(node(i));
        }
        for (StandaloneDistribution n : nodes) {
            Metrics.await(n.metricsPort(), "state_cluster_members", 3, 120);
        }
        String code = "rolling-" + Long.toHexString(new java.security.SecureRandom().nextLong());
        Path dir = Files.createDirectories(nodes.get(0).home().resolve("../../rolling-release"));
        List<BundleRelease> shipped = new ArrayList<>();
        List<BundleRelease> next = new ArrayList<>();
        for (String[] b : UPGRADED) {
            BundleRelease s = BundleRelease.shipped(nodes.get(0).home(), b[0]);
            shipped.add(s);
            next.add(s.rebuild(b[1], code, dir));
            for (StandaloneDistribution n : nodes) {
                s.awaitRunning(n, 0);
            }
        }
        long up = System.nanoTime();
        String warmUp = WarmUp.untilNoFailure(List.of(load(0), load(1), load(2)), "rollingupgrade.rate");
        long started = System.nanoTime();
        System.out.printf("three nodes up, clustered, in %d s; warmed up in %d s%n%s",
                TimeUnit.NANOSECONDS.toSeconds(up - t0), TimeUnit.NANOSECONDS.toSeconds(started - up), warmUp);

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<LoadGenerator> generators = new ArrayList<>();
        List<CompletableFuture<LoadGenerator.Result>> runs = new ArrayList<>();
        List<java.io.ByteArrayOutputStream> printed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            printed.add(out);
            LoadOptions o = load(i);
            o.progress = true;
            LoadGenerator g = new LoadGenerator(o, new PrintStream(out, true, StandardCharsets.UTF_8))
                    .onAccountingAnswered((id, status) -> acknowledged.add(id + "/" + status));
            generators.add(g);
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return g.run();
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }));
        }
        List<String> steps = new ArrayList<>();
        List<LoadMark> marks = new ArrayList<>();
        try {
            Thread.sleep(3_000);
            marks.add(mark(printed));
            for (List<BundleRelease> to : List.of(next, shipped)) {
                for (StandaloneDistribution n : nodes) {
                    steps.add(installOn(n, to));
                    Thread.sleep(SETTLE_MILLIS);
                    marks.add(mark(printed));
                }
            }
        } finally {
            generators.forEach(LoadGenerator::stop);
        }
        long failures = 0;
        long ok = 0;
        long acctOk = 0;
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            LoadGenerator.Result r = runs.get(i).get(60, TimeUnit.SECONDS);
            long f = r.rejected() + r.errors() + r.timeouts() + r.shed() + r.accountingFailed();
            failures += f;
            ok += r.succeeded();
            acctOk += r.accountingOk();
            report.append(String.format("node %s: ok %d, rejected %d, errors %d, timeouts %d, shed %d, accounting ok %d"
                            + " failed %d, retransmissions %d, auth p99 %.0f ms%n", NAMES[i], r.succeeded(), r.rejected(),
                    r.errors(), r.timeouts(), r.shed(), r.accountingOk(), r.accountingFailed(), r.retransmissions(),
                    r.authLatency().getValueAtPercentile(99) / 1000.0));
            r.firstErrors().forEach(e -> report.append("  first errors: ").append(e).append('\n'));
        }
        report.append(String.format("  %-62s %s%n", "(before the first step)", marks.get(0).since(LoadMark.ZERO)));
        for (int i = 0; i < steps.size(); i++) {
            report.append(String.format("  %-62s %s%n", steps.get(i), marks.get(i + 1).since(marks.get(i))));
        }
        report.append(String.format("%nload and steps %d s, whole test %d s, %d/s per"
                        + " node, 3 sends 1 s apart%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), RATE));
        System.out.println(report);
        assertTrue(report.toString(), ok > RATE * 3L * 10);
        assertEquals("requests not answered in time (rejects + errors + time-outs + shed + accounting failures)\n"
                + report, 0, failures);
        assertEquals(report.toString(), 2 * ok, acctOk);
        assertEquals(report.toString(), acctOk, acknowledged.size());

        // Read back from the database: every acknowledged record once, nothing else.
        List<String> rows = pg.psql(ThrowawayPostgres.DATABASE, "SELECT acct_session_id || '/' || status_type FROM"
                + " accounting_record").lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        Set<String> stored = new HashSet<>(rows);
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(stored);
        System.out.printf("accounting: acknowledged %d, rows %d (distinct %d), acknowledged but not stored %d%n",
                acknowledged.size(), rows.size(), stored.size(), lost.size());
        assertTrue("acknowledged but not in the database: " + lost.stream().limit(10).toList(), lost.isEmpty());
        assertEquals("rows stored twice", stored.size(), rows.size());
        assertEquals("rows nobody acknowledged", acknowledged.size(), rows.size());
    }

    /** The three generators' figures so far. */
    private static LoadMark mark(List<java.io.ByteArrayOutputStream> printed) {
        LoadMark sum = LoadMark.ZERO;
        for (java.io.ByteArrayOutputStream out : printed) {
            sum = sum.plus(LoadMark.latest(out.toString(StandardCharsets.UTF_8)));
        }
        return sum;
    }

    /** One bin/client call that updates the four bundles of the node, then each one's activation line. */
    private static String installOn(StandaloneDistribution n, List<BundleRelease> releases) throws Exception {
        List<Integer> before = new ArrayList<>();
        StringBuilder command = new StringBuilder();
        for (BundleRelease r : releases) {
            before.add(BundleRelease.activations(n, r.symbolicName()).size());
            String url = r.code().equals("release") ? r.mavenUrl() : r.fileUrl();
            command.append(command.length() == 0 ? "" : "; ").append("bundle:update ").append(r.symbolicName())
                    .append(' ').append(url);
        }
        long t = System.nanoTime();
        ExternalTool.Result r = n.console(command.toString(), 120);
        assertEquals(command + "\n" + r.output(), 0, r.exitCode());
        for (int i = 0; i < releases.size(); i++) {
            releases.get(i).awaitRunning(n, before.get(i));
        }
        return String.format("%s -> %-14s active %6d ms after the command", n.home().getParent()
                .getFileName(), releases.get(0).bundleVersion(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
    }

    private StandaloneDistribution node(int i) throws Exception {
        String name = NAMES[i];
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("org.opentwag.diameter.cfg:originHost", "twag-" + name + ".localdomain");
        extra.put("org.opentwag.hsssim.cfg:peerHost", "twag-" + name + ".localdomain");
        extra.put("org.opentwag.ocssim.cfg:peerHost", "twag-" + name + ".localdomain");
        extra.put("org.opentwag.accounting.cfg:url", pg.jdbcUrl());
        extra.put("org.opentwag.accounting.cfg:user", ThrowawayPostgres.USER);
        extra.put("org.opentwag.accounting.cfg:dataSourceFactory.target", "(osgi.jdbc.driver.class=org.postgresql.Driver)");
        extra.put("org.opentwag.state.hazelcast.cfg:clusterName", "rolling-upgrade-it");
        extra.put("org.opentwag.state.hazelcast.cfg:bindInterface", "127.0.0.1");
        extra.put("org.opentwag.state.hazelcast.cfg:port", String.valueOf(HZ[i]));
        extra.put("org.opentwag.state.hazelcast.cfg:portCount", "1");
        extra.put("org.opentwag.state.hazelcast.cfg:members", "127.0.0.1:" + HZ[0] + ",127.0.0.1:" + HZ[1]
                + ",127.0.0.1:" + HZ[2]);
        extra.put("org.opentwag.state.hazelcast.cfg:joinWaitSeconds", "2");
        return StandaloneDistribution.start(name, AUTH[i], AUTH[i] + 1, SECRET, extra, home -> {
            StandaloneDistribution.bootAlso(home, "opentwag-state-hazelcast", "opentwag-accounting-postgresql");
            StandaloneDistribution.writeClusterKey(home, CLUSTER_KEY);
            // Each node's embedded HSS and OCS know the subscribers of its own access points.
            LoadOptions o = load(i);
            o.range().writeHssSubscribers(home.resolve("etc/hss-subscribers.csv"), 0);
            o.range().writeOcsBalances(home.resolve("etc/ocs-balances.csv"), 1L << 40);
        });
    }

    /** The access points of node i: their own subscribers and Acct-Session-Ids, a fixed rate, as an AP retries. */
    private static LoadOptions load(int i) {
        return LoadOptions.parse("--server", "127.0.0.1:" + AUTH[i], "--acct-port", String.valueOf(AUTH[i] + 1),
                "--secret", SECRET, "--imsi-start", String.format("%015d", FIRST_IMSI + (long) i * SUBSCRIBERS),
                "--subscribers", String.valueOf(SUBSCRIBERS), "--seed", "rolling", "--rate", String.valueOf(RATE),
                "--concurrency", String.valueOf(Math.min(SUBSCRIBERS, RATE * 10)), "--duration", "400",
                "--mix", "aka=2,aka-prime=1,reauth=1", "--accounting", "--acct-session-prefix", NAMES[i] + "-",
                "--timeout-ms", "1000", "--attempts", "3", "--no-progress");
    }
}
