package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * The distribution as shipped, with RadSec (RFC 6614) switched on and the RADIUS secret taken from the environment
 * ($[env:...], Felix Config Admin interpolation): phones (eapol_test, EAP-AKA and AKA') authenticate through
 * radsecproxy, which turns their UDP RADIUS into RADIUS over TLS to our port; accounting goes the same way; the same
 * phones also authenticate over plain UDP with the secret from the environment. Then, with org.opentwag logging at
 * DEBUG, karaf.log must hold none of: the subscribers' Ki and OPc, the shared secret, and the CK, IK, RES, MSK and
 * MPPE keys eapol_test derived in these very runs.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class RadSecIT {

    private static final int AUTH_PORT = 23112;
    private static final int ACCT_PORT = 23113;
    private static final int PROXY_PORT = 23114;
    private static final int RADSEC_PORT = 23183;
    /** Only in the environment of the Karaf process: the .cfg file names the variable, not the value. */
    private static final String ENV_SECRET = "env-secret-" + Long.toHexString(System.nanoTime()) + "-Zq9";
    private static final String PROXY_SECRET = "proxy-udp-side-secret-77";
    private static final String REALM = Eapol.REALM;

    private static StandaloneDistribution karaf;
    private static Process radsecproxy;
    private static Path pki;
    private static final List<String> eapolOutputs = new ArrayList<>();

    @BeforeClass
    public static void startDistributionAndProxy() throws Exception {
        Assume.assumeTrue("radsecproxy missing: run .ci/install-tools.sh", new File("/usr/sbin/radsecproxy").canExecute());
        pki = Files.createTempDirectory("radsec-pki");
        TestCa ca = new TestCa(pki)
                .certificate("server", "twag.radsec.test", "DNS:localhost,IP:127.0.0.1", "serverAuth")
                .certificate("ap1", "ap1.aps.radsec.test", "DNS:ap1.aps.radsec.test", "clientAuth");

        Map<String, String> extra = new LinkedHashMap<>(ca.radsecSettings(RADSEC_PORT, "server"));
        extra.put("org.opentwag.radius.client-default.cfg:tlsPeerNames", "*.aps.radsec.test");
        extra.put("org.opentwag.radius.client-default.cfg:secret", "$[env:OPENTWAG_RADIUS_SECRET]");
        // Strict: everything OpenTWAG logs, DEBUG included, is scanned for key material.
        extra.put("org.ops4j.pax.logging.cfg:log4j2.logger.opentwag.name", "org.opentwag");
        extra.put("org.ops4j.pax.logging.cfg:log4j2.logger.opentwag.level", "DEBUG");
        karaf = StandaloneDistribution.start("radsec", AUTH_PORT, ACCT_PORT, "not-the-secret-in-use", extra,
                Map.of("OPENTWAG_RADIUS_SECRET", ENV_SECRET));
        karaf.awaitLog("RadSec (RADIUS over TLS", 30);

        Path conf = pki.resolve("radsecproxy.conf");
        Files.writeString(conf, String.join("\n",
                "ListenUDP 127.0.0.1:" + PROXY_PORT,
                "LogLevel 4",
                "LogDestination file://" + pki.resolve("radsecproxy.log"),
                "PidFile " + pki.resolve("radsecproxy.pid"),
                "tls default {",
                "  CACertificateFile " + pki.resolve("ca.crt"),
                "  CertificateFile " + pki.resolve("ap1.crt"),
                "  CertificateKeyFile " + pki.resolve("ap1.key"),
                "  TlsVersion TLS1_2:",
                "}",
                "client phones {", "  host 127.0.0.1", "  type udp", "  secret " + PROXY_SECRET, "}",
                "server opentwag {", "  host 127.0.0.1", "  port " + RADSEC_PORT, "  type tls", "  secret radsec",
                "  StatusServer on", "}",
                "realm * {", "  server opentwag", "  accountingServer opentwag", "}", ""));
        radsecproxy = new ProcessBuilder("radsecproxy", "-f", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(pki.resolve("radsecproxy.out").toFile()).start();
        Thread.sleep(1000);
        assertTrue("radsecproxy exited: " + Files.readString(pki.resolve("radsecproxy.out")), radsecproxy.isAlive());
    }

    @AfterClass
    public static void stop() throws Exception {
        if (radsecproxy != null) {
            radsecproxy.destroy();
            radsecproxy.waitFor(5, TimeUnit.SECONDS);
        }
        if (karaf != null) {
            karaf.close();
        }
    }

    private static ExternalTool.Result eapol(String method, String identity, int port, String secret) throws Exception {
        ExternalTool.Result r = Eapol.run(method, identity, "000000000020", "-p", String.valueOf(port), "-s", secret);
        synchronized (eapolOutputs) {
            eapolOutputs.add(r.output());
        }
        return r;
    }

    private static void assertAuthenticated(ExternalTool.Result r) {
        assertEquals(r.output(), 0, r.exitCode());
        assertTrue(r.output(), r.output().contains("SUCCESS"));
        assertTrue(r.output(), r.output().contains("MPPE keys OK: 1  mismatch: 0"));
    }

    @Test
    public void a_akaAndAkaPrimeThroughRadsecproxyOverTlsAndAccountingToo() throws Exception {
        // The HSS link may still be opening right after boot: the first attempt is retried, bounded.
        long deadline = System.currentTimeMillis() + 40_000;
        ExternalTool.Result aka;
        do {
            aka = eapol("AKA", "0001010000000001" + REALM, PROXY_PORT, PROXY_SECRET);
        } while (aka.exitCode() != 0 && System.currentTimeMillis() < deadline && sleep(500));
        assertAuthenticated(aka);
        assertAuthenticated(eapol("AKA'", "6001010000000002" + REALM, PROXY_PORT, PROXY_SECRET));
        // Our side saw them on the TLS connection from the proxy, in the client group its certificate names.
        String log = karaf.logText();
        assertTrue(log, log.contains("RadSec connection from 127.0.0.1:"));
        assertTrue(log, Pattern.compile("RadSec connection from \\S+ \\(\\[ap1\\.aps\\.radsec\\.test\\], TLSv1\\.[23]\\) for client group 'default'")
                .matcher(log).find());

        ExternalTool.Result acct = ExternalTool.run(List.of("radclient", "-x", "-r", "2", "-t", "5",
                        "127.0.0.1:" + PROXY_PORT, "acct", PROXY_SECRET),
                ("Acct-Status-Type = Start\nAcct-Session-Id = \"radsec-it-1\"\nUser-Name = \"0001010000000001" + REALM
                        + "\"\nNAS-IP-Address = 127.0.0.1\nCalling-Station-Id = \"02-00-00-00-00-01\"\n")
                        .getBytes(StandardCharsets.US_ASCII), 30);
        // Sent only once the record is committed to the accounting database.
        assertTrue(acct.output(), acct.output().contains("Received Accounting-Response"));
    }

    @Test
    public void b_theRadiusSecretComesFromTheEnvironment() throws Exception {
        Path cfg = karaf.home().resolve("etc/org.opentwag.radius.client-default.cfg");
        String file = Files.readString(cfg);
        assertTrue(file, file.contains("secret = $[env:OPENTWAG_RADIUS_SECRET]"));
        assertFalse(file.contains(ENV_SECRET));
        long deadline = System.currentTimeMillis() + 40_000;
        ExternalTool.Result r;
        do {
            r = eapol("AKA", "0001010000000003" + REALM, AUTH_PORT, ENV_SECRET);
        } while (r.exitCode() != 0 && System.currentTimeMillis() < deadline && sleep(500));
        assertAuthenticated(r);
        // The literal text of the reference is not a working secret: the value was resolved.
        ExternalTool.Result wrong = eapol("AKA", "0001010000000003" + REALM, AUTH_PORT, "$[env:OPENTWAG_RADIUS_SECRET]");
        assertTrue(wrong.output(), wrong.exitCode() != 0);
    }

    /** Runs last (name order): scans the log of everything the class did, after one more AKA' run of its own. */
    @Test
    public void c_theDebugLogHoldsNoSecretOrKeyMaterial() throws Exception {
        assertAuthenticated(eapol("AKA'", "6001010000000001" + REALM, AUTH_PORT, ENV_SECRET));
        Set<String> secrets = new LinkedHashSet<>(List.of(ENV_SECRET, PROXY_SECRET));
        // Ki and OPc of every subscriber the distribution knows
        for (String line : Files.readAllLines(karaf.home().resolve("etc/hss-subscribers.csv"))) {
            String[] f = line.split(",");
            if (!line.startsWith("#") && f.length >= 3) {
                secrets.add(f[1].trim());
                secrets.add(f[2].trim());
            }
        }
        // The keys eapol_test derived in this class' runs (it prints its hexdumps): CK, IK (and CK', IK'), RES,
        // MK, K_aut, K_encr, MSK, EMSK, and the MPPE keys of the Access-Accepts.
        Pattern key = Pattern.compile("(?:CK'?|IK'?|RES|MK|K_aut|K_encr|K_re|MSK|EMSK|MS-MPPE-(?:Send|Recv)-Key[^-]*)"
                + " - hexdump\\(len=(\\d+)\\): ([0-9a-f ]+)");
        int keys = 0;
        synchronized (eapolOutputs) {
            for (String out : eapolOutputs) {
                Matcher m = key.matcher(out);
                while (m.find()) {
                    if (Integer.parseInt(m.group(1)) >= 8) {
                        String spaced = m.group(2).trim();
                        secrets.add(spaced);
                        secrets.add(spaced.replace(" ", ""));
                        keys++;
                    }
                }
            }
        }
        assertTrue("eapol_test printed too few keys to make this test mean anything: " + keys, keys >= 8);
        String log = karaf.logText().toLowerCase();
        assertTrue("DEBUG lines of org.opentwag are in the log", log.contains("| debug |") || log.contains("debug"));
        for (String secret : secrets) {
            if (secret.length() >= 8) {
                assertFalse("karaf.log contains a secret or key (" + secret.substring(0, 6) + "...)",
                        log.contains(secret.toLowerCase()));
            }
        }
        // No 32- or 64-hex-digit run in the log equals known key material either (already implied above), and
        // the log shows that keys were handled (MPPE keys sent) without their values.
        Matcher hex = Pattern.compile("\\b[0-9a-f]{32}(?:[0-9a-f]{32})?\\b").matcher(log);
        while (hex.find()) {
            assertFalse("hex run in the log equals key material: " + hex.group().substring(0, 6),
                    secrets.contains(hex.group()));
        }
        System.out.printf("RadSecIT: karaf.log of %d bytes scanned for %d secrets/keys (%d key hexdumps from "
                + "eapol_test): none found%n", log.length(), secrets.size(), keys);
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }
}
