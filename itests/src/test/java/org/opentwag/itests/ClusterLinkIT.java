package org.opentwag.itests;

import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;

/**
 * The proof for the cluster link (docs/cluster.md): a capture of the Hazelcast traffic between two nodes
 * during an EAP-AKA login and a fast re-authentication holds none of the key material of that login, and the same
 * search finds it once the nodes run without a key (allowPlaintext): so the search is able to fail.
 *
 * <p>The key material searched for is what the phone itself derived: eapol_test prints RES (= the XRES the server
 * keeps in the conversation between Challenge and response), K_aut, K_encr, MSK and EMSK, which eap-aka stores in
 * the shared maps (the conversation, the re-authentication context). The capture is read back per TCP direction,
 * payloads concatenated in order, so a key split over two segments is still found. The Java class names of the
 * stored values are searched too: present in clear, absent when sealed.
 *
 * <p>Last, without key and without allowPlaintext, the member refuses to start ({@code state_cluster_not_started} on
 * /metrics, the reason in the log) and the node authenticates alone with its in-memory store.
 *
 * <p>Needs tshark and root (to capture on lo), as in CI (.ci/install-tools.sh); skipped otherwise.
 */
public class ClusterLinkIT {

    private static final String SECRET = "cluster-link-it-secret";
    private static final int A_AUTH = 23912;
    private static final int A_ACCT = 23913;
    private static final int B_AUTH = 23922;
    private static final int B_ACCT = 23923;
    private static final int A_HZ = 25901;
    private static final int B_HZ = 25911;
    private static final String PID = "org.opentwag.state.hazelcast";
    private static final Pattern KEY_DUMP = Pattern.compile(
            "\\b(RES|K_aut|K_encr|EMSK|keying material \\(MSK\\)) - hexdump\\(len=(\\d+)\\): ([0-9a-f ]+)");

    private final List<StandaloneDistribution> nodes = new ArrayList<>();
    private ClusterIT.AlternatingRelay relay;

    @After
    public void stopAll() {
        if (relay != null) {
            relay.close();
        }
        nodes.forEach(StandaloneDistribution::close);
    }

    private StandaloneDistribution node(String name, int auth, int acct, int hzPort, String clusterKey)
            throws Exception {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("org.opentwag.diameter.cfg:originHost", "twag-" + name + ".localdomain");
        extra.put("org.opentwag.hsssim.cfg:peerHost", "twag-" + name + ".localdomain");
        extra.put("org.opentwag.ocssim.cfg:peerHost", "twag-" + name + ".localdomain");
        extra.put("org.opentwag.state.hazelcast.cfg:clusterName", "cluster-link-it");
        extra.put("org.opentwag.state.hazelcast.cfg:bindInterface", "127.0.0.1");
        extra.put("org.opentwag.state.hazelcast.cfg:port", String.valueOf(hzPort));
        extra.put("org.opentwag.state.hazelcast.cfg:portCount", "1");
        extra.put("org.opentwag.state.hazelcast.cfg:members", "127.0.0.1:" + A_HZ + ",127.0.0.1:" + B_HZ);
        extra.put("org.opentwag.state.hazelcast.cfg:joinWaitSeconds", "2");
        extra.put("org.opentwag.state.hazelcast.cfg:memberTimeoutSeconds", "10");
        // The shipped clusterKey = $[secret:opentwag-cluster.key]: the key file, as docs/cluster.md tells operators.
        StandaloneDistribution d = StandaloneDistribution.start("clusterlink-" + name, auth, acct, SECRET, extra,
                home -> StandaloneDistribution.writeClusterKey(home, clusterKey));
        nodes.add(d);
        return d;
    }

    @Test
    public void theClusterLinkCarriesNoKeyMaterialInClearAndWouldWithoutAKey() throws Exception {
        assumeTrue("tshark is not installed", new File("/usr/bin/tshark").canExecute());
        assumeTrue("capturing on lo needs root", "root".equals(System.getProperty("user.name")));
        String clusterKey = StandaloneDistribution.newClusterKey();
        StandaloneDistribution a = node("a", A_AUTH, A_ACCT, A_HZ, clusterKey);
        StandaloneDistribution b = node("b", B_AUTH, B_ACCT, B_HZ, clusterKey);
        for (StandaloneDistribution n : List.of(a, b)) {
            ExternalTool.Result r = n.console("feature:install opentwag-state-hazelcast", 180);
            assertTrue(r.output(), r.exitCode() == 0);
        }
        for (StandaloneDistribution n : List.of(a, b)) {
            n.awaitLog("values encrypted (AES-GCM under the cluster key)", 120);
            Metrics.await(n.metricsPort(), "state_cluster_members", 2, 120);
            Metrics.awaitLinks(n.metricsPort());
        }
        relay = new ClusterIT.AlternatingRelay(List.of(new InetSocketAddress("127.0.0.1", A_AUTH),
                new InetSocketAddress("127.0.0.1", B_AUTH)));

        Sighting sealed = loginUnderCapture("0001010000000001" + Eapol.REALM);
        System.out.printf("ClusterLinkIT, sealed: %d bytes of cluster traffic during the login, %d key values "
                + "searched, found: %s%n", sealed.bytes, sealed.searched, sealed.found);
        assertTrue("the capture saw the values cross the link: " + sealed.bytes + " bytes", sealed.bytes > 5_000);
        assertTrue("key material in clear on the cluster link: " + sealed.found, sealed.found.isEmpty());
        for (StandaloneDistribution n : List.of(a, b)) {
            assertTrue("sealed values were read by the other node without failure",
                    Metrics.value(n.metricsPort(), "state_store_undecryptable_count") == 0);
        }

        // Control: the same nodes without a key (allowPlaintext) and the same search must find the keys.
        // One edit session, one update: two separate commands race with fileinstall writing the first back.
        for (StandaloneDistribution n : List.of(a, b)) {
            ExternalTool.Result r = n.console("config:edit " + PID + "; config:property-set allowPlaintext true; "
                    + "config:property-delete clusterKey; config:update", 60);
            assertTrue(r.output(), r.exitCode() == 0);
        }
        for (StandaloneDistribution n : List.of(a, b)) {
            n.awaitLog("values IN CLEAR", 120);
        }
        for (StandaloneDistribution n : List.of(a, b)) {
            Metrics.await(n.metricsPort(), "state_cluster_members", 2, 120);
            Metrics.awaitLinks(n.metricsPort());
        }
        Sighting clear = loginUnderCapture("0001010000000002" + Eapol.REALM);
        System.out.printf("ClusterLinkIT, in clear (control): %d bytes of cluster traffic, %d key values searched, "
                + "found: %s%n", clear.bytes, clear.searched, clear.found);
        assertTrue("the control run finds XRES (RES) in clear: " + clear.found, clear.found.contains("RES"));
        assertTrue("the control run finds session keys in clear: " + clear.found,
                clear.found.containsAll(List.of("K_aut", "K_encr", "MSK")));
        assertTrue("the control run finds the stored classes' names: " + clear.found,
                clear.found.contains("class names"));

        // Neither key nor allowPlaintext: the member does not start, says why, and the node serves alone.
        ExternalTool.Result r = a.console("config:edit " + PID + "; config:property-set allowPlaintext false; "
                + "config:update", 60);
        assertTrue(r.output(), r.exitCode() == 0);
        a.awaitLog("Clustered state store not started: clusterKey is not set", 60);
        Metrics.await(a.metricsPort(), "state_cluster_not_started", 1, 60);
        Metrics.await(b.metricsPort(), "state_cluster_members", 1, 60);
        Metrics.awaitLinks(a.metricsPort());
        relay.close();
        relay = new ClusterIT.AlternatingRelay(List.of(new InetSocketAddress("127.0.0.1", A_AUTH)));
        ExternalTool.Result alone = relay.akaWithin(SECRET, 60_000, "0001010000000003" + Eapol.REALM);
        assertTrue("node A authenticates alone with its in-memory store:\n" + tail(alone.output()), alone.succeeded());
    }

    /** What a capture of the cluster ports during one full authentication and one fast re-authentication held. */
    private record Sighting(long bytes, int searched, List<String> found) {
    }

    private Sighting loginUnderCapture(String identity) throws Exception {
        Path pcap = Files.createTempFile("cluster-link", ".pcap");
        pcap.toFile().setWritable(true, false);
        Process tshark = new ProcessBuilder("timeout", "240", "tshark", "-q", "-i", "lo", "-f",
                "tcp port " + A_HZ + " or tcp port " + B_HZ, "-w", pcap.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.currentTimeMillis() + 10_000;
            while (Files.size(pcap) == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(500);
            ExternalTool.Result login = relay.akaWithin(SECRET, 90_000, identity, "-r", "1");
            assertTrue("EAP-AKA and fast re-authentication across the two nodes:\n" + tail(login.output()),
                    login.succeeded() && login.output().contains("MPPE keys OK: 2  mismatch: 0"));
            assertTrue("the second authentication was a fast re-authentication",
                    login.output().contains("Generating EAP-AKA Reauthentication"));
            Thread.sleep(1_000); // backups and the last writes reach the capture
            tshark.destroy();
            tshark.waitFor(10, TimeUnit.SECONDS);

            // The key material of this very login, as the phone derived it.
            Map<String, String> keys = new LinkedHashMap<>();
            Matcher m = KEY_DUMP.matcher(login.output());
            while (m.find()) {
                if (Integer.parseInt(m.group(2)) >= 8) {
                    keys.put(m.group(3).replace(" ", "").trim(), m.group(1).startsWith("keying") ? "MSK" : m.group(1));
                }
            }
            assertTrue("eapol_test printed RES and the session keys: " + keys.values(), keys.containsValue("RES")
                    && keys.containsValue("K_aut") && keys.containsValue("K_encr") && keys.containsValue("MSK"));
            keys.put(HexFormat.of().formatHex("org.opentwag.api.".getBytes(StandardCharsets.US_ASCII)), "class names");

            List<String> streams = payloadPerDirection(pcap);
            long bytes = streams.stream().mapToLong(s -> s.length() / 2).sum();
            List<String> found = new ArrayList<>();
            keys.forEach((hex, name) -> {
                if (streams.stream().anyMatch(s -> s.contains(hex)) && !found.contains(name)) {
                    found.add(name);
                }
            });
            return new Sighting(bytes, keys.size(), found);
        } finally {
            tshark.destroyForcibly();
            Files.deleteIfExists(pcap);
        }
    }

    /** TCP payload of the capture as hex, one string per connection and direction, segments in capture order. */
    private static List<String> payloadPerDirection(Path pcap) throws Exception {
        Path out = Files.createTempFile("cluster-link", ".txt");
        try {
            Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-Y", "tcp.len > 0", "-T", "fields",
                    "-e", "tcp.stream", "-e", "tcp.srcport", "-e", "tcp.payload")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(out.toFile()).start();
            assertTrue("tshark read the capture", p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0);
            Map<String, StringBuilder> directions = new LinkedHashMap<>();
            for (String line : Files.readAllLines(out)) {
                String[] f = line.split("\t");
                if (f.length == 3) {
                    directions.computeIfAbsent(f[0] + "/" + f[1], k -> new StringBuilder())
                            .append(f[2].replace(":", "").toLowerCase());
                }
            }
            return directions.values().stream().map(StringBuilder::toString).toList();
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String tail(String s) {
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }
}
