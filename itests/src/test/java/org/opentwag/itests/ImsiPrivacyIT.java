package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Subscriber privacy against the peer we did not write, wpa_supplicant's eapol_test 2.12-devel: with the operator's
 * certificate ({@code imsi_privacy_cert}) and key identifier ({@code imsi_privacy_attr}) in its network block, it
 * sends {@code 0anonymous@realm} / {@code 6anonymous@realm}, is asked for its permanent identity and sends it RSA-OAEP
 * encrypted in AT_IDENTITY; EAP-AKA and EAP-AKA' succeed with matching keys and a capture of each exchange holds the
 * IMSI nowhere (pcap bytes and tshark's decode). A wrong key identifier gets AKA-Notification 16385 and EAP-Failure.
 * Pseudonym privacy: a phone without a certificate sends its IMSI once, then re-authenticates fast, then (fast
 * re-authentication limit 1) authenticates fully with the pseudonym it was given: the IMSI is only in the first
 * exchange's requests, never in a reply.
 *
 * <p>The keys are OpenSSL's (not our generator): one standalone distribution (subscribers of its shipped etc/hss-subscribers.csv) with two of them (rotation), the new
 * one's private key as a {@code $[secret:...]} reference, the old one's as a file name.
 */
public class ImsiPrivacyIT {

    private static final int AUTH_PORT = 27812;
    private static final int ACCT_PORT = 27813;
    private static final String SECRET = "imsi-privacy-it-secret-0123456789";
    private static final String KI = Eapol.KI;
    private static final String OPC = Eapol.OPC;
    private static final String REALM = Eapol.REALM;
    private static final String NEW_ID = "CertificateSerialNumber=4242";
    private static final String OLD_ID = "CertificateSerialNumber=17";
    /** What eapol_test prints when it sends the anonymous identity of IMSI privacy. */
    private static final String ANONYMOUS = "EAP: using IMSI privacy anonymous identity";

    private static StandaloneDistribution node;
    private static Path keys;

    @BeforeClass
    public static void distributionWithTwoKeys() throws Exception {
        ExternalTool.eapolTest212();
        assertTrue("tshark is missing (.ci/install-tools.sh installs it)", new File("/usr/bin/tshark").canExecute());
        keys = Files.createTempDirectory("privacy-it-keys");
        openssl(keys, "new");
        openssl(keys, "old");
        node = StandaloneDistribution.start("imsi-privacy", AUTH_PORT, ACCT_PORT, SECRET, Map.of(
                "org.opentwag.eap.privacy.cfg:keys", "new, old",
                "org.opentwag.eap.privacy.cfg:key.new.privateKey", "$[secret:imsi-privacy-new.key]",
                "org.opentwag.eap.privacy.cfg:key.new.certificate", "imsi-privacy-new.crt",
                "org.opentwag.eap.privacy.cfg:key.new.identifier", NEW_ID,
                "org.opentwag.eap.privacy.cfg:key.old.privateKey", "imsi-privacy-old.key",
                "org.opentwag.eap.privacy.cfg:key.old.certificate", "imsi-privacy-old.crt",
                "org.opentwag.eap.privacy.cfg:key.old.identifier", OLD_ID,
                // One fast re-authentication, then a full one: the pseudonym round of the last test.
                "org.opentwag.eap.aka.cfg:fastReauthMaxCounter", "1"),
                home -> {
                    StandaloneDistribution.bootAlso(home, "opentwag-eap-sim"); // not in the umbrella feature
                    for (String n : List.of("new", "old")) {
                        Files.copy(keys.resolve(n + ".key"), home.resolve("etc/imsi-privacy-" + n + ".key"));
                        Files.copy(keys.resolve(n + ".crt"), home.resolve("etc/imsi-privacy-" + n + ".crt"));
                    }
                });
        node.awaitLog("IMSI privacy: 2 key(s) in force", 30);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (keys != null) {
            for (String f : List.of("new.key", "new.crt", "old.key", "old.crt")) {
                Files.deleteIfExists(keys.resolve(f));
            }
            Files.deleteIfExists(keys);
        }
    }

    private static void openssl(Path dir, String name) throws Exception {
        ExternalTool.Result k = ExternalTool.run(List.of("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                "rsa_keygen_bits:2048", "-out", dir.resolve(name + ".key").toString()), null, 60);
        assertEquals(k.output(), 0, k.exitCode());
        ExternalTool.Result c = ExternalTool.run(List.of("openssl", "req", "-x509", "-new", "-key",
                dir.resolve(name + ".key").toString(), "-subj", "/CN=IMSI privacy " + name, "-days", "30",
                "-out", dir.resolve(name + ".crt").toString()), null, 60);
        assertEquals(c.output(), 0, c.exitCode());
    }

    /** eapol_test 2.12 for {@code identity}, with IMSI privacy when {@code cert} is not null. */
    private static ExternalTool.Result eapol(String method, String identity, String cert, String attr,
                                             String... extra) throws Exception {
        String privacy = cert == null ? "" : "  imsi_privacy_cert=\"" + keys.resolve(cert + ".crt") + "\"\n"
                + "  imsi_privacy_attr=\"" + attr + "\"\n";
        String password = KI + ":" + OPC + ("SIM".equals(method) ? "" : ":000000000020");
        return Eapol.conversation(ExternalTool.eapolTest212(), Eapol.network(method, identity, password, privacy), 60,
                List.of("-a", "127.0.0.1", "-p", String.valueOf(AUTH_PORT), "-s", SECRET, "-t", "10"), extra);
    }

    private static void assertAuthenticated(ExternalTool.Result r, int keys) {
        assertEquals(r.output(), 0, r.exitCode());
        assertTrue(r.output(), r.output().contains("SUCCESS"));
        assertTrue(r.output(), r.output().contains("MPPE keys OK: " + keys + "  mismatch: 0"));
    }

    private static ExternalTool.Capture capture() throws Exception {
        return new ExternalTool.Capture("udp port " + AUTH_PORT, List.of("udp.port==" + AUTH_PORT + ",radius"), 60);
    }

    /** The IMSI as ASCII digits is nowhere in the pcap file, nor in tshark's decode of it (EAP, RADIUS, all). */
    private static void assertNoImsi(ExternalTool.Capture capture, String imsi) throws Exception {
        byte[] pcap = capture.pcap();
        String raw = new String(pcap, StandardCharsets.ISO_8859_1);
        assertTrue("the capture is empty", pcap.length > 1000);
        assertFalse("the IMSI is in the captured bytes", raw.contains(imsi));
        String decoded = capture.decoded();
        assertTrue("tshark decoded no EAP: " + decoded, decoded.contains("Extensible Authentication Protocol"));
        assertFalse("the IMSI is in tshark's decode:\n" + decoded, decoded.contains(imsi));
    }

    /**
     * A login with the new key's certificate: authenticated, eapol_test's output has each of {@code printed}, and
     * the capture of the exchange holds the IMSI nowhere.
     */
    private static void encryptedIdentityLogin(String method, String identity, String imsi, String... printed)
            throws Exception {
        try (ExternalTool.Capture capture = capture()) {
            ExternalTool.Result r = eapol(method, identity, "new", NEW_ID);
            assertAuthenticated(r, 1);
            for (String p : printed) {
                assertTrue(r.output(), r.output().contains(p));
            }
            assertNoImsi(capture, imsi);
        }
    }

    @Test
    public void eapAkaWithAnEncryptedIdentitySucceedsAndTheWireHoldsNoImsi() throws Exception {
        String imsi = "001010000000001";
        encryptedIdentityLogin("AKA", "0" + imsi + REALM, imsi, ANONYMOUS, "AT_PERMANENT_ID_REQ");
        node.awaitLog("EAP-AKA encrypted identity decrypted: identity=0anonymous" + REALM + " imsi=" + imsi, 10);
    }

    @Test
    public void eapAkaPrimeWithAnEncryptedIdentitySucceedsAndTheWireHoldsNoImsi() throws Exception {
        String imsi = "001010000000002";
        encryptedIdentityLogin("AKA'", "6" + imsi + REALM, imsi, ANONYMOUS);
        node.awaitLog("EAP-AKA' encrypted identity decrypted: identity=6anonymous" + REALM + " imsi=" + imsi, 10);
    }

    @Test
    public void eapSimWithAnEncryptedIdentitySucceedsAndTheWireHoldsNoImsi() throws Exception {
        String imsi = "001010000000002";
        encryptedIdentityLogin("SIM", "1" + imsi + REALM, imsi, ANONYMOUS, "AT_PERMANENT_ID_REQ");
    }

    @Test
    public void thePreviousKeyStillDecryptsDuringARotation() throws Exception {
        assertAuthenticated(eapol("AKA", "0001010000000003" + REALM, "old", OLD_ID), 1);
    }

    /**
     * A login whose encrypted identity names a key identifier the server does not have: AKA-Notification 16385 and
     * EAP-Failure at the phone, counted once, and {@code logged} in the log. Returns eapol_test's run.
     */
    private static ExternalTool.Result unknownKeyLogin(String method, String identity, String keyIdentifier,
                                                       String logged) throws Exception {
        double before = Metrics.value(node.metricsPort(), "eap_imsi_privacy_count{result=\"unknown_key\"}");
        ExternalTool.Result r = eapol(method, identity, "new", keyIdentifier);
        assertNotEquals(r.output(), 0, r.exitCode());
        assertTrue(r.output(), r.output().contains("EAP-" + method + ": Unrecognized failure notification 16385"));
        assertTrue(r.output(), r.output().contains("EAP-Failure") || r.output().contains("FAILURE"));
        assertEquals(before + 1, Metrics.value(node.metricsPort(), "eap_imsi_privacy_count{result=\"unknown_key\"}"),
                0.0);
        node.awaitLog(logged, 10);
        return r;
    }

    @Test
    public void aWrongKeyIdentifierGetsTheCertificateNotificationAndEapFailure() throws Exception {
        ExternalTool.Result r = unknownKeyLogin("AKA", "0001010000000010" + REALM, "CertificateSerialNumber=999",
                "encrypted identity refused: unknown_key");
        // The log names the key identifier the phone sent, never its ciphertext (the base64 eapol_test printed).
        Matcher m = Pattern.compile("EAP-AKA: Encrypted permanent identity - hexdump_ascii\\(len=\\d+\\):\\s+"
                + "((?:[0-9a-f]{2} )+)").matcher(r.output());
        assertTrue("eapol_test printed no encrypted identity:\n" + r.output(), m.find());
        String[] hex = m.group(1).trim().split(" ");
        StringBuilder start = new StringBuilder();
        for (int i = 1; i < Math.min(hex.length, 17); i++) {
            start.append((char) Integer.parseInt(hex[i], 16));
        }
        assertFalse("the log holds the ciphertext", node.logText().contains(start.toString()));
    }

    @Test
    public void eapSimWithAWrongKeyIdentifierGetsTheCertificateNotificationAndEapFailure() throws Exception {
        unknownKeyLogin("SIM", "1001010000000011" + REALM, "CertificateSerialNumber=998",
                "EAP-SIM encrypted identity refused: unknown_key");
    }

    @Test
    public void thePseudonymReplacesTheImsiOnTheNextFullAuthenticationAndNoReplyNamesIt() throws Exception {
        String imsi = "001010000000003";
        try (ExternalTool.Capture capture = capture()) {
            // No certificate: the first exchange carries the IMSI (in requests only); then a fast
            // re-authentication with the re-auth identity, then, over the limit of 1, a full one with the pseudonym.
            ExternalTool.Result r = eapol("AKA", "0" + imsi + REALM, null, null, "-r", "2");
            assertAuthenticated(r, 3);
            assertTrue(r.output(), r.output().contains("Generating EAP-AKA Reauthentication"));
            assertTrue(r.output(), r.output().contains("AT_FULLAUTH_ID_REQ"));
            List<String> frames = capture.fields("radius", "frame.number", "radius.code", "radius.User_Name",
                    "eap.identity");
            String decoded = capture.decoded();
            List<String> byFrame = Arrays.asList(decoded.split("\nFrame "));
            int firstAccept = -1;
            for (int i = 0; i < byFrame.size(); i++) {
                if (byFrame.get(i).contains("Code: Access-Accept")) {
                    firstAccept = i;
                    break;
                }
            }
            assertTrue("no Access-Accept captured: " + frames, firstAccept > 0);
            // The same search finds the IMSI where the phone sent it in clear: the check can see an IMSI.
            assertTrue("the first exchange's IMSI was not found in the decode", byFrame.subList(0, firstAccept)
                    .stream().anyMatch(f -> f.contains(imsi)));
            assertTrue("the first exchange's IMSI was not found in the pcap bytes",
                    new String(capture.pcap(), StandardCharsets.ISO_8859_1).contains(imsi));
            for (int i = 0; i < byFrame.size(); i++) {
                String f = byFrame.get(i);
                if (f.contains(imsi)) {
                    assertTrue("the IMSI is in a packet after the first Access-Accept:\n" + f, i < firstAccept);
                    assertFalse("a reply names the IMSI:\n" + f, f.contains("Code: Access-Accept")
                            || f.contains("Code: Access-Challenge") || f.contains("Code: Access-Reject"));
                }
            }
            // The last full authentication named the pseudonym: a '2' identity in AT_IDENTITY after the limit.
            Matcher pseudonym = Pattern.compile("AT_IDENTITY - hexdump_ascii\\(len=\\d+\\):\\s+32 ").matcher(r.output());
            assertTrue("no pseudonym in AT_IDENTITY:\n" + r.output(), pseudonym.find());
        }
    }

    @Test
    public void theShellPrintsTheCarrierKeyDocumentWithBothCertificates() throws Exception {
        ExternalTool.Result r = node.console("twag:privacy carrier-keys", 60);
        assertTrue(r.output(), r.output().contains("\"carrier-keys\""));
        assertTrue(r.output(), r.output().contains("\"key-identifier\": \"" + NEW_ID + "\""));
        assertTrue(r.output(), r.output().contains("\"key-identifier\": \"" + OLD_ID + "\""));
        assertTrue(r.output(), r.output().contains("\"key-type\": \"WLAN\""));
        assertFalse(r.output(), r.output().contains("PRIVATE KEY"));
    }

    @Test
    public void aKeyGeneratedInTheShellIsStoredOwnerOnlyConfiguredAndDecrypts() throws Exception {
        ExternalTool.Result gen = node.console("twag:privacy --days 30 generate gen", 90);
        Matcher id = Pattern.compile("key identifier (CertificateSerialNumber=\\d+)").matcher(gen.output());
        assertTrue(gen.output(), id.find());
        Path etc = node.home().resolve("etc");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(etc.resolve("imsi-privacy-gen.key"))));
        node.awaitLog("IMSI privacy: 3 key(s) in force", 30);
        // Karaf's file install writes the configuration back to etc/ (a moment after Config Admin has it).
        String cfg = "";
        for (long end = System.currentTimeMillis() + 15_000; System.currentTimeMillis() < end
                && !cfg.contains("key.gen.certificate"); Thread.sleep(250)) {
            cfg = Files.readString(etc.resolve("org.opentwag.eap.privacy.cfg"));
        }
        assertTrue(cfg, cfg.contains("key.gen.certificate"));
        Files.copy(etc.resolve("imsi-privacy-gen.crt"), keys.resolve("gen.crt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try {
            assertAuthenticated(eapol("AKA'", "6001010000000001" + REALM, "gen", id.group(1)), 1);
        } finally {
            Files.deleteIfExists(keys.resolve("gen.crt"));
        }
    }

    @Test
    public void restPublishesTheCarrierKeyDocumentAndTheKeysToALoggedInOperator() throws Exception {
        Path etc = node.home().resolve("etc");
        java.net.http.HttpClient https = DashboardIT.httpsTrusting(etc.resolve("opentwag-web.p12"),
                etc.resolve("opentwag-web.password"));
        String base = "https://127.0.0.1:" + node.httpsPort() + "/api/privacy/";
        String login = "admin:" + node.adminPassword();
        java.net.http.HttpResponse<String> doc = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                doc = get(https, base + "carrier-keys", login);
                if (doc.statusCode() == 200) {
                    break;
                }
            } catch (java.io.IOException notYet) {
                // Pax Web still starting
            }
            Thread.sleep(500);
        }
        assertTrue("no carrier-key document over HTTPS: " + (doc == null ? "no answer" : doc.statusCode()),
                doc != null && doc.statusCode() == 200);
        assertTrue(doc.body(), doc.body().contains("\"key-identifier\": \"" + NEW_ID + "\""));
        assertEquals(401, get(https, base + "carrier-keys", null).statusCode());
        java.net.http.HttpResponse<String> list = get(https, base + "keys", login);
        assertEquals(list.body(), 200, list.statusCode());
        assertTrue(list.body(), list.body().contains(OLD_ID) && list.body().contains("BEGIN CERTIFICATE"));
        assertFalse(list.body(), list.body().contains("PRIVATE KEY"));
    }

    private static java.net.http.HttpResponse<String> get(java.net.http.HttpClient client, String url,
                                                          String credentials) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .timeout(java.time.Duration.ofSeconds(10));
        if (credentials != null) {
            b.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }
}
