package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.After;
import org.junit.Test;
import org.opentwag.loadgen.LoadGenerator;
import org.opentwag.loadgen.LoadOptions;

/**
 * The load generator against the distribution as shipped (vectors over SWx from the embedded HSS, online charging
 * against the embedded OCS, durable accounting): the HSS's subscriber file is the one the generator writes, 200
 * authentications of a mix of full EAP-AKA, full EAP-AKA' and fast re-authentication, each followed by Accounting
 * Start, Interim-Update and Stop. Every one must succeed, and the server's own counters must agree.
 */
public class LoadGeneratorIT {

    private static final int AUTH_PORT = 23812;
    private static final int ACCT_PORT = 23813;
    private static final String SECRET = "loadgen-it-secret";

    private StandaloneDistribution karaf;

    @After
    public void stop() {
        if (karaf != null) {
            karaf.close();
        }
    }

    @Test
    public void twoHundredAuthenticationsAllSucceed() throws Exception {
        LoadOptions o = LoadOptions.parse("--server", "127.0.0.1:" + AUTH_PORT, "--acct-port", String.valueOf(ACCT_PORT),
                "--secret", SECRET, "--imsi-start", "001010000100000", "--subscribers", "100", "--seed", "it-seed",
                "--count", "200", "--duration", "120", "--concurrency", "8", "--mix", "aka=2,aka-prime=1,reauth=1",
                "--accounting", "--interims", "1", "--timeout-ms", "3000", "--attempts", "3", "--no-progress");
        karaf = StandaloneDistribution.start("loadgen", AUTH_PORT, ACCT_PORT, SECRET, Map.of(), home -> {
            o.range().writeHssSubscribers(home.resolve("etc/hss-subscribers.csv"), 0);
            o.range().writeOcsBalances(home.resolve("etc/ocs-balances.csv"), 1L << 40);
        });
        Metrics.awaitLinks(karaf.metricsPort());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        LoadGenerator.Result r = new LoadGenerator(o, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        String report = printed.toString(StandardCharsets.UTF_8);
        assertEquals(report, 200, r.succeeded());
        assertEquals(report, 0, r.failed());
        assertEquals(report, 0, r.timeouts());
        long[] kinds = r.succeededByKind();
        assertTrue(report, kinds[0] > 0 && kinds[1] > 0 && kinds[2] > 0);
        assertEquals(report, 600, r.accountingOk());
        assertEquals(report, 0, r.accountingFailed());
        assertTrue(report, report.contains("RESULT ok=200 failed=0 timeouts=0"));

        // The server counted the same: successes per method, and every accounting record committed.
        Map<String, Double> m = Metrics.scrape(karaf.metricsPort());
        double akaOk = m.getOrDefault("eap_aka_auth_success_count{method=\"EAP-AKA\"}", 0.0);
        double akaPrimeOk = m.getOrDefault("eap_aka_auth_success_count{method=\"EAP-AKA'\"}", 0.0);
        assertEquals(report + m, 200.0, akaOk + akaPrimeOk, 0.0);
        assertEquals(report + m, 600.0, m.getOrDefault("accounting_records_stored_count", 0.0), 0.0);
        assertTrue(karaf.logText(), !karaf.logText().contains("Authentication REJECTED"));

        // --warmup: the same load first, then figures that count only what came after it.
        LoadOptions warm = LoadOptions.parse("--server", "127.0.0.1:" + AUTH_PORT, "--secret", SECRET,
                "--imsi-start", "001010000100000", "--subscribers", "100", "--seed", "it-seed", "--rate", "20",
                "--concurrency", "8", "--warmup", "3", "--duration", "2", "--no-progress");
        ByteArrayOutputStream warmPrinted = new ByteArrayOutputStream();
        LoadGenerator.Result w = new LoadGenerator(warm, new PrintStream(warmPrinted, true, StandardCharsets.UTF_8)).run();
        String warmReport = warmPrinted.toString(StandardCharsets.UTF_8);
        assertTrue(warmReport, warmReport.contains("Warm-up over, measuring"));
        assertEquals(warmReport, 0, w.failed());
        // 2 s at 20/s counted (pacing may start one more), while the server saw the 3 s of warm-up too.
        assertTrue(warmReport, w.succeeded() >= 35 && w.succeeded() <= 42);
        Map<String, Double> after = Metrics.scrape(karaf.metricsPort());
        double served = after.getOrDefault("eap_aka_auth_success_count{method=\"EAP-AKA\"}", 0.0) - akaOk;
        assertTrue(warmReport + " server: " + served, served >= w.succeeded() + 40);
    }
}
