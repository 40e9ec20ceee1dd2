package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/**
 * The Prometheus names of the operations guide, exactly, after real traffic: each counter moves by what the traffic
 * did (EAP-AKA and EAP-AKA' successes, a resynchronisation, an unknown subscriber, an accounting Start), so a dashboard
 * built on the guide's names works on OpenTWAG unchanged.
 */
public class GuideMetricsIT extends InsideDistribution.WithLinksOpen {

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        Double now = after.get(series);
        assertNotNull("series missing after traffic: " + series + " in " + after.keySet(), now);
        return now - before.getOrDefault(series, 0.0);
    }

    @Test
    public void theGuidesMetricNamesMoveWithRealTraffic() throws Exception {
        assertTrue(Eapol.akaWithin(30_000, "001010000000008").succeeded());
        Map<String, Double> before = Metrics.scrape();

        assertTrue(Eapol.aka("001010000000008").succeeded());
        assertTrue(Eapol.run("AKA'", "6001010000000008" + Eapol.REALM, "000000000020").succeeded());
        // The USIM has seen a far higher SQN: one Synchronization-Failure, then success.
        assertTrue(Eapol.run("AKA", "0001010000000009" + Eapol.REALM, "0000ff000000").succeeded());
        ExternalTool.Result unknown = Eapol.run("AKA", "0001019999999999" + Eapol.REALM, "000000000020");
        assertNotEquals(unknown.output(), 0, unknown.exitCode());
        ExternalTool.Result acct = ExternalTool.run(List.of("radclient", "-r", "1", "-t", "3",
                "127.0.0.1:" + OpenTwagDistribution.ACCT_PORT, "acct", OpenTwagDistribution.SECRET),
                ("Acct-Status-Type = Start\nAcct-Session-Id = \"METRICS-" + System.nanoTime()
                        + "\"\nUser-Name = \"0001010000000008" + Eapol.REALM + "\"\n")
                        .getBytes(StandardCharsets.US_ASCII), 30);
        assertEquals(acct.output(), 0, acct.exitCode());

        // radius_active_clients_count is a gauge refreshed every 5 s: wait (bounded) for the refresh that sees them.
        Map<String, Double> after = Metrics.scrape();
        long deadline = System.currentTimeMillis() + 12_000;
        while (after.getOrDefault("radius_active_clients_count", 0.0) < 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            after = Metrics.scrape();
        }
        assertTrue(delta(before, after, "radius_access_request_count") >= 8);
        assertEquals(3, delta(before, after, "radius_access_accept_count"), 0);
        assertTrue(delta(before, after, "radius_access_reject_count") >= 1);
        assertTrue(delta(before, after, "radius_access_challenge_count") >= 4);
        assertEquals(1, delta(before, after, "radius_accounting_request_count{status_type=\"start\"}"), 0);
        assertTrue(after.get("radius_active_clients_count") >= 1);
        assertTrue(after.get("radius_access_points_count") >= 1);
        assertEquals(2, delta(before, after, "eap_aka_auth_success_count{method=\"EAP-AKA\"}"), 0);
        assertEquals(1, delta(before, after, "eap_aka_auth_success_count{method=\"EAP-AKA'\"}"), 0);
        assertTrue(delta(before, after, "eap_aka_identity_count{method=\"EAP-AKA\"}") >= 2);
        assertTrue(delta(before, after, "eap_aka_challenge_count{method=\"EAP-AKA\"}") >= 3);
        assertEquals(1, delta(before, after, "eap_aka_sync_failure_count{method=\"EAP-AKA\"}"), 0);
        assertTrue(delta(before, after, "eap_aka_auth_reject_count{method=\"EAP-AKA\"}") >= 1);
        assertTrue(delta(before, after,
                "diameter_message_count{application=\"swx\",command=\"MAR\",direction=\"out\"}") >= 4);
        assertTrue(delta(before, after,
                "diameter_message_count{application=\"swx\",command=\"MAA\",direction=\"in\"}") >= 4);
        // JVM figures stand in for the guide's Erlang VM ones, with simpleclient_hotspot's names.
        assertTrue(after.get("vm_memory_total") > 0);
        assertTrue(after.get("jvm_memory_bytes_used{area=\"heap\"}") > 0);
        assertTrue(after.get("jvm_threads_current") > 0);
        assertTrue(after.get("process_start_time_seconds") > 1.7e9);
        assertTrue(after.keySet().toString(), after.keySet().stream()
                .anyMatch(k -> k.startsWith("jvm_gc_collection_seconds_count{gc=")));

        // The authentication latency histogram moved by exactly the conversations that ended.
        String aka = "method=\"EAP-AKA\",result=\"accept\"";
        String akaPrime = "method=\"EAP-AKA'\",result=\"accept\"";
        assertEquals(2, delta(before, after, "eap_auth_duration_seconds_count{" + aka + "}"), 0);
        assertEquals(1, delta(before, after, "eap_auth_duration_seconds_count{" + akaPrime + "}"), 0);
        double rejects = after.entrySet().stream()
                .filter(e -> e.getKey().startsWith("eap_auth_duration_seconds_count{")
                        && e.getKey().contains("result=\"reject\""))
                .mapToDouble(e -> e.getValue() - before.getOrDefault(e.getKey(), 0.0)).sum();
        assertTrue("the unknown subscriber's reject was timed", rejects >= 1);
        double seconds = delta(before, after, "eap_auth_duration_seconds_sum{" + aka + "}");
        assertTrue("two EAP-AKA authentications took " + seconds + " s", seconds > 0 && seconds < 60);
        assertEquals(after.get("eap_auth_duration_seconds_count{" + aka + "}"),
                after.get("eap_auth_duration_seconds_bucket{" + aka + ",le=\"+Inf\"}"));
        double previous = 0;
        for (double bound : org.opentwag.support.metrics.Histogram.LATENCY_SECONDS) {
            Double bucket = after.get("eap_auth_duration_seconds_bucket{" + aka + ",le=\"" + bound + "\"}");
            assertNotNull("bucket le=" + bound, bucket);
            assertTrue("buckets are cumulative", bucket >= previous);
            previous = bucket;
        }
        System.out.printf("eap_auth_duration_seconds: %d EAP-AKA accepts, mean %.1f ms%n",
                after.get("eap_auth_duration_seconds_count{" + aka + "}").longValue(),
                1000 * after.get("eap_auth_duration_seconds_sum{" + aka + "}")
                        / after.get("eap_auth_duration_seconds_count{" + aka + "}"));

        // Every metric the shipped Grafana dashboard queries exists on a live node.
        String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("opentwag.docs"),
                "grafana", "opentwag-dashboard.json"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{")
                .matcher(dashboard);
        java.util.Set<String> queried = new java.util.TreeSet<>();
        while (m.find()) {
            queried.add(m.group(1));
        }
        assertTrue(queried.toString(), queried.contains("eap_auth_duration_seconds_bucket"));
        for (String metric : queried) {
            assertTrue("the dashboard queries " + metric + ", which the node does not publish",
                    after.keySet().stream().anyMatch(k -> k.equals(metric) || k.startsWith(metric + "{")));
        }
    }

    /**
     * As shipped, the endpoint listens on loopback only: it answers on 127.0.0.1, and a connection to an address of
     * this machine on another interface (found at run time) is refused.
     */
    @Test
    public void theEndpointListensOnLoopbackOnly() throws Exception {
        assertTrue(Metrics.scrape().containsKey("radius_access_request_count"));
        java.net.InetAddress outside = null;
        for (java.net.NetworkInterface nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (java.net.InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) {
                    outside = a;
                }
            }
        }
        org.junit.Assume.assumeTrue("this machine has no non-loopback IPv4 address to try", outside != null);
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(outside, OpenTwagDistribution.METRICS_PORT), 3000);
            org.junit.Assert.fail("the metrics endpoint accepted a connection on " + outside.getHostAddress());
        } catch (java.net.ConnectException refused) {
            // nothing listens there: as it should be
        }
    }
}
