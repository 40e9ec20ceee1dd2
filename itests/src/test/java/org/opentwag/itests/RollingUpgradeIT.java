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
import org.junit.Rule;
import org.junit.Test;
import org.opentwag.loadgen.LoadGenerator;
import org.opentwag.loadgen.LoadOptions;

/**
 * A rolling upgrade of a three-node cluster under load, and the rolling rollback (docs/upgrades.md): three
 * distributions joined by the Hazelcast state store, writing accounting to one PostgreSQL database, each with its own
 * access points (a load generator at a fixed rate per node, accounting Start and Stop per session). Every OpenTWAG
 * bundle a node runs is upgraded (the test peers hss-sim, ocs-sim and loadgen aside), node by node, in two steps:
 * <ol>
 * <li>the plugins with a {@code Release} class (eap-aka, charging-gy, radius-server, accounting), one bin/client call
 * of {@code bundle:update}s under the node's own load: each is replaced in place; then each one's activation line of
 * the release asked for (other code: {@link BundleRelease#rebuild});</li>
 * <li>all the others (API, support, codecs, state stores, Diameter stack, access sessions, vectors, charging core,
 * metrics, shell, dashboard...: {@link BundleRelease#rebuildVersion}, same classes, other version) and one
 * {@code bundle:refresh}, which restarts every service of the node: its access points are first moved to the next
 * node (as a load balancer drains a node), and moved back once it serves again; then bundle:list shows each Active in
 * the version asked for.</li>
 * </ol>
 * Then node by node the shipped releases go back the same way.
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
    /** Access points per node (NAS-IP-Address 127.0.0.1-8): accounting applies each one's records on its lane. */
    private static final int ACCESS_POINTS = 8;
    private static final long FIRST_IMSI = 1010000400000L;
    private static final long SETTLE_MILLIS = 3_000;
    /**
     * From moving a node's access points to another node to updating it: an access point gives up on a request 3 s
     * after its first send, so after this no request of theirs is left at the drained node.
     */
    private static final long DRAIN_MILLIS = 4_000;

    /**
     * Bundles of the distribution that are test peers, not part of what an operator runs: the embedded HSS and OCS
     * (each node's own, standing for the operator's HSS and OCS) and the load generator.
     */
    private static final Set<String> TEST_PEERS = Set.of("hss-sim", "ocs-sim", "loadgen");

    private final List<StandaloneDistribution> nodes = new ArrayList<>();
    @Rule
    public final ThrowawayPostgres pg = new ThrowawayPostgres(PG_PORT);

    @After
    public void stopAll() throws Exception {
        nodes.forEach(StandaloneDistribution::close);
    }

    @Test
    public void rollingUpgradeAndRollbackOfThreeNodesUnderLoadLoseNothing() throws Exception {
        long t0 = System.nanoTime();
        pg.start();
        for (int i = 0; i < 3; i++) {
            nodes.add(node(i));
        }
        for (StandaloneDistribution n : nodes) {
            Metrics.await(n.metricsPort(), "state_cluster_members", 3, 120);
        }
        String code = "rolling-" + Long.toHexString(new java.security.SecureRandom().nextLong());
        Path dir = Files.createDirectories(nodes.get(0).home().resolve("../../rolling-release"));
        // Every OpenTWAG bundle the nodes run, in two steps per node: first the plugins whose code logs which
        // release runs (updated one by one, nothing else restarts), then all the others, whose packages the rest
        // use (API, support, codecs, state stores, Diameter stack, access sessions...), and one refresh that rewires
        // every dependant to them: after it no old revision is left.
        List<BundleRelease> shippedPlugins = new ArrayList<>();
        List<BundleRelease> shippedCore = new ArrayList<>();
        for (BundleRelease s : running(nodes.get(0))) {
            (s.logsActivation() ? shippedPlugins : shippedCore).add(s);
        }
        assertTrue("plugins " + shippedPlugins, shippedPlugins.size() >= 4);
        List<BundleRelease> nextPlugins = new ArrayList<>();
        List<BundleRelease> nextCore = new ArrayList<>();
        for (BundleRelease s : shippedPlugins) {
            nextPlugins.add(s.next(code, dir));
            for (StandaloneDistribution n : nodes) {
                s.awaitRunning(n, 0);
            }
        }
        for (BundleRelease s : shippedCore) {
            nextCore.add(s.next(code, dir));
        }
        System.out.printf("upgraded on each node: %d plugins %s, then %d bundles %s and a refresh%n",
                shippedPlugins.size(), shippedPlugins.stream().map(BundleRelease::artifactId).toList(),
                shippedCore.size(), shippedCore.stream().map(BundleRelease::artifactId).toList());
        long up = System.nanoTime();
        // Warm means answering before an AP's first retransmission (p99 <= 1 s), not only before its last one: the
        // first step then loads and compiles a new release on a node of a cluster that is not still compiling the old.
        String warmUp = WarmUp.untilKeepingUp(List.of(load(0), load(1), load(2)), "rollingupgrade.rate", 1000);
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
            for (List<List<BundleRelease>> to : List.of(List.of(nextPlugins, nextCore),
                    List.of(shippedPlugins, shippedCore))) {
                for (int k = 0; k < nodes.size(); k++) {
                    StandaloneDistribution n = nodes.get(k);
                    // Plugins under the node's own load: each is replaced in place, nothing else restarts.
                    steps.add(installOn(n, to.get(0), false));
                    Thread.sleep(SETTLE_MILLIS);
                    marks.add(mark(printed));
                    // The rest restarts every service of the node (the refresh): its access points are moved to the
                    // next node first, as a load balancer drains a node, and back once it serves again.
                    int other = (k + 1) % nodes.size();
                    generators.get(k).retarget("127.0.0.1", AUTH[other], AUTH[other] + 1);
                    Thread.sleep(DRAIN_MILLIS);
                    int accountingReady = n.logLines(l -> l.contains("Accounting store ready")).size();
                    String step = installOn(n, to.get(1), true);
                    long t = System.nanoTime();
                    awaitServing(n, accountingReady);
                    generators.get(k).retarget("127.0.0.1", AUTH[k], AUTH[k] + 1);
                    steps.add(String.format("%s (drained; serving %d ms later)", step,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t)));
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
        for (int i = 0; i < steps.size(); i++) {
            // The generators run until stopped (their --duration only bounds them): every step is judged under load.
            assertTrue("no authentication in the window of " + steps.get(i) + "\n" + report,
                    marks.get(i + 1).ok() > marks.get(i).ok());
        }
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

    /**
     * Waits (bounded) until the node serves again after the refresh: a member of the three-node cluster, its RADIUS
     * clients, EAP-AKA, HSS and OCS links up, and its accounting store opened once more.
     */
    private static void awaitServing(StandaloneDistribution n, int accountingReadyBefore) throws Exception {
        Metrics.await(n.metricsPort(), "state_cluster_members", 3, 120);
        // Rejoined is not caught up: until its partitions have migrated back, a conversation the node takes on may
        // read state that is still moving.
        Metrics.await(n.metricsPort(), "state_cluster_safe", 1, 120);
        Metrics.awaitLinks(n.metricsPort());
        long deadline = System.currentTimeMillis() + 60_000;
        while (n.logLines(l -> l.contains("Accounting store ready")).size() <= accountingReadyBefore) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("accounting store of " + n.home() + " not opened again after the refresh");
            }
            Thread.sleep(200);
        }
    }

    /**
     * The OpenTWAG bundles installed on the node (bundle:list), as the jars its system/ folder ships, but the test
     * peers.
     */
    private static List<BundleRelease> running(StandaloneDistribution n) throws Exception {
        Map<String, BundleRelease> bySymbolicName = new LinkedHashMap<>();
        try (java.util.stream.Stream<Path> artifacts = Files.list(n.home().resolve("system/org/opentwag"))) {
            for (Path a : artifacts.sorted().toList()) {
                String artifact = a.getFileName().toString();
                if (!TEST_PEERS.contains(artifact) && !artifact.equals("opentwag-features")) {
                    BundleRelease r = BundleRelease.shipped(n.home(), artifact);
                    bySymbolicName.put(r.symbolicName(), r);
                }
            }
        }
        List<BundleRelease> installed = new ArrayList<>();
        Map<String, String> listed = bundleList(n);
        for (BundleRelease r : bySymbolicName.values()) {
            if (listed.containsKey(r.symbolicName())) {
                installed.add(r);
            }
        }
        return installed;
    }

    /** bundle:list of the node: symbolic name to "state version" of each org.opentwag bundle. */
    private static Map<String, String> bundleList(StandaloneDistribution n) throws Exception {
        ExternalTool.Result r = n.console("bundle:list -s -t 0", 120);
        assertEquals(r.output(), 0, r.exitCode());
        Map<String, String> listed = new LinkedHashMap<>();
        for (String line : r.output().lines().toList()) {
            String[] cols = line.split("[│|]");
            if (cols.length >= 5 && cols[4].strip().startsWith("org.opentwag.")) {
                listed.put(cols[4].strip(), cols[1].strip() + " " + cols[3].strip());
            }
        }
        return listed;
    }

    /**
     * One bin/client call that updates the given bundles of the node (and, when asked, refreshes the framework once
     * after them, so that every dependant is wired to the new revisions), then waits for each bundle to run the
     * release asked for: its activation line, or bundle:list's version for one without a Release class.
     */
    private static String installOn(StandaloneDistribution n, List<BundleRelease> releases, boolean refresh)
            throws Exception {
        List<Integer> before = new ArrayList<>();
        StringBuilder command = new StringBuilder();
        for (BundleRelease r : releases) {
            before.add(r.logsActivation() ? BundleRelease.activations(n, r.symbolicName()).size() : 0);
            String url = r.isShipped() ? r.mavenUrl() : r.fileUrl();
            command.append(command.length() == 0 ? "" : "; ").append("bundle:update ").append(r.symbolicName())
                    .append(' ').append(url);
        }
        if (refresh) {
            command.append("; bundle:refresh");
        }
        long t = System.nanoTime();
        ExternalTool.Result r = n.console(command.toString(), 180);
        assertEquals(command + "\n" + r.output(), 0, r.exitCode());
        for (int i = 0; i < releases.size(); i++) {
            if (releases.get(i).logsActivation()) {
                releases.get(i).awaitRunning(n, before.get(i));
            }
        }
        awaitVersions(n, releases);
        return String.format("%s -> %-14s %2d bundles%s active %6d ms after the command", n.home().getParent()
                .getFileName(), releases.get(0).bundleVersion(), releases.size(), refresh ? " + refresh" : "",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
    }

    /** Waits (bounded) until bundle:list shows every one of the releases Active in its version. */
    private static void awaitVersions(StandaloneDistribution n, List<BundleRelease> releases) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            Map<String, String> listed = bundleList(n);
            List<String> wrong = new ArrayList<>();
            for (BundleRelease r : releases) {
                String want = "Active " + r.bundleVersion();
                if (!want.equals(listed.get(r.symbolicName()))) {
                    wrong.add(r.symbolicName() + ": " + listed.get(r.symbolicName()) + ", not " + want);
                }
            }
            if (wrong.isEmpty()) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("on " + n.home() + ": " + wrong);
            }
            Thread.sleep(500);
        }
    }

    private StandaloneDistribution node(int i) throws Exception {
        String name = NAMES[i];
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("org.opentwag.diameter.cfg:originHost", "twag-" + name + ".localdomain");
        extra.put("org.opentwag.hsssim.cfg:peerHost", "twag-" + name + ".localdomain");
        extra.put("org.opentwag.ocssim.cfg:peerHost", "twag-" + name + ".localdomain");
        extra.putAll(pg.accountingSettings());
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
            // Each node's embedded HSS and OCS know the subscribers of every node's access points: a drained node's
            // access points are served by another node meanwhile (its HSS, starting from its own SQN, gets a
            // resynchronisation from the first of them, as a real HSS after a restore would).
            StringBuilder hss = new StringBuilder();
            StringBuilder ocs = new StringBuilder();
            for (int j = 0; j < NAMES.length; j++) {
                Path h = home.resolve("etc/hss-" + j + ".tmp");
                Path b = home.resolve("etc/ocs-" + j + ".tmp");
                load(j).range().writeHssSubscribers(h, 0);
                load(j).range().writeOcsBalances(b, 1L << 40);
                hss.append(Files.readString(h));
                ocs.append(Files.readString(b));
                Files.delete(h);
                Files.delete(b);
            }
            Files.writeString(home.resolve("etc/hss-subscribers.csv"), hss);
            Files.writeString(home.resolve("etc/ocs-balances.csv"), ocs);
        });
    }

    /** The access points of node i: their own subscribers and Acct-Session-Ids, a fixed rate, as an AP retries. */
    private static LoadOptions load(int i) {
        return LoadOptions.parse("--server", "127.0.0.1:" + AUTH[i], "--acct-port", String.valueOf(AUTH[i] + 1),
                "--secret", SECRET, "--imsi-start", String.format("%015d", FIRST_IMSI + (long) i * SUBSCRIBERS),
                "--subscribers", String.valueOf(SUBSCRIBERS), "--seed", "rolling", "--rate", String.valueOf(RATE),
                "--concurrency", String.valueOf(Math.min(SUBSCRIBERS, RATE * 10)), "--duration", "900",
                "--mix", "aka=2,aka-prime=1,reauth=1", "--accounting", "--acct-session-prefix", NAMES[i] + "-",
                "--timeout-ms", "1000", "--attempts", "3", "--access-points", String.valueOf(ACCESS_POINTS),
                "--no-progress");
    }
}
