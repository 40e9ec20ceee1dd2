package org.opentwag.itests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a node's Prometheus endpoint as Prometheus would: series (name with labels) to value. */
final class Metrics {

    private static final Pattern SAMPLE =
            Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) ([0-9.eE+-]+|NaN)$");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Metrics() {
    }

    /** The test distribution's endpoint. */
    static Map<String, Double> scrape() throws Exception {
        return scrape(OpenTwagDistribution.METRICS_PORT);
    }

    static Map<String, Double> scrape(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + r.statusCode());
        }
        Map<String, Double> values = new HashMap<>();
        Matcher m = SAMPLE.matcher(r.body());
        while (m.find()) {
            values.put(m.group(1), Double.valueOf(m.group(2)));
        }
        return values;
    }

    /** One series, or an assertion error naming it when the endpoint does not have it. */
    static double value(int port, String series) throws Exception {
        Double v = scrape(port).get(series);
        if (v == null) {
            throw new AssertionError("no series " + series);
        }
        return v;
    }

    /** The Diameter peers of a default distribution: the embedded HSS (SWx) and the embedded OCS (Gy). */
    static final String HSS = "hss.epc.mnc001.mcc001.3gppnetwork.org";
    static final String OCS = "ocs.localdomain";

    /**
     * Waits, bounded, until the test distribution's SWx and Gy links are open (CER/CEA done): with online charging
     * and failure handling TERMINATE, a login before the OCS link is up is rightly refused.
     */
    static void awaitLinks() throws Exception {
        awaitLinks(OpenTwagDistribution.METRICS_PORT);
    }

    static void awaitLinks(int port) throws Exception {
        awaitLinks(port, OCS);
    }

    /** As {@link #awaitLinks(int)} with the OCS peer of that name (an OCS other than the embedded simulator). */
    static void awaitLinks(int port, String ocsHost) throws Exception {
        awaitPeer(port, HSS, true);
        awaitPeer(port, ocsHost, true);
        // Pax Exam may start a test while Karaf still installs features: the links can be open before the EAP
        // handler and the EAP-AKA method are bound (seen on a loaded machine: an immediate Access-Reject).
        awaitSeries(port, "radius_active_clients_count");
        awaitSeries(port, "eap_aka_identity_count{method=\"EAP-AKA\"}");
    }

    /** Waits, bounded, until the node publishes the series (its bundle's component is active). */
    static void awaitSeries(int port, String series) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                if (scrape(port).containsKey(series)) {
                    return;
                }
            } catch (java.io.IOException notUpYet) {
                // the endpoint starts with the distribution
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(series + " never appeared");
            }
            Thread.sleep(200);
        }
    }

    /** Waits, bounded, until diameter_peer_open{peer=host} is 1 (open) or 0 (closed) on the test distribution. */
    static void awaitPeer(String host, boolean open) throws Exception {
        awaitPeer(OpenTwagDistribution.METRICS_PORT, host, open);
    }

    static void awaitPeer(int port, String host, boolean open) throws Exception {
        String series = "diameter_peer_open{peer=\"" + host + "\"}";
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            Double v = null;
            try {
                v = scrape(port).get(series);
            } catch (java.io.IOException notUpYet) {
                // the endpoint starts with the distribution
            }
            if (v != null && (v == 1.0) == open) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(series + " never became " + (open ? 1 : 0));
            }
            Thread.sleep(200);
        }
    }

    /**
     * Waits, bounded, until a node's series has the expected value. A scrape that fails (the node still starting, or a
     * source failing while a cluster notices a dead member) is asked again.
     */
    static void await(int port, String series, double expected, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        Double last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                last = scrape(port).get(series);
            } catch (Exception | AssertionError notNow) {
                last = null;
            }
            if (last != null && last == expected) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError(series + " on port " + port + " stayed " + last + ", expected " + expected);
    }
}
