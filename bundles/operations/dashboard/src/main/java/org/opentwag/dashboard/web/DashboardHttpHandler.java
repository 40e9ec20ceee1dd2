package org.opentwag.dashboard.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.opentwag.dashboard.auth.BasicAuthenticator;
import org.opentwag.dashboard.auth.BasicAuthenticator.Authenticated;
import org.opentwag.dashboard.auth.BasicAuthenticator.Forbidden;
import org.opentwag.dashboard.auth.BasicAuthenticator.Throttled;
import org.opentwag.dashboard.auth.BasicAuthenticator.Unauthenticated;
import org.opentwag.dashboard.rest.ApiResponse;
import org.opentwag.dashboard.rest.RestApi;
import org.opentwag.support.metrics.Counters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every HTTP request of the dashboard: security headers, HTTPS check, the same-origin check of state-changing
 * requests, Basic login (throttled), then the REST API under {@code /api} or the static page. Plain servlet API, no
 * OSGi, so it can be tested with a fake request.
 */
public final class DashboardHttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardHttpHandler.class);
    static final int MAX_BODY = 8 * 1024;
    private static final String API = "/api";
    /** Sent by the dashboard page's script with every API call. */
    static final String UI_HEADER = "X-OpenTWAG-UI";
    /** A challenge browsers do not answer with their login dialog (RFC 7235 allows any scheme name). */
    static final String UI_CHALLENGE = "OpenTWAG-Form realm=\"OpenTWAG\"";

    /** The static files of the page; nothing else is served, so no path can escape. */
    private static final Map<String, String> STATIC = Map.of(
            "/index.html", "text/html; charset=utf-8",
            "/app.js", "text/javascript; charset=utf-8",
            "/style.css", "text/css; charset=utf-8",
            // uPlot, unpacked from its webjar at build (org.webjars.npm:uplot, MIT licence).
            "/vendor/uPlot.iife.min.js", "text/javascript; charset=utf-8",
            "/vendor/uPlot.min.css", "text/css; charset=utf-8",
            "/vendor/LICENSE", "text/plain; charset=utf-8",
            // The page the safety banner links to (copied from docs/ at build), shown as plain text.
            "/docs/before-you-expose-it.md", "text/plain; charset=utf-8");

    private final BasicAuthenticator authenticator;
    private final RestApi api;
    private final ObjectMapper json;
    private final boolean requireHttps;
    private final SameOriginCheck sameOrigin;
    private final DashboardMetrics metrics;
    /** When a 429 was last logged at WARN, and how many were refused since: an attack cannot flood the log. */
    private final AtomicLong lastThrottleWarning = new AtomicLong();
    private final AtomicLong throttledSinceWarning = new AtomicLong();

    /**
     * The headers of every response. The page loads its script and style from files (no inline code), so the policy
     * allows nothing but this origin, and no framing (clickjacking of the Disconnect button).
     */
    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'self'; "
                    + "frame-ancestors 'none'; object-src 'none'",
            "Strict-Transport-Security", "max-age=31536000",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "same-origin",
            "Cache-Control", "no-store");

    public DashboardHttpHandler(BasicAuthenticator authenticator, RestApi api, ObjectMapper json,
                                boolean requireHttps) {
        this(authenticator, api, json, requireHttps, new SameOriginCheck(Set.of()),
                new DashboardMetrics(new Counters()));
    }

    public DashboardHttpHandler(BasicAuthenticator authenticator, RestApi api, ObjectMapper json,
                                boolean requireHttps, SameOriginCheck sameOrigin, DashboardMetrics metrics) {
        this.authenticator = authenticator;
        this.api = api;
        this.json = json;
        this.requireHttps = requireHttps;
        this.sameOrigin = sameOrigin;
        this.metrics = metrics;
    }

    public void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        SECURITY_HEADERS.forEach(resp::setHeader);
        if (requireHttps && !req.isSecure()) {
            send(resp, ApiResponse.error(403, "HTTPS required"));
            return;
        }
        String path = pathOf(req);
        if (RestApi.changesState(req.getMethod())) {
            // Before the login: a forged request neither acts nor costs the user a login attempt.
            var crossSite = sameOrigin.refusal(req);
            if (crossSite.isPresent()) {
                metrics.crossSiteRefused();
                LOG.warn("Dashboard {} {} from {} refused as cross-site: {}", req.getMethod(),
                        SameOriginCheck.printable(path), req.getRemoteAddr(), crossSite.get());
                send(resp, ApiResponse.error(403, "Cross-site request refused: " + crossSite.get()));
                return;
            }
        }
        if (!(path.equals(API) || path.startsWith(API + "/"))) {
            // The page itself holds no data (every figure comes from /api behind the login), so it is served
            // without credentials and shows its own login form.
            serveStatic(req, resp, path);
            return;
        }
        var outcome = authenticator.authenticate(req.getHeader("Authorization"), req.getRemoteAddr());
        if (outcome instanceof Throttled t) {
            throttled(req, t);
            resp.setHeader("Retry-After", String.valueOf(retryAfterSeconds(t)));
            send(resp, ApiResponse.error(429, "Too many wrong passwords; try again in " + retryAfterSeconds(t)
                    + " s"));
            return;
        }
        if (outcome instanceof Unauthenticated u) {
            if (u.wrongPassword()) {
                metrics.loginFailed();
                LOG.info("Dashboard login failed: wrong password for user {} from {}",
                        SameOriginCheck.printable(u.user()), req.getRemoteAddr());
            } else {
                LOG.debug("Dashboard request {} {} from {} refused: {}", req.getMethod(), path, req.getRemoteAddr(),
                        u.why());
            }
            // Our page logs in with its own form: a Basic challenge would pop up the browser's dialog over it.
            resp.setHeader("WWW-Authenticate", req.getHeader(UI_HEADER) != null ? UI_CHALLENGE
                    : BasicAuthenticator.CHALLENGE);
            send(resp, ApiResponse.error(401, "Login required"));
            return;
        }
        if (outcome instanceof Forbidden f) {
            LOG.info("Dashboard user {} has none of the allowed roles", f.user());
            send(resp, ApiResponse.error(403, "Your user has no dashboard role"));
            return;
        }
        var operator = ((Authenticated) outcome).operator();
        String method = req.getMethod();
        if (RestApi.changesState(method)) {
            if (!operator.mayChange()) {
                send(resp, ApiResponse.error(403, "This action needs the admin role"));
                return;
            }
            // A JSON content type cannot be sent cross-site without a CORS preflight, which we never allow:
            // this keeps other web pages from using the browser's cached Basic credentials (CSRF).
            String type = req.getContentType();
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                send(resp, ApiResponse.error(415, "Content-Type must be application/json"));
                return;
            }
            LOG.info("Dashboard user {}: {} {}", operator.name(), method, path);
        }
        byte[] body = readBody(req);
        if (body == null) {
            send(resp, ApiResponse.error(413, "Request body larger than " + MAX_BODY + " bytes"));
            return;
        }
        ApiResponse answer;
        try {
            answer = api.handle(method, path.substring(API.length()), body);
        } catch (RuntimeException e) {
            LOG.warn("REST {} {} failed", method, path, e);
            answer = ApiResponse.error(500, "Internal error: " + e.getClass().getSimpleName());
        }
        send(resp, answer);
    }

    private static long retryAfterSeconds(Throttled t) {
        return Math.max(1, (t.refusal().retryAfter().toMillis() + 999) / 1000);
    }

    /** Counts a 429 and logs it: at WARN at most every 10 s (with how many were refused meanwhile), else DEBUG. */
    private void throttled(HttpServletRequest req, Throttled t) {
        String limit = t.refusal().scope().name().toLowerCase(Locale.ROOT);
        metrics.loginThrottled(limit);
        long refused = throttledSinceWarning.incrementAndGet();
        long now = System.currentTimeMillis();
        long last = lastThrottleWarning.get();
        if (now - last >= 10_000 && lastThrottleWarning.compareAndSet(last, now)) {
            throttledSinceWarning.set(0);
            LOG.warn("Dashboard login refused (429) for user {} from {}: too many wrong passwords for this {}, "
                    + "retry in {} s ({} login(s) refused since the last such line)",
                    SameOriginCheck.printable(t.user()), req.getRemoteAddr(), limit, retryAfterSeconds(t), refused);
        } else {
            LOG.debug("Dashboard login refused (429) for user {} from {}: too many wrong passwords for this {}",
                    SameOriginCheck.printable(t.user()), req.getRemoteAddr(), limit);
        }
    }

    private void serveStatic(HttpServletRequest req, HttpServletResponse resp, String path) throws IOException {
        if (!"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod())) {
            send(resp, ApiResponse.error(405, "Use GET"));
            return;
        }
        String file = path.isEmpty() || path.equals("/") ? "/index.html" : path;
        String type = STATIC.get(file);
        if (type == null) {
            send(resp, ApiResponse.error(404, "Not found"));
            return;
        }
        try (InputStream in = DashboardHttpHandler.class.getResourceAsStream("/web" + file)) {
            if (in == null) {
                send(resp, ApiResponse.error(404, "Not found"));
                return;
            }
            byte[] content = in.readAllBytes();
            resp.setStatus(200);
            resp.setContentType(type);
            resp.setContentLength(content.length);
            if ("GET".equals(req.getMethod())) {
                resp.getOutputStream().write(content);
            }
        }
    }

    private void send(HttpServletResponse resp, ApiResponse answer) throws IOException {
        if (answer.body() instanceof ApiResponse.Download file) {
            resp.setStatus(answer.status());
            resp.setContentType(file.contentType());
            file.headers().forEach(resp::setHeader);
            resp.setContentLength(file.content().length);
            resp.getOutputStream().write(file.content());
            return;
        }
        byte[] body = json.writeValueAsBytes(answer.body());
        resp.setStatus(answer.status());
        resp.setContentType("application/json; charset=utf-8");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /** The path below the context, still percent-encoded (identities may contain '/' as %2F). */
    static String pathOf(HttpServletRequest req) {
        String uri = req.getRequestURI() == null ? "/" : req.getRequestURI();
        String context = req.getContextPath() == null ? "" : req.getContextPath();
        return uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    /** The body, or null when it exceeds {@link #MAX_BODY}. */
    private static byte[] readBody(HttpServletRequest req) throws IOException {
        if (req.getContentLengthLong() > MAX_BODY) {
            return null;
        }
        try (InputStream in = req.getInputStream()) {
            if (in == null) {
                return new byte[0];
            }
            byte[] body = in.readNBytes(MAX_BODY + 1);
            return body.length > MAX_BODY ? null : body;
        }
    }
}
