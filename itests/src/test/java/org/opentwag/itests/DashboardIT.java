package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.After;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web dashboard and REST API of a running distribution, with a real phone and access point behind them:
 * eapol_test authenticates with EAP-AKA, radclient sends the AP's accounting Start and Interim-Update, then the REST
 * API (over HTTPS, trusting the certificate the node made for itself on first start) and a headless Chromium driven
 * by Selenium must show that client, its access point and its usage. Plain HTTP, on when a Felix Web Console needs
 * it, serves none of it. Safe by default: every response carries the security headers, a cross-site POST is refused,
 * the safety findings (GET /api/check) show as a banner on the page, and many wrong passwords in a row get 429.
 * Screenshots of every view go to target/screenshots/.
 */
public class DashboardIT {

    private static final int AUTH_PORT = 23112;
    private static final int ACCT_PORT = 23113;
    private static final String SECRET = "dashboard-test-secret";
    private static final String IMSI = "001010000000003";
    private static final String IDENTITY = "0" + IMSI + Eapol.REALM;
    private static final String USER = "admin";
    private static final String SESSION = "DASH-" + Long.toHexString(System.nanoTime()).toUpperCase();
    private static final long DOWN = 7_654_321;
    private static final long UP = 123_456;
    private static final Path SHOTS = Path.of("target/screenshots");

    private StandaloneDistribution karaf;
    private WebDriver browser;
    /** admin and the password the node generated on its first start. */
    private String login;

    @After
    public void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (karaf != null) {
            karaf.close();
        }
    }

    @Test
    public void restApiAndBrowserShowTheAuthenticatedClientItsAccessPointAndUsage() throws Exception {
        karaf = StandaloneDistribution.start("dashboard", AUTH_PORT, ACCT_PORT, SECRET, Map.of(
                "org.ops4j.pax.web.cfg:org.osgi.service.http.enabled", "true"));
        login = karaf.adminLogin();
        HttpClient https = httpsTrusting(karaf.home().resolve("etc/opentwag-web.p12"),
                karaf.home().resolve("etc/opentwag-web.password"));
        String base = "https://127.0.0.1:" + karaf.httpsPort();
        awaitStatus(https, base + "/api/openapi.json", null, 401, 60);

        authenticate();
        // A phone with the wrong key: its USIM finds the AUTN does not verify and answers Authentication-Reject.
        String wrongKi = Eapol.KI.substring(0, 31) + (Eapol.KI.endsWith("0") ? "1" : "0");
        ExternalTool.Result wrong = eapolTest(wrongKi);
        assertNotEquals(wrong.output(), 0, wrong.exitCode());
        assertTrue(wrong.output(), wrong.output().contains("Access-Reject"));
        authenticate(); // and the right key again: the client row ends Accepted
        for (String[] acct : new String[][]{{"Start", "0", "0", "0"},
                {"Interim-Update", String.valueOf(UP), String.valueOf(DOWN), "95"}}) {
            ExternalTool.Result r = ExternalTool.run(List.of("radclient", "-x", "-r", "2", "-t", "3",
                    "127.0.0.1:" + ACCT_PORT, "acct", SECRET), accounting(acct[0], acct[1], acct[2], acct[3])
                    .getBytes(StandardCharsets.US_ASCII), 30);
            assertTrue(r.output(), r.output().contains("Received Accounting-Response"));
        }

        checkRestApi(https, base);
        checkRejectReasonsAndTrace(https, base);
        checkSecurityHeaders(https, base);
        checkCrossSiteRequestsAreRefused(https, base);
        checkSafetyFindings(https, base);
        checkPlainHttpServesNothing();
        checkInBrowser(base);
        // Last: it locks this address out of further logins for a while.
        checkManyWrongPasswordsGet429(https, base);
    }

    /**
     * The wrong-key login is counted, logged and traced under its reason (mac_res_mismatch); the overview's history
     * (kept in the server) shows the accepts and that reject; twag:trace lists both attempts step by step, and
     * --follow prints a new one as it finishes.
     */
    private void checkRejectReasonsAndTrace(HttpClient https, String base) throws Exception {
        Map<String, Double> metrics = Metrics.scrape(karaf.metricsPort());
        assertEquals(metrics.toString(), 1.0,
                metrics.get("radius_access_reject_reason_count{reason=\"mac_res_mismatch\"}"), 0.0);
        assertEquals(metrics.toString(), 0.0,
                metrics.get("radius_access_reject_reason_count{reason=\"unknown_subscriber\"}"), 0.0);
        assertTrue(karaf.logText(), Pattern.compile("Authentication REJECTED: identity=" + Pattern.quote(IDENTITY)
                + " ap=127\\.0\\.0\\.1 client=\\S+ reason=mac_res_mismatch: ").matcher(karaf.logText()).find());

        // The overview's history: sampled every second from those metrics, served for the charts.
        String overview = awaitBody(https, base + "/api/overview/15m",
                b -> sum(b, "rejects:mac_res_mismatch") > 0.5 && sum(b, "accepts") > 1.5);
        assertEquals(overview, 1.0, sum(overview, "rejects:mac_res_mismatch"), 0.01);
        assertEquals(overview, 2.0, sum(overview, "accepts"), 0.01);
        assertTrue(overview, overview.contains("\"latency_p50_ms\"") && overview.contains("\"active\""));
        assertTrue(overview, overview.contains("\"diameter:"));
        assertEquals(400, get(https, base + "/api/overview/5y", login).statusCode());

        // The trace: both attempts step by step, newest first, no key material.
        String trace = awaitBody(https, base + "/api/trace/" + IMSI, b -> b.contains("ACCOUNTING_START"));
        int rejected = trace.indexOf("\"outcome\":\"REJECTED\"");
        assertTrue(trace, rejected > 0 && trace.indexOf("\"outcome\":\"ACCEPTED\"") > 0);
        assertTrue(trace, trace.contains("\"reason\":\"mac_res_mismatch\""));
        for (String step : List.of("IDENTITY", "METHOD", "VECTORS_REQUESTED", "VECTORS_ANSWER", "CHALLENGE_SENT",
                "RESPONSE_CHECKED", "ACCEPT", "REJECT", "ACCOUNTING_START")) {
            assertTrue(step + " in " + trace, trace.contains("\"kind\":\"" + step + "\""));
        }
        assertTrue(trace, trace.contains("\"nasIp\":\"127.0.0.1\""));
        for (String secretWord : List.of("msk", "\"ck\"", "\"ik\"", "xres\"", "kaut", "kencr")) {
            assertFalse(secretWord + " in " + trace, trace.toLowerCase().contains(secretWord));
        }
        String aps = get(https, base + "/api/aps", login).body();
        String ap = object(aps, "\"nasIp\":\"127.0.0.1\"");
        assertTrue(ap, number(ap, "rejects") >= 1 && number(ap, "accepts") >= 2);
        assertTrue(ap, ap.contains("\"lastReject\":\"mac_res_mismatch"));
        String peers = get(https, base + "/api/peers", login).body();
        assertTrue(peers, number(peers, "requests") >= 3);

        // The console: twag:trace by IMSI (and by identity), step by step with times and the AP.
        ExternalTool.Result console = karaf.console("twag:trace " + IMSI, 60);
        String out = console.output();
        assertTrue(out, out.contains("REJECTED (mac_res_mismatch)") && out.contains("ACCEPTED"));
        assertTrue(out, out.indexOf("ACCEPTED") < out.indexOf("REJECTED (mac_res_mismatch)")); // newest first
        for (String step : List.of("IDENTITY", "VECTORS_REQUESTED", "VECTORS_ANSWER", "CHALLENGE_SENT",
                "RESPONSE_CHECKED", "REJECT ", "ACCEPT ", "ACCOUNTING_START")) {
            assertTrue(step + " in " + out, out.contains(step));
        }
        assertTrue(out, out.contains("ap=127.0.0.1 (ap-lobby)"));
        assertTrue(karaf.console("twag:trace " + IDENTITY, 60).output().contains("REJECTED (mac_res_mismatch)"));
        String apsTable = karaf.console("twag:aps", 60).output();
        assertTrue(apsTable, apsTable.contains("LAST REJECT") && apsTable.contains("mac_res_mismatch"));
        String peersTable = karaf.console("twag:peers", 60).output();
        assertTrue(peersTable, peersTable.contains("P99 MS"));

        // --follow: a login made while it runs is printed as it finishes.
        java.util.concurrent.CompletableFuture<ExternalTool.Result> follow = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return karaf.console("twag:trace --follow --timeout 25 " + IMSI, 60);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
        Thread.sleep(8_000); // bin/client logs in over ssh first
        authenticate();
        String followed = follow.get(60, java.util.concurrent.TimeUnit.SECONDS).output();
        int following = followed.indexOf("Following " + IMSI);
        assertTrue(followed, following > 0);
        assertTrue(followed, followed.indexOf("ACCEPTED", following) > following);
    }

    /** The count in one series of an /api/overview answer: each point's rate times the seconds it covers. */
    private static double sum(String json, String series) {
        List<String> rates = column(json, series);
        List<String> seconds = column(json, "intervals");
        double total = 0;
        for (int i = 0; i < rates.size() && i < seconds.size(); i++) {
            if (!rates.get(i).equals("null")) {
                total += Double.parseDouble(rates.get(i)) * Double.parseDouble(seconds.get(i));
            }
        }
        return total;
    }

    private static List<String> column(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\\[([^\\]]*)\\]").matcher(json);
        return m.find() && !m.group(1).isBlank() ? List.of(m.group(1).split(",")) : List.of();
    }

    private void checkSecurityHeaders(HttpClient https, String base) throws Exception {
        HttpResponse<String> chartLibrary = get(https, base + "/vendor/uPlot.iife.min.js", null);
        assertEquals(200, chartLibrary.statusCode());
        assertTrue(chartLibrary.body().contains("uPlot"));
        for (String[] request : new String[][]{{"/", null}, {"/app.js", null}, {"/vendor/uPlot.iife.min.js", null},
                {"/api/clients", login},
                {"/api/clients", null}}) {
            HttpResponse<String> r = get(https, base + request[0], request[1]);
            String what = request[0] + " " + r.statusCode();
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(what + ": " + csp, csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
            assertFalse(what + ": " + csp, csp.contains("unsafe-inline"));
            assertTrue(what, r.headers().firstValue("Strict-Transport-Security").orElse("").startsWith("max-age="));
            assertEquals(what, "nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
            assertEquals(what, "DENY", r.headers().firstValue("X-Frame-Options").orElse(""));
            assertEquals(what, "same-origin", r.headers().firstValue("Referrer-Policy").orElse(""));
        }
    }

    private void checkCrossSiteRequestsAreRefused(HttpClient https, String base) throws Exception {
        String mar = "{\"imsi\":\"001010000000002\",\"akaPrime\":false}";
        HttpResponse<String> forged = post(https, base + "/api/mar", login, mar, "https://evil.example");
        assertEquals(forged.body(), 403, forged.statusCode());
        assertTrue(forged.body(), forged.body().contains("Cross-site"));
        // The page's own origin, and a client without Origin (curl), may act.
        HttpResponse<String> own = post(https, base + "/api/mar", login, mar, base);
        assertEquals(own.body(), 200, own.statusCode());
        assertTrue(own.body(), own.body().contains("\"result\":\"success\""));
        assertEquals(200, post(https, base + "/api/mar", login, mar, null).statusCode());
        assertTrue(karaf.logText().contains("refused as cross-site: Origin https://evil.example:443"));
        assertEquals(1.0, Metrics.value(karaf.metricsPort(), "dashboard_cross_site_refused_count"), 0.0);
    }

    private void checkSafetyFindings(HttpClient https, String base) throws Exception {
        HttpResponse<String> r = get(https, base + "/api/check", login);
        assertEquals(r.body(), 200, r.statusCode());
        // As shipped the dashboard listens on every interface with its self-signed certificate (and this test
        // opened plain HTTP): the dashboard's own check says so.
        assertTrue(r.body(), r.body().contains("\"area\":\"dashboard\"") && r.body().contains("self-signed"));
        assertTrue(r.body(), r.body().contains("\"docs\":\"docs/before-you-expose-it.md\""));
        int lastUnsafe = r.body().lastIndexOf("\"severity\":\"UNSAFE\"");
        int firstWarning = r.body().indexOf("\"severity\":\"WARNING\"");
        assertTrue("UNSAFE first: " + r.body(), lastUnsafe < firstWarning);
        assertTrue(get(https, base + "/api/openapi.json", login).body().contains("\"/check\""));
    }

    private void checkManyWrongPasswordsGet429(HttpClient https, String base) throws Exception {
        // Per user: five wrong passwords in a row (some already spent above), then 429 with Retry-After.
        HttpResponse<String> r = null;
        for (int i = 0; i < 6 && (r == null || r.statusCode() != 429); i++) {
            r = get(https, base + "/api/clients", USER + ":guess-" + i);
        }
        assertEquals(r.body(), 429, r.statusCode());
        long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElse("0"));
        assertTrue("Retry-After " + retry, retry >= 1 && retry <= 300);
        assertFalse(r.body(), r.body().contains(IDENTITY));
        // Per address: other user names from this address, until the address is out of attempts too.
        for (int i = 0; i < 25; i++) {
            r = get(https, base + "/api/clients", "intruder" + i + ":guess");
            if (r.statusCode() == 429) {
                break;
            }
        }
        assertEquals(r.body(), 429, r.statusCode());
        assertEquals(429, get(https, base + "/api/clients", "someone-else:guess").statusCode());
        String log = karaf.logText();
        assertTrue(log.contains("Dashboard login failed: wrong password for user " + USER + " from 127.0.0.1"));
        assertTrue(log.contains("Dashboard login refused (429) for user " + USER + " from 127.0.0.1"));
        assertFalse("a guessed password was logged", log.contains("guess-0"));
        Map<String, Double> metrics = Metrics.scrape(karaf.metricsPort());
        assertTrue(metrics.toString(), metrics.get("dashboard_login_throttled_count{limit=\"user\"}") >= 1);
        assertTrue(metrics.toString(), metrics.get("dashboard_login_throttled_count{limit=\"address\"}") >= 1);
        assertTrue(metrics.toString(), metrics.get("dashboard_login_failure_count") >= 20);
    }

    private void authenticate() throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        ExternalTool.Result r;
        do { // the SWx link to the embedded HSS may still be opening
            r = eapolTest(Eapol.KI);
        } while (!r.succeeded() && System.currentTimeMillis() < deadline && sleep(500));
        assertEquals(r.output(), 0, r.exitCode());
    }

    /** One EAP-AKA login of the test phone through the lobby AP, its USIM holding this Ki. */
    private static ExternalTool.Result eapolTest(String ki) throws Exception {
        Path conf = Files.createTempFile("eapol", ".conf");
        try {
            Files.writeString(conf, "network={\n  ssid=\"test\"\n  key_mgmt=WPA-EAP\n  eap=AKA\n  identity=\""
                    + IDENTITY + "\"\n  password=\"" + ki + ":" + Eapol.OPC + ":000000000020\"\n}\n");
            return ExternalTool.run(List.of(ExternalTool.eapolTest(), "-c", conf.toString(), "-a", "127.0.0.1",
                    "-p", String.valueOf(AUTH_PORT), "-s", SECRET, "-t", "10", "-M", "86:81:69:a7:b4:b2",
                    "-N", "30:s:64-D9-89-1D-A4-20:OpenTWAG", "-N", "32:s:ap-lobby"), null, 60);
        } finally {
            Files.deleteIfExists(conf);
        }
    }

    private static String accounting(String status, String up, String down, String time) {
        return "Acct-Status-Type = " + status + "\nAcct-Session-Id = \"" + SESSION + "\"\n"
                + "User-Name = \"" + IDENTITY + "\"\nNAS-IP-Address = 127.0.0.1\nNAS-Identifier = \"ap-lobby\"\n"
                + "NAS-Port-Type = Wireless-802.11\nCalled-Station-Id = \"64-D9-89-1D-A4-20:OpenTWAG\"\n"
                + "Calling-Station-Id = \"86-81-69-A7-B4-B2\"\nFramed-MTU = 1400\nFramed-IP-Address = 10.45.0.9\n"
                + "Acct-Input-Octets = " + up + "\nAcct-Output-Octets = " + down + "\nAcct-Session-Time = " + time
                + "\n";
    }

    private void checkRestApi(HttpClient https, String base) throws Exception {
        HttpResponse<String> anonymous = get(https, base + "/api/clients", null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "));
        assertFalse(anonymous.body(), anonymous.body().contains(IDENTITY));
        assertEquals(401, get(https, base + "/api/clients", "admin:wrong").statusCode());

        HttpResponse<String> clients = get(https, base + "/api/clients", login);
        assertEquals(clients.body(), 200, clients.statusCode());
        assertTrue(clients.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        String row = object(clients.body(), "\"identity\":\"" + IDENTITY + "\"");
        assertTrue(row, row.contains("\"status\":\"Accepted\""));
        assertTrue(row, row.contains("\"calledStationId\":\"64-D9-89-1D-A4-20:OpenTWAG\""));
        assertTrue(row, row.contains("\"callingStationId\":\"86-81-69-A7-B4-B2\""));
        assertTrue(clients.body(), number(clients.body(), "Accepted") >= 1);

        // The details: the AP from accounting and the session's usage (down = Acct-Output-Octets).
        String details = awaitBody(https, base + "/api/clients/" + IDENTITY.replace("@", "%40"),
                b -> b.contains("\"downloadOctets\":" + DOWN));
        assertTrue(details, details.contains("\"imsi\":\"" + IMSI + "\""));
        assertTrue(details, details.contains("\"acctSessionId\":\"" + SESSION + "\""));
        assertTrue(details, details.contains("\"uploadOctets\":" + UP));
        assertTrue(details, details.contains("\"durationSeconds\":95"));
        assertTrue(details, details.contains("\"nasIdentifier\":\"ap-lobby\""));
        for (String secretWord : List.of("msk", "\"ck\"", "\"ik\"", "xres", "kaut")) {
            assertFalse(details, details.toLowerCase().contains(secretWord.toLowerCase()));
        }

        String aps = get(https, base + "/api/aps", login).body();
        String ap = object(aps, "\"nasIp\":\"127.0.0.1\"");
        assertTrue(ap, ap.contains("\"apMac\":\"64-D9-89-1D-A4-20\""));
        assertTrue(ap, ap.contains("\"ssid\":\"OpenTWAG\""));
        assertTrue(ap, ap.contains("\"clientCount\":1"));
        assertTrue(ap, ap.contains("\"framedMtu\":1400"));

        String sessions = get(https, base + "/api/sessions", login).body();
        String session = object(sessions, "\"acctSessionId\":\"" + SESSION + "\"");
        assertTrue(session, session.contains("\"downloadOctets\":" + DOWN));
        assertTrue(session, session.contains("\"imsi\":\"" + IMSI + "\""));
        // The same session's records, read back from the accounting database: the Start, then the Interim-Update.
        String records = get(https, base + "/api/sessions/127.0.0.1/" + SESSION, login).body();
        assertTrue(records, records.indexOf("\"status\":\"Start\"") > 0
                && records.indexOf("\"status\":\"Start\"") < records.indexOf("\"status\":\"Interim-Update\""));
        assertTrue(records, records.contains("\"downloadOctets\":" + DOWN));
        assertFalse(records, records.contains("authSessionId"));

        assertTrue(get(https, base + "/api/peers", login).body().contains("\"status\":\"Connected\""));
        String config = get(https, base + "/api/config", login).body();
        assertTrue(config, config.contains("org.opentwag.radius.client"));
        assertFalse("the RADIUS secret leaked", config.contains(SECRET));
        assertTrue(get(https, base + "/api/openapi.json", login).body().contains("\"/clients/{identity}\""));
        // Passpoint downloads, generated from this node's own settings (bundles/operations/passpoint).
        HttpResponse<String> hostapd = get(https, base + "/api/passpoint/ap", login);
        assertEquals(hostapd.body(), 200, hostapd.statusCode());
        assertTrue(hostapd.body(), hostapd.body().contains("anqp_3gpp_cell_net=001,01"));
        assertTrue(hostapd.body(), !hostapd.body().contains(SECRET));
        HttpResponse<String> android = get(https, base + "/api/passpoint/android", login);
        assertEquals(200, android.statusCode());
        assertEquals("application/x-wifi-config", android.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertEquals("base64", android.headers().firstValue("Content-Transfer-Encoding").orElse(""));
        assertEquals(401, get(https, base + "/api/passpoint/apple", null).statusCode());
        assertTrue(get(https, base + "/api/resources", login).body().contains("\"heap\""));
    }

    private void checkPlainHttpServesNothing() throws Exception {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String http = "http://127.0.0.1:" + karaf.httpPort();
        for (String path : List.of("/api/clients", "/", "/app.js")) {
            HttpResponse<String> r = get(plain, http + path, login);
            assertNotEquals(path + " " + r.body(), 200, r.statusCode());
            assertFalse(r.body(), r.body().contains(IDENTITY));
        }
    }

    private void checkInBrowser(String base) throws Exception {
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--lang=en-GB");
        // The node's own self-signed certificate: the REST checks above verified it; the browser may just accept it.
        options.setAcceptInsecureCerts(true);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File(System.getProperty("chromedriver", "/usr/bin/chromedriver")))
                .build();
        browser = new ChromeDriver(service, options);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        browser.get(base + "/");
        wait.until(d -> d.findElement(By.id("login-form")).isDisplayed());
        shot("00-login");
        browser.findElement(By.id("login-user")).sendKeys(USER);
        browser.findElement(By.id("login-password")).sendKeys("wrong");
        browser.findElement(By.id("login-submit")).click();
        wait.until(d -> d.findElement(By.id("login-error")).getText().contains("Wrong"));
        browser.findElement(By.id("login-password")).clear();
        browser.findElement(By.id("login-password")).sendKeys(karaf.adminPassword());
        browser.findElement(By.id("login-submit")).click();

        // The landing page: the overview's charts, drawn from the server's history, with the accepts and the reject.
        wait.until(d -> d.findElement(By.id("overview-reasons")).getText().contains("mac_res_mismatch"));
        assertTrue(Integer.parseInt(browser.findElement(By.id("overview-accepted")).getText()) >= 2);
        assertTrue(Integer.parseInt(browser.findElement(By.id("overview-rejected")).getText()) >= 1);
        for (String chart : List.of("chart-auth", "chart-latency", "chart-accounting", "chart-sessions",
                "chart-diameter")) {
            assertTrue(chart, browser.findElement(By.id(chart)).findElements(By.tagName("canvas")).size() == 1);
        }
        // The charts hold the data: accepted (series 1) and the rejected line of mac_res_mismatch have points > 0.
        Object plotted = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "const u = document.getElementById('chart-auth').uplot;"
                        + "return u.series.slice(1).map(function (s) { return s.label; }).join('|') + ' '"
                        + " + u.data[1].some(function (v) { return v > 0; })"
                        + " + ' ' + u.data[2].some(function (v) { return v > 0; });");
        assertEquals("accepted|rejected: mac_res_mismatch true true", String.valueOf(plotted));
        Object latency = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return document.getElementById('chart-latency').uplot.data[1].some(function (v) { return v > 0; });");
        assertEquals(Boolean.TRUE, latency);
        shot("09-overview");

        navigate("Trace");
        browser.findElement(By.id("trace-who")).sendKeys(IMSI);
        browser.findElement(By.id("trace-submit")).click();
        wait.until(d -> d.findElement(By.id("trace-attempts")).getText().contains("Rejected: mac_res_mismatch"));
        String attempts = browser.findElement(By.id("trace-attempts")).getText();
        assertTrue(attempts, attempts.contains("Accepted"));
        assertTrue(attempts, attempts.toLowerCase().contains("vectors requested")
                && attempts.toLowerCase().contains("challenge sent"));
        assertTrue(attempts, browser.findElements(By.cssSelector("#trace-attempts .attempt.rejected")).size() >= 1);
        assertTrue(attempts, browser.findElements(By.cssSelector("#trace-attempts .attempt.accepted")).size() >= 1);
        shot("10-trace");

        // RADIUS Clients: the authenticated phone, Accepted.
        navigate("RADIUS Clients");
        wait.until(d -> d.findElement(By.id("clients-rows")).getText().contains(IDENTITY));
        String clients = browser.findElement(By.id("clients-rows")).getText();
        assertTrue(clients, clients.contains("Accepted"));
        assertTrue(clients, clients.contains("86-81-69-A7-B4-B2"));
        assertTrue(Integer.parseInt(browser.findElement(By.id("count-accepted")).getText()) >= 1);
        // The safety banner: the findings of /api/check, with a link to the page that explains them.
        wait.until(d -> d.findElement(By.id("check-banner")).isDisplayed());
        String banner = browser.findElement(By.id("check-banner")).getText();
        assertTrue(banner, banner.contains("setting(s) to review") && banner.contains("self-signed"));
        assertTrue(browser.findElement(By.id("check-docs")).getAttribute("href")
                .endsWith("/docs/before-you-expose-it.md"));
        shot("01-radius-clients");

        // Its details: IMSI, the AP and the session's usage.
        browser.findElement(By.linkText(IDENTITY)).click();
        wait.until(d -> d.findElement(By.id("client-usage")).getText().contains(SESSION));
        assertTrue(browser.findElement(By.id("client-basic")).getText().contains(IMSI));
        assertTrue(browser.findElement(By.id("client-ap")).getText().contains("ap-lobby"));
        String usage = browser.findElement(By.id("client-usage")).getText();
        assertTrue(usage, usage.contains("7.30 MB")); // 7 654 321 octets downloaded
        assertTrue(usage, usage.contains("120.6 KB")); // 123 456 octets uploaded
        shot("02-client-details");

        navigate("Access Points");
        wait.until(d -> d.findElement(By.id("aps-rows")).getText().contains("127.0.0.1"));
        browser.findElement(By.linkText("127.0.0.1")).click();
        wait.until(d -> d.findElement(By.id("ap-details")).isDisplayed());
        String ap = browser.findElement(By.id("ap-details-rows")).getText();
        assertTrue(ap, ap.contains("64-D9-89-1D-A4-20:OpenTWAG"));
        assertTrue(ap, ap.contains("Wireless-802.11"));
        shot("03-access-points");

        navigate("Client Usage");
        wait.until(d -> d.findElement(By.id("usage-rows")).getText().contains(SESSION));
        assertTrue(browser.findElement(By.id("usage-rows")).getText().contains("7.30 MB"));
        shot("04-client-usage");

        navigate("Diameter");
        wait.until(d -> d.findElement(By.id("peers-rows")).getText().contains("Connected"));
        shot("05-diameter-peers");

        navigate("Diameter Test");
        browser.findElement(By.id("mar-imsi")).sendKeys("001010000000002");
        browser.findElement(By.id("mar-submit")).click();
        wait.until(d -> d.findElement(By.id("mar-result")).getText().contains("RAND"));
        assertTrue(browser.findElement(By.id("mar-result")).getText().contains("success"));
        shot("06-diameter-test");

        navigate("Configuration");
        wait.until(d -> d.findElement(By.id("config-list")).getText().contains("org.opentwag.radius"));
        String config = browser.findElement(By.id("config-list")).getText();
        assertTrue(config.contains("********"));
        assertFalse(config.contains(SECRET));
        shot("07-configuration");

        navigate("Resources");
        wait.until(d -> d.findElement(By.id("resources-rows")).getText().contains("Heap used"));
        shot("08-resources");
    }

    private void navigate(String view) {
        browser.findElement(By.linkText(view)).click();
    }

    private void shot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    // --- HTTP helpers ---

    /** A client that trusts exactly the node's certificate, and checks it (host 127.0.0.1 is in its names). */
    static HttpClient httpsTrusting(Path keystore, Path passwordFile) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(keystore) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            // the keystore password this installation generated (no password ships)
            ks.load(in, Files.readString(passwordFile).strip().toCharArray());
        }
        X509Certificate cert = (X509Certificate) ks.getCertificate("opentwag-web");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("opentwag-web", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A GET, with HTTP basic auth as "user:password" unless {@code credentials} is null. */
    static HttpResponse<String> get(HttpClient client, String url, String credentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (credentials != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST as a browser on {@code origin} would send it (null: no Origin, as curl). */
    private static HttpResponse<String> post(HttpClient client, String url, String credentials, String json,
                                             String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        credentials.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitStatus(HttpClient client, String url, String credentials, int status, int seconds)
            throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        List<String> seen = new ArrayList<>();
        while (System.currentTimeMillis() < deadline) {
            try {
                int s = get(client, url, credentials).statusCode();
                if (s == status) {
                    return;
                }
                seen.add(String.valueOf(s));
            } catch (java.io.IOException notYet) {
                seen.add(notYet.getClass().getSimpleName());
            }
            Thread.sleep(500);
        }
        throw new AssertionError(url + " did not answer " + status + " within " + seconds + " s: "
                + seen.subList(Math.max(0, seen.size() - 5), seen.size()));
    }

    /** Polls (bounded) until the body satisfies the check: accounting is applied after the response. */
    private String awaitBody(HttpClient client, String url, Function<String, Boolean> ok) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        String body;
        do {
            body = get(client, url, login).body();
        } while (!ok.apply(body) && System.currentTimeMillis() < deadline && sleep(300));
        assertTrue(body, ok.apply(body));
        return body;
    }

    /** The innermost JSON object around a marker (our records hold no nested braces inside a row's scalars). */
    private static String object(String json, String marker) {
        int at = json.indexOf(marker);
        assertTrue(marker + " not in " + json, at >= 0);
        return json.substring(json.lastIndexOf('{', at), json.indexOf('}', at) + 1);
    }

    private static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(\\d+)").matcher(json);
        assertTrue(key + " not in " + json, m.find());
        return Long.parseLong(m.group(1));
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }
}
