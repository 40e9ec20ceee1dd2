package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.Map;

import org.junit.After;
import org.junit.Test;

/**
 * A fresh distribution, started as shipped, has no working password: the old default admin / opentwag is refused on
 * the dashboard's HTTPS port and on the ssh console; the password the node generated on its first start works on
 * both; it is in etc/admin-password with mode 0600 and nowhere in clear in etc/users.properties (which holds Karaf's
 * {CRYPT} hash); the console and the log name the file, not the password. The keystore's password is this
 * install's own too. A restart keeps the password; after the operator deleted the file it stays deleted. A keystore
 * made again while Pax Web runs gets a new password and is served at once.
 */
public class AdminLoginIT {

    private static final int AUTH_PORT = 23412;
    private static final int ACCT_PORT = 23413;
    private static final String MARKER = "logged-in-" + Long.toHexString(System.nanoTime());

    private StandaloneDistribution karaf;

    @After
    public void stop() {
        if (karaf != null) {
            karaf.close();
        }
    }

    @Test
    public void aFreshInstallRefusesTheOldDefaultAndAcceptsOnlyItsGeneratedPassword() throws Exception {
        karaf = StandaloneDistribution.start("admin-login", AUTH_PORT, ACCT_PORT, "admin-login-test-secret", Map.of());
        Path etc = karaf.home().resolve("etc");
        String password = karaf.adminPassword();

        // The clear text: once, owner-only; users.properties holds the hash Karaf checks.
        assertTrue(password, password.length() >= 20);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(karaf.adminPasswordFile())));
        String users = Files.readString(etc.resolve("users.properties"));
        assertFalse(users, users.contains(password));
        assertTrue(users, users.matches("(?s).*\\nadmin = \\{CRYPT\\}[0-9a-f]{64}\\{CRYPT\\},_g_:admingroup\\n.*"));
        // Where to find it: on the console (stdout of bin/karaf) and in the log; the password itself in neither.
        String console = Files.readString(karaf.home().resolve("console.log"));
        assertTrue(console, console.contains(karaf.adminPasswordFile().toString()));
        assertTrue(karaf.logText().contains(karaf.adminPasswordFile().toString()));
        assertFalse(console.contains(password));
        assertFalse(karaf.logText().contains(password));

        // Dashboard / REST on HTTPS: old default refused, generated password accepted.
        HttpClient https = DashboardIT.httpsTrusting(etc.resolve("opentwag-web.p12"), etc.resolve("opentwag-web.password"));
        String api = "https://127.0.0.1:" + karaf.httpsPort() + "/api/clients";
        awaitHttps(https, api);
        assertEquals(401, DashboardIT.get(https, api, "admin:opentwag").statusCode());
        assertEquals(200, DashboardIT.get(https, api, "admin:" + password).statusCode());

        // ssh console (bin/client): old default refused, generated password accepted.
        ExternalTool.Result refused = karaf.console("admin", "opentwag", "echo " + MARKER, 60);
        assertFalse(refused.output(), refused.output().contains(MARKER));
        assertNotEquals(refused.output(), 0, refused.exitCode());
        ExternalTool.Result accepted = karaf.console("echo " + MARKER, 60);
        assertTrue(accepted.output(), accepted.output().contains(MARKER));
        // The checks twag:check lists: the generated password's (while the file exists) and the metrics endpoint's.
        String checks = karaf.console("service:list org.opentwag.api.check.SafetyCheck", 60).output();
        assertTrue(checks, checks.contains("org.opentwag.login.GeneratedPasswordCheck"));
        assertTrue(checks, checks.contains("org.opentwag.metrics.internal.PrometheusEndpoint"));

        // The keystore opens with this install's generated password (owner-only), not with the old shipped one.
        Path storePassword = etc.resolve("opentwag-web.password");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(storePassword)));
        assertFalse(Files.readString(etc.resolve("org.ops4j.pax.web.cfg")).contains(Files.readString(storePassword)));
        assertTrue(opens(etc.resolve("opentwag-web.p12"), Files.readString(storePassword).strip()));
        assertFalse(opens(etc.resolve("opentwag-web.p12"), "opentwag"));

        // Every later start: the same password, nothing regenerated; a deleted file stays deleted.
        karaf.stop();
        karaf = karaf.restart();
        assertEquals(password, karaf.adminPassword());
        assertEquals(users, Files.readString(etc.resolve("users.properties")));
        Files.delete(karaf.adminPasswordFile());
        karaf.stop();
        karaf = karaf.restart();
        assertFalse(Files.exists(karaf.adminPasswordFile()));
        assertEquals(users, Files.readString(etc.resolve("users.properties")));
        awaitHttps(https, api);
        assertEquals(200, DashboardIT.get(https, api, "admin:" + password).statusCode());

        // A new keystore while Pax Web runs (the operator deleted it for a new certificate and restarted the
        // dashboard bundle): a new password and certificate, and Pax Web serves them without a restart of Karaf.
        String oldStorePassword = Files.readString(storePassword);
        Files.delete(etc.resolve("opentwag-web.p12"));
        Files.delete(storePassword);
        ExternalTool.Result restarted = karaf.console("admin", password, "bundle:restart org.opentwag.dashboard", 60);
        assertEquals(restarted.output(), 0, restarted.exitCode());
        HttpClient renewed = DashboardIT.httpsTrusting(etc.resolve("opentwag-web.p12"), storePassword);
        assertNotEquals(oldStorePassword, Files.readString(storePassword));
        awaitHttps(renewed, api); // only the new certificate is trusted: the old one would fail the handshake
        assertEquals(200, DashboardIT.get(renewed, api, "admin:" + password).statusCode());
    }

    private static boolean opens(Path keystore, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password.toCharArray());
            return true;
        } catch (java.io.IOException wrongPassword) {
            return false;
        }
    }

    /** Waits, bounded, until the HTTPS connector answers (401 without credentials). */
    private static void awaitHttps(HttpClient https, String url) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        Exception last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (DashboardIT.get(https, url, null).statusCode() == 401) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                last = notYet;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no HTTPS answer from " + url, last);
    }
}
