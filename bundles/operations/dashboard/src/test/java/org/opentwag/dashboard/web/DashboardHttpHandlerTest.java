package org.opentwag.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentwag.api.state.ClientState;
import org.opentwag.dashboard.auth.BasicAuthenticator;
import org.opentwag.dashboard.auth.LoginThrottle;
import org.opentwag.dashboard.rest.FakeBackend;
import org.opentwag.dashboard.rest.RestApi;
import org.opentwag.support.metrics.Counters;

/** The servlet-side checks, with requests and responses faked through dynamic proxies (no container). */
class DashboardHttpHandlerTest {

    private static final String ADMIN = "Basic " + b64("admin:opentwag");
    private static final String VIEWER = "Basic " + b64("view:only");

    private final ObjectMapper json = new ObjectMapper();
    private FakeBackend backend;
    private DashboardHttpHandler handler;
    private DashboardMetrics metrics;
    private String remoteAddr = "127.0.0.1";

    @BeforeEach
    void setUp() {
        backend = new FakeBackend();
        BasicAuthenticator auth = new BasicAuthenticator((user, pw) -> switch (user + ":" + new String(pw)) {
            case "admin:opentwag" -> Optional.of(Set.of("admin"));
            case "view:only" -> Optional.of(Set.of("viewer"));
            default -> Optional.empty();
        }, Set.of("admin", "viewer"), Set.of("admin"), Duration.ofSeconds(60), Clock.systemUTC(),
                new LoginThrottle(LoginThrottle.Limits.defaults(), Clock.systemUTC()));
        metrics = new DashboardMetrics(new Counters());
        handler = new DashboardHttpHandler(auth, new RestApi(backend, json, Clock.systemUTC(), Duration.ofSeconds(1)),
                json, true, new SameOriginCheck(Set.of("https://twag.example.com")), metrics);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** What the handler wrote. */
    static final class Recorded {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        String contentType;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    private Recorded call(String method, String uri, String authorization, boolean secure, String contentType,
                          String body) throws Exception {
        return call(method, uri, authorization, secure, contentType, body, Map.of());
    }

    private Recorded call(String method, String uri, String authorization, boolean secure, String contentType,
                          String body, Map<String, String> headers) throws Exception {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        ServletInputStream servletIn = new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener l) {
            }
        };
        HttpServletRequest req = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> uri;
                    case "getContextPath" -> "";
                    case "isSecure" -> secure;
                    case "getHeader" -> "Authorization".equalsIgnoreCase((String) args[0]) ? authorization
                            : headers.get((String) args[0]);
                    case "getContentType" -> contentType;
                    case "getContentLengthLong" -> (long) bytes.length;
                    case "getInputStream" -> servletIn;
                    case "getRemoteAddr" -> remoteAddr;
                    case "getScheme" -> secure ? "https" : "http";
                    case "getServerName" -> "twag.example.net";
                    case "getServerPort" -> 8444;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        Recorded rec = new Recorded();
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                rec.body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener l) {
            }
        };
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> {
                    switch (m.getName()) {
                        case "setStatus" -> rec.status = (Integer) args[0];
                        case "setHeader" -> rec.headers.put((String) args[0], (String) args[1]);
                        case "setContentType" -> rec.contentType = (String) args[0];
                        case "setContentLength" -> { }
                        case "getOutputStream" -> {
                            return out;
                        }
                        default -> throw new UnsupportedOperationException(m.getName());
                    }
                    return null;
                });
        handler.handle(req, resp);
        return rec;
    }

    @Test
    void withoutCredentialsAsksForBasicLogin() throws Exception {
        for (String uri : new String[] {"/api/clients", "/api/openapi.json", "/api"}) {
            Recorded r = call("GET", uri, null, true, null, null);
            assertThat(r.status).as(uri).isEqualTo(401);
            assertThat(r.headers.get("WWW-Authenticate")).startsWith("Basic realm=\"OpenTWAG\"");
            assertThat(r.text()).doesNotContain("clients\":");
        }
        assertThat(call("GET", "/api/clients", "Basic " + b64("admin:bad"), true, null, null).status).isEqualTo(401);
        assertThat(call("POST", "/api/mar", null, true, "application/json", "{}").status).isEqualTo(401);
    }

    @Test
    void thePagesOwnCallsGetAChallengeWithoutTheBrowserDialog() throws Exception {
        Recorded r = call("GET", "/api/clients", null, true, null, null, Map.of("X-OpenTWAG-UI", "1"));
        assertThat(r.status).isEqualTo(401);
        assertThat(r.headers.get("WWW-Authenticate")).doesNotStartWith("Basic").contains("realm=\"OpenTWAG\"");
    }

    @Test
    void thePageShellNeedsNoLoginButHttps() throws Exception {
        Recorded page = call("GET", "/", null, true, null, null);
        assertThat(page.status).isEqualTo(200);
        assertThat(page.text()).contains("login-form");
        assertThat(call("GET", "/", null, false, null, null).status).isEqualTo(403);
        assertThat(call("GET", "/app.js", null, false, null, null).status).isEqualTo(403);
    }

    @Test
    void plainHttpIsRefused() throws Exception {
        Recorded r = call("GET", "/api/clients", ADMIN, false, null, null);
        assertThat(r.status).isEqualTo(403);
        assertThat(r.text()).contains("HTTPS required");
    }

    @Test
    void viewerReadsClientsAsJson() throws Exception {
        backend.store = new FakeBackend.MapStore();
        backend.store.put(new ClientState("0001010123456789@wlan", null, ClientState.Status.ACCEPTED, "EAP-AKA",
                "192.0.2.10", null, null, 1, 2, 3, null));
        Recorded r = call("GET", "/api/clients", VIEWER, true, null, null);
        assertThat(r.status).isEqualTo(200);
        assertThat(r.contentType).startsWith("application/json");
        assertThat(r.headers).containsEntry("Cache-Control", "no-store");
        JsonNode b = json.readTree(r.text());
        assertThat(b.get("clients").get(0).get("identity").asText()).isEqualTo("0001010123456789@wlan");
    }

    @Test
    void actionsNeedAdminAndJson() throws Exception {
        String mar = "{\"imsi\":\"001010123456789\"}";
        assertThat(call("POST", "/api/mar", VIEWER, true, "application/json", mar).status).isEqualTo(403);
        assertThat(call("POST", "/api/mar", ADMIN, true, "text/plain", mar).status).isEqualTo(415);
        assertThat(call("POST", "/api/mar", ADMIN, true, null, mar).status).isEqualTo(415);
        // Admin with JSON reaches the API, which says the vector source is missing.
        Recorded r = call("POST", "/api/mar", ADMIN, true, "application/json; charset=utf-8", mar);
        assertThat(r.status).isEqualTo(503);
        assertThat(r.text()).contains("not installed");
    }

    @Test
    void oversizedBodyIsRefused() throws Exception {
        String big = "{\"imsi\":\"" + "1".repeat(DashboardHttpHandler.MAX_BODY) + "\"}";
        assertThat(call("POST", "/api/mar", ADMIN, true, "application/json", big).status).isEqualTo(413);
    }

    @Test
    void servesTheDashboardPageAndNothingElse() throws Exception {
        Recorded page = call("GET", "/", VIEWER, true, null, null);
        assertThat(page.status).isEqualTo(200);
        assertThat(page.contentType).startsWith("text/html");
        assertThat(page.text()).contains("RADIUS Clients", "Diameter Test", "app.js");
        Recorded js = call("GET", "/app.js", VIEWER, true, null, null);
        assertThat(js.contentType).startsWith("text/javascript");
        assertThat(js.text()).contains("setInterval");
        assertThat(call("GET", "/../pom.xml", VIEWER, true, null, null).status).isEqualTo(404);
        assertThat(call("GET", "/web/index.html", VIEWER, true, null, null).status).isEqualTo(404);
        assertThat(call("POST", "/", ADMIN, true, "application/json", "{}").status).isEqualTo(405);
    }

    @Test
    void openApiIsServedUnderApi() throws Exception {
        Recorded r = call("GET", "/api/openapi.json", VIEWER, true, null, null);
        assertThat(r.status).isEqualTo(200);
        assertThat(json.readTree(r.text()).get("openapi").asText()).startsWith("3.");
    }

    private long metric(String series) {
        return metrics.values().getOrDefault(series, 0L).longValue();
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() throws Exception {
        Map<String, Recorded> responses = new java.util.LinkedHashMap<>();
        responses.put("page", call("GET", "/", null, true, null, null));
        responses.put("script", call("GET", "/app.js", null, true, null, null));
        responses.put("api 200", call("GET", "/api/check", VIEWER, true, null, null));
        responses.put("api 401", call("GET", "/api/clients", null, true, null, null));
        responses.put("plain http 403", call("GET", "/api/clients", ADMIN, false, null, null));
        responses.put("404", call("GET", "/nothing", null, true, null, null));
        responses.put("cross-site 403", call("POST", "/api/mar", ADMIN, true, "application/json", "{}",
                Map.of("Origin", "https://evil.example")));
        for (var e : responses.entrySet()) {
            Map<String, String> h = e.getValue().headers;
            assertThat(h.get("Content-Security-Policy")).as(e.getKey())
                    .contains("default-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline");
            assertThat(h.get("Strict-Transport-Security")).as(e.getKey()).startsWith("max-age=");
            assertThat(h).as(e.getKey()).containsEntry("X-Content-Type-Options", "nosniff")
                    .containsEntry("X-Frame-Options", "DENY").containsEntry("Referrer-Policy", "same-origin");
        }
    }

    @Test
    void thePageNeedsNoInlineScriptOrStyle() throws Exception {
        // CSP default-src 'self' would block them: the page must load everything from files.
        String page = call("GET", "/", null, true, null, null).text();
        assertThat(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain("<style", " style=",
                "onclick=", "onload=", "onsubmit=", "javascript:");
        assertThat(call("GET", "/app.js", null, true, null, null).text()).doesNotContain("innerHTML", "eval(",
                "setAttribute('style'");
    }

    @Test
    void manyWrongPasswordsGet429WithRetryAfterAndAreCounted() throws Exception {
        remoteAddr = "198.51.100.7";
        for (int i = 0; i < 5; i++) {
            assertThat(call("GET", "/api/clients", "Basic " + b64("admin:guess" + i), true, null, null).status)
                    .isEqualTo(401);
        }
        Recorded r = call("GET", "/api/clients", ADMIN, true, null, null);
        assertThat(r.status).isEqualTo(429);
        assertThat(Long.parseLong(r.headers.get("Retry-After"))).isBetween(1L, 60L);
        assertThat(r.text()).contains("Too many wrong passwords").doesNotContain("clients\":");
        assertThat(metric(DashboardMetrics.LOGIN_FAILURES)).isEqualTo(5);
        assertThat(metric(DashboardMetrics.LOGIN_THROTTLED + "{limit=\"user\"}")).isEqualTo(1);
        // Another user from elsewhere is not concerned.
        remoteAddr = "192.0.2.1";
        assertThat(call("GET", "/api/check", VIEWER, true, null, null).status).isEqualTo(200);
    }

    @Test
    void aCrossSitePostIsRefusedBeforeTheLoginAndCounted() throws Exception {
        String mar = "{\"imsi\":\"001010123456789\"}";
        for (Map<String, String> headers : List.of(Map.of("Origin", "https://evil.example"),
                Map.of("Origin", "https://twag.example.net:9999"), Map.of("Origin", "http://twag.example.net:8444"),
                Map.of("Origin", "null"), Map.of("Referer", "https://evil.example/page.html"),
                Map.of("Origin", "https://evil.example", "Referer", "https://twag.example.net:8444/"))) {
            Recorded r = call("POST", "/api/mar", ADMIN, true, "application/json", mar, headers);
            assertThat(r.status).as(headers.toString()).isEqualTo(403);
            assertThat(r.text()).contains("Cross-site request refused");
        }
        assertThat(metric(DashboardMetrics.CROSS_SITE_REFUSED)).isEqualTo(6);
        backend.store = new FakeBackend.MapStore();
        assertThat(call("POST", "/api/clients/someone/disconnect", ADMIN, true, "application/json", "{}",
                Map.of("Origin", "https://evil.example")).status).isEqualTo(403);
        assertThat(metric(DashboardMetrics.CROSS_SITE_REFUSED)).isEqualTo(7);
        assertThat(metric(DashboardMetrics.LOGIN_FAILURES)).as("no login attempt spent").isZero();
    }

    @Test
    void ownOriginsAndClientsWithoutOriginMayAct() throws Exception {
        String mar = "{\"imsi\":\"001010123456789\"}";
        for (Map<String, String> headers : List.of(Map.of("Origin", "https://twag.example.net:8444"),
                Map.of("Origin", "https://TWAG.example.net:8444"), Map.of("Referer", "https://twag.example.net:8444/#mar"),
                Map.of("Origin", "https://twag.example.com"), Map.<String, String>of())) {
            // 503: past every check, the API says the vector source is not installed.
            assertThat(call("POST", "/api/mar", ADMIN, true, "application/json", mar, headers).status)
                    .as(headers.toString()).isEqualTo(503);
        }
        // Reading needs no origin check: a cross-site GET cannot read the answer (no CORS) and changes nothing.
        assertThat(call("GET", "/api/clients", VIEWER, true, null, null, Map.of("Origin", "https://evil.example"))
                .status).isNotEqualTo(403);
        assertThat(metric(DashboardMetrics.CROSS_SITE_REFUSED)).isZero();
    }
}
