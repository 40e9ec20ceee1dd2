package org.opentwag.itests;

import org.opentwag.loadgen.LoadOptions;
import org.opentwag.loadgen.LoadGenerator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.nio.file.StandardOpenOption;
import java.io.PrintStream;
import java.io.OutputStream;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Test;

/**
 * Three TWAG nodes as one (docs/cluster.md): three distributions, each its own process, own ports and own Diameter
 * Origin-Host, joined by the feature opentwag-state-hazelcast installed at run time as an operator would.
 *
 * <p>The phone (eapol_test) reaches them through a relay that sends each RADIUS round trip to the other node in
 * turn (A, B, C, A ...), so an EAP-AKA conversation begun on one node continues on the others, and the fast
 * re-authentication (eapol_test -r 1) lands on another node than the full authentication it resumes. Accounting
 * starts on one node and stops on another; then one node is killed with SIGKILL and the survivors still know every
 * client and session.
 *
 * <p>Each distribution also runs its own embedded HSS simulator. For this test that is acceptable: every full
 * authentication fetches one vector from one of them, and the USIM (a fresh eapol_test each time) accepts any SQN
 * above its own. A real cluster points every node at the one HSS (or DRA).
 */
public class ClusterIT {

    private static final String SECRET = "cluster-it-secret";
    private static final int A_AUTH = 23812;
    private static final int A_ACCT = 23813;
    private static final int B_AUTH = 23822;
    private static final int B_ACCT = 23823;
    private static final int C_AUTH = 23832;
    private static final int C_ACCT = 23833;
    private static final int A_HZ = 25801;
    private static final int B_HZ = 25811;
    private static final int C_HZ = 25821;
    private static final String NAS = "10.77.0.1";
    private static final String CLUSTER_KEY = StandaloneDistribution.newClusterKey();

    private final List<StandaloneDistribution> nodes = new ArrayList<>();
    private AlternatingRelay relay;

    @After
    public void stopAll() {
        if (relay != null) {
            relay.close();
        }
        nodes.forEach(StandaloneDistribution::close);
    }

    private StandaloneDistribution node(String name, int auth, int acct, int hzPort) throws Exception {
        Map<String, String> extra = new LinkedHashMap<>();
        // Each node its own Diameter identity toward the HSS and the OCS.
        extra.put("org.opentwag.diameter.cfg:originHost", "twag-" + name + ".localdomain");
        extra.put("org.opentwag.hsssim.cfg:peerHost", "twag-" + name + ".localdomain");
        extra.put("org.opentwag.ocssim.cfg:peerHost", "twag-" + name + ".localdomain");
        extra.put("org.opentwag.state.hazelcast.cfg:clusterName", "cluster-it");
        extra.put("org.opentwag.state.hazelcast.cfg:bindInterface", "127.0.0.1");
        extra.put("org.opentwag.state.hazelcast.cfg:port", String.valueOf(hzPort));
        extra.put("org.opentwag.state.hazelcast.cfg:portCount", "1");
        extra.put("org.opentwag.state.hazelcast.cfg:members", "127.0.0.1:" + A_HZ + ",127.0.0.1:" + B_HZ
                + ",127.0.0.1:" + C_HZ);
        extra.put("org.opentwag.state.hazelcast.cfg:joinWaitSeconds", "2");
        extra.put("org.opentwag.state.hazelcast.cfg:memberTimeoutSeconds", "10");
        // The load generator's subscribers join the lab ones in each node's HSS file (capacity figures below).
        // The cluster key in the file the shipped configuration refers to: the values cross the link sealed.
        StandaloneDistribution d = StandaloneDistribution.start("cluster-" + name, auth, acct, SECRET, extra, home -> {
            addLoadSubscribers(home);
            StandaloneDistribution.writeClusterKey(home, CLUSTER_KEY);
        });
        nodes.add(d);
        return d;
    }

    private static final long LOAD_FIRST_IMSI = 1010000300000L;
    private static final int LOAD_SUBSCRIBERS = 300;
    private static final int LOAD_SECONDS = 5;

    /** Appends the generator's subscribers (keys derived per IMSI from the seed) to the copy's subscriber file. */
    private static void addLoadSubscribers(Path home) throws Exception {
        Path generated = Files.createTempFile("load-subscribers", ".csv");
        try {
            load(0, LOAD_FIRST_IMSI, 3 * LOAD_SUBSCRIBERS).range().writeHssSubscribers(generated, 0);
            List<String> rows = Files.readAllLines(generated).stream()
                    .filter(l -> !l.startsWith("#") && !l.startsWith("imsi") && !l.isBlank()).toList();
            Files.write(home.resolve("etc/hss-subscribers.csv"), rows, StandardOpenOption.APPEND);
        } finally {
            Files.deleteIfExists(generated);
        }
    }

    /** A closed-loop EAP-AKA load against one node, bounded in time, from the load generator. */
    private static LoadOptions load(int authPort, long firstImsi, int subscribers) {
        return LoadOptions.parse("--server", "127.0.0.1:" + authPort, "--secret", SECRET,
                "--imsi-start", String.format("%015d", firstImsi), "--subscribers", String.valueOf(subscribers),
                "--seed", "cluster-it", "--duration", String.valueOf(LOAD_SECONDS), "--count", "100000",
                "--concurrency", "16", "--mix", "aka=1", "--timeout-ms", "3000", "--attempts", "3", "--no-progress");
    }

    /**
     * Capacity figure (printed, not asserted: a speed is a benchmark's business): one generator per node, all at
     * once, each on its own third of the generator's subscribers; returns the auths/s they achieved together.
     */
    private static double capacity(List<Integer> authPorts) throws Exception {
        List<CompletableFuture<LoadGenerator.Result>> runs = new ArrayList<>();
        for (int i = 0; i < authPorts.size(); i++) {
            LoadOptions o = load(authPorts.get(i), LOAD_FIRST_IMSI + (long) i * LOAD_SUBSCRIBERS, LOAD_SUBSCRIBERS);
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return new LoadGenerator(o, new PrintStream(OutputStream.nullOutputStream())).run();
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }));
        }
        double total = 0;
        for (CompletableFuture<LoadGenerator.Result> run : runs) {
            total += run.get(LOAD_SECONDS + 60L, TimeUnit.SECONDS).authsPerSecond();
        }
        return total;
    }

    @Test
    public void threeNodesShareConversationsClientsAndSessionsAndSurviveTheDeathOfOne() throws Exception {
        StandaloneDistribution a = node("a", A_AUTH, A_ACCT, A_HZ);
        StandaloneDistribution b = node("b", B_AUTH, B_ACCT, B_HZ);
        StandaloneDistribution c = node("c", C_AUTH, C_ACCT, C_HZ);

        // Baseline for the figure below: node A alone with its in-memory store, through the same relay.
        relay = new AlternatingRelay(List.of(new InetSocketAddress("127.0.0.1", A_AUTH)));
        double single = authsPerSecond("node A alone, in-memory store");
        relay.close();
        double singleCapacity = capacity(List.of(A_AUTH));

        // As an operator would: install the clustered store on each running node.
        for (StandaloneDistribution n : List.of(a, b, c)) {
            ExternalTool.Result r = n.console("feature:install opentwag-state-hazelcast", 180);
            assertEquals(r.output(), 0, r.exitCode());
        }
        for (StandaloneDistribution n : List.of(a, b, c)) {
            n.awaitMetric("state_cluster_members", 3, 120);
            n.awaitMetric("state_cluster_safe", 1, 120);
        }
        // Consumers rebound to the higher-ranked store; the RADIUS side may take a moment to come back.
        for (StandaloneDistribution n : List.of(a, b, c)) {
            Metrics.awaitLinks(n.metricsPort());
        }

        // Every RADIUS round trip goes to the next node: A, B, C, A ...
        relay = new AlternatingRelay(List.of(new InetSocketAddress("127.0.0.1", A_AUTH),
                new InetSocketAddress("127.0.0.1", B_AUTH), new InetSocketAddress("127.0.0.1", C_AUTH)));
        String identity = "0001010000000001" + Eapol.REALM;
        ExternalTool.Result login = relay.akaWithin(SECRET, 90_000, identity, "-r", "1");
        assertTrue("EAP-AKA full authentication and fast re-authentication across the two nodes:\n"
                + tail(login.output()), login.succeeded());
        assertTrue("every node answered: " + Arrays.toString(relay.perBackend()),
                relay.perBackend()[0] > 0 && relay.perBackend()[1] > 0 && relay.perBackend()[2] > 0);
        // The second authentication (-r 1) resumed the first one's keys: EAP-AKA Reauthentication, no new vector.
        assertTrue("the second authentication was a fast re-authentication:\n" + tail(login.output()),
                login.output().contains("Generating EAP-AKA Reauthentication"));
        // The MSK each node sent in MS-MPPE keys matches the phone's, for the full and the fast authentication.
        assertTrue(tail(login.output()), login.output().contains("MPPE keys OK: 2  mismatch: 0"));

        double clustered = authsPerSecond("three nodes, Hazelcast store, round trips alternating");
        System.out.printf("sequential EAP-AKA full authentications (one eapol_test process each): %.2f/s on one "
                + "node, %.2f/s across the cluster%n", single, clustered);
        double clusterCapacity = capacity(List.of(A_AUTH, B_AUTH, C_AUTH));
        System.out.printf("load generator, %d s closed loop, 16 in flight per node: %.0f auths/s on node A alone "
                + "(in-memory store), %.0f auths/s on the three-node cluster (one generator per node), same 2 cores%n",
                LOAD_SECONDS, singleCapacity, clusterCapacity);

        // Each node shows the client, whichever node accepted it last: one row for the subscriber, under the
        // identity of its latest login (here the fast re-authentication identity), with its IMSI.
        String imsi = "001010000000001";
        for (StandaloneDistribution n : List.of(a, b, c)) {
            ExternalTool.Result clients = n.console("twag:clients", 60);
            assertTrue(clients.output(), clients.output().contains("| " + imsi + " | Accepted"));
            assertEquals(clients.output(), 1,
                    clients.output().lines().filter(l -> l.contains("| " + imsi + " |")).count());
        }

        // Accounting: Start through A, Stop through B closes the same session; another one stays open.
        accounting(A_ACCT, "Start", "cluster-s1", identity);
        accounting(A_ACCT, "Start", "cluster-s2", identity);
        b.awaitMetric("accounting_open_sessions_count", 2, 30);
        c.awaitMetric("accounting_open_sessions_count", 2, 30);
        accounting(B_ACCT, "Stop", "cluster-s1", identity);
        a.awaitMetric("accounting_open_sessions_count", 1, 30);

        // A dies without a goodbye: B keeps the client and the open session from the backups.
        a.killMinus9();
        for (StandaloneDistribution n : List.of(b, c)) {
            n.awaitMetric("state_cluster_members", 2, 60);
            ExternalTool.Result client = n.console("twag:client " + imsi, 60);
            assertTrue(client.output(), client.output().contains("Accepted"));
            assertEquals(1.0, Metrics.value(n.metricsPort(), "accounting_open_sessions_count"), 0.0);
        }
        accounting(C_ACCT, "Stop", "cluster-s2", identity);
        b.awaitMetric("accounting_open_sessions_count", 0, 30);

        // The survivor alone still authenticates (the relay now has one backend left).
        relay.close();
        relay = new AlternatingRelay(List.of(new InetSocketAddress("127.0.0.1", B_AUTH),
                new InetSocketAddress("127.0.0.1", C_AUTH)));
        ExternalTool.Result alone = relay.akaWithin(SECRET, 60_000, "0001010000000002" + Eapol.REALM);
        assertTrue(tail(alone.output()), alone.succeeded());
    }

    /**
     * Sequential full authentications through the relay for a bounded time (at most 10, at most 40 s), for a
     * figure only: each includes starting eapol_test, so it is latency, not capacity. The first one (retried while
     * the node settles) is not timed.
     */
    private double authsPerSecond(String label) throws Exception {
        String identity = "0001010000000003" + Eapol.REALM;
        relay.akaWithin(SECRET, 90_000, identity);
        int ok = 0;
        long start = System.nanoTime();
        long deadline = System.currentTimeMillis() + 40_000;
        for (int i = 0; i < 10 && System.currentTimeMillis() < deadline; i++) {
            if (relay.aka(SECRET, identity).succeeded()) {
                ok++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: %d full authentications in %.1f s%n", label, ok, seconds);
        return ok / seconds;
    }

    private static void accounting(int port, String status, String session, String identity) throws Exception {
        String attributes = "Acct-Status-Type = " + status + "\nAcct-Session-Id = \"" + session + "\"\n"
                + "User-Name = \"" + identity + "\"\nNAS-IP-Address = " + NAS + "\n"
                + "Called-Station-Id = \"64-D9-89-1D-A4-20:OpenTWAG\"\nCalling-Station-Id = \"86-81-69-A7-B4-B2\"\n"
                + "Acct-Input-Octets = 1000\nAcct-Output-Octets = 2000\nAcct-Session-Time = 60\n";
        ExternalTool.Result r = ExternalTool.run(List.of("radclient", "-x", "-r", "2", "-t", "5",
                "127.0.0.1:" + port, "acct", SECRET), attributes.getBytes(StandardCharsets.US_ASCII), 30);
        assertTrue(r.output(), r.output().contains("Received Accounting-Response"));
    }

    private static String tail(String s) {
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }

    /**
     * A stand-in for an AP with two RADIUS servers that sends every request to the next server in turn: the
     * harshest spreading an AP (or a load balancer) can do, each EAP round trip on another node.
     */
    static final class AlternatingRelay implements AutoCloseable {
        private final DatagramSocket front;
        private final List<InetSocketAddress> backends;
        private final AtomicInteger next = new AtomicInteger();
        private final int[] perBackend;
        private final Thread thread;
        private volatile boolean running = true;

        AlternatingRelay(List<InetSocketAddress> backends) throws Exception {
            this.backends = backends;
            this.perBackend = new int[backends.size()];
            front = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            front.setSoTimeout(500);
            thread = new Thread(this::run, "alternating-radius-relay");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return front.getLocalPort();
        }

        /** EAP-AKA (the USIM at SQN 000000000020) for an NAI through this relay: 15 s a round trip, 90 s in all. */
        ExternalTool.Result aka(String secret, String identity, String... extra) throws Exception {
            return Eapol.conversation(ExternalTool.eapolTest(),
                    Eapol.network("AKA", identity, Eapol.KI + ":" + Eapol.OPC + ":000000000020", ""), 90,
                    List.of("-a", "127.0.0.1", "-p", String.valueOf(port()), "-s", secret, "-t", "15"), extra);
        }

        /** As {@link #aka}, repeated a second apart until it succeeds or {@code millis} passed (a node still joining). */
        ExternalTool.Result akaWithin(String secret, long millis, String identity, String... extra) throws Exception {
            return Eapol.within(millis, 1_000, () -> aka(secret, identity, extra));
        }

        synchronized int[] perBackend() {
            return perBackend.clone();
        }

        private void run() {
            byte[] buf = new byte[4096];
            while (running) {
                try {
                    DatagramPacket request = new DatagramPacket(buf, buf.length);
                    front.receive(request);
                    SocketAddress phone = request.getSocketAddress();
                    int i = Math.floorMod(next.getAndIncrement(), backends.size());
                    synchronized (this) {
                        perBackend[i]++;
                    }
                    try (DatagramSocket out = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                        out.setSoTimeout(10_000);
                        out.send(new DatagramPacket(request.getData(), request.getLength(), backends.get(i)));
                        byte[] answer = new byte[4096];
                        DatagramPacket response = new DatagramPacket(answer, answer.length);
                        out.receive(response);
                        front.send(new DatagramPacket(response.getData(), response.getLength(), phone));
                    } catch (SocketTimeoutException lost) {
                        // the phone retransmits or gives up, as with a real lost answer
                    }
                } catch (SocketTimeoutException idle) {
                    // check running
                } catch (Exception e) {
                    if (running) {
                        System.err.println("relay: " + e);
                    }
                }
            }
        }

        @Override
        public void close() {
            running = false;
            front.close();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
