package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The TLS of a distribution as shipped, judged by a scanner we did not write: testssl.sh (Debian) against the
 * dashboard's HTTPS port (its self-signed certificate of first start) and against the RadSec listener (switched on
 * with test certificates): no protocol below TLS 1.2 offered, TLS 1.2 offered (so the scan really talked to the
 * server), none of the weak cipher groups (NULL, anonymous, export, low, 3DES/IDEA, RC4), and no finding of severity
 * HIGH or CRITICAL. Certificate trust is not judged (-S is not run): the certificates here are self-signed or from a
 * test CA on purpose. The JSON reports stay in target/testssl/.
 */
public class TlsScanIT {

    private static final int AUTH_PORT = 23512;
    private static final int ACCT_PORT = 23513;
    private static final int RADSEC_PORT = 23583;
    private static final Path REPORTS = Path.of("target/testssl").toAbsolutePath();
    /** Severities testssl.sh gives, in order; HIGH and above fail the scan. */
    private static final List<String> FAILING = List.of("HIGH", "CRITICAL");
    private static final Set<String> OLD_PROTOCOLS = Set.of("SSLv2", "SSLv3", "TLS1", "TLS1_1");
    private static final Set<String> WEAK_CIPHER_GROUPS = Set.of("cipherlist_NULL", "cipherlist_aNULL",
            "cipherlist_EXPORT", "cipherlist_LOW", "cipherlist_3DES_IDEA", "RC4");

    private static StandaloneDistribution karaf;

    @BeforeClass
    public static void start() throws Exception {
        Assume.assumeTrue("testssl.sh missing: run .ci/install-tools.sh", new File("/usr/bin/testssl").canExecute());
        TestCa ca = new TestCa(Files.createTempDirectory("tls-scan-pki"))
                .certificate("server", "twag.radsec.test", "DNS:localhost,IP:127.0.0.1", "serverAuth");
        karaf = StandaloneDistribution.start("tls-scan", AUTH_PORT, ACCT_PORT, "tls-scan-test-secret",
                ca.radsecSettings(RADSEC_PORT, "server"));
        karaf.awaitLog("RadSec (RADIUS over TLS", 30);
        Files.createDirectories(REPORTS);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }

    @Test
    public void theDashboardsHttpsPassesTestssl() throws Exception {
        karaf.awaitLog("Started secureDefault", 60);
        assertPasses(confirmRenegotiation(scan("dashboard", karaf.httpsPort()), "dashboard", karaf.httpsPort()));
    }

    @Test
    public void theRadSecListenerPassesTestssl() throws Exception {
        assertPasses(confirmRenegotiation(scan("radsec", RADSEC_PORT), "radsec", RADSEC_PORT));
    }

    /**
     * testssl.sh 3.0.8 judges client-initiated renegotiation by the exit code of {@code echo R | openssl s_client}:
     * when s_client reaches the end of its input before it has read the server's refusal it exits 0, which reads as
     * VULNERABLE (seen once on a busy machine, next to a clean scan of the same build). The error only goes that way,
     * so a HIGH verdict on this one check is asked again with {@code -R} (renegotiation only), at most twice; a
     * server that does renegotiate is VULNERABLE every time and still fails.
     */
    private static JsonNode confirmRenegotiation(JsonNode findings, String name, int port) throws Exception {
        for (int retry = 1; retry <= 2 && renegotiationFlagged(findings); retry++) {
            JsonNode again = scanWith(name + "-renego-" + retry, port, "-R");
            if (!renegotiationFlagged(again)) {
                com.fasterxml.jackson.databind.node.ArrayNode merged = new ObjectMapper().createArrayNode();
                for (JsonNode f : findings) {
                    if (!"secure_client_renego".equals(f.path("id").asText())) {
                        merged.add(f);
                    }
                }
                for (JsonNode f : again) {
                    if ("secure_client_renego".equals(f.path("id").asText())) {
                        merged.add(f);
                    }
                }
                return merged;
            }
        }
        return findings;
    }

    private static boolean renegotiationFlagged(JsonNode findings) {
        for (JsonNode f : findings) {
            if ("secure_client_renego".equals(f.path("id").asText()) && FAILING.contains(f.path("severity").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Runs testssl.sh (protocols, cipher groups, forward secrecy, vulnerabilities) and returns its findings. */
    private static JsonNode scan(String name, int port) throws Exception {
        return scanWith(name, port, "-p", "-s", "-f", "-U");
    }

    private static JsonNode scanWith(String name, int port, String... checks) throws Exception {
        Path json = REPORTS.resolve(name + ".json");
        Files.deleteIfExists(json);
        long started = System.nanoTime();
        List<String> command = new ArrayList<>(List.of("testssl", "--quiet", "--color", "0", "--warnings", "off",
                "--ip", "one", "--connect-timeout", "10", "--openssl-timeout", "10"));
        command.addAll(List.of(checks));
        command.addAll(List.of("--jsonfile", json.toString(), "127.0.0.1:" + port));
        ExternalTool.Result r = ExternalTool.run(command, null, 240);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        Files.writeString(REPORTS.resolve(name + ".txt"), r.output() + "\n[" + seconds + " s]\n");
        assertTrue("testssl.sh wrote no report (" + seconds + " s):\n" + r.output(), Files.exists(json));
        return new ObjectMapper().readTree(Files.readString(json, StandardCharsets.UTF_8));
    }

    private static void assertPasses(JsonNode findings) {
        Map<String, String> byId = new LinkedHashMap<>();
        List<String> failing = new ArrayList<>();
        for (JsonNode f : findings) {
            String id = f.path("id").asText();
            String finding = f.path("finding").asText();
            byId.put(id, finding);
            if (FAILING.contains(f.path("severity").asText())) {
                failing.add(id + " [" + f.path("severity").asText() + "] " + finding);
            }
        }
        String all = byId.toString();
        assertTrue("testssl.sh could not scan: " + all, byId.getOrDefault("TLS1_2", "").startsWith("offered"));
        for (String old : OLD_PROTOCOLS) {
            assertTrue(old + " must not be offered: " + byId.get(old), byId.getOrDefault(old, "").startsWith("not offered"));
        }
        for (String weak : WEAK_CIPHER_GROUPS) {
            String finding = byId.get(weak);
            assertTrue(weak + " missing from the report: " + all, finding != null);
            assertTrue(weak + ": " + finding, finding.startsWith("not offered") || finding.startsWith("not vulnerable")
                    || finding.startsWith("No RC4"));
        }
        assertEquals("findings of severity HIGH or above: " + failing, List.of(), failing);
    }
}
