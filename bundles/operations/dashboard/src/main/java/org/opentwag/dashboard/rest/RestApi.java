package org.opentwag.dashboard.rest;


import java.util.Arrays;

import org.opentwag.passpoint.GeneratedFile;
import org.opentwag.passpoint.PasspointFormat;
import org.opentwag.passpoint.PasspointProfiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.api.check.Finding;
import org.opentwag.api.eap.ImsiPrivacy;
import org.opentwag.api.check.SafetyCheck;
import org.opentwag.api.charging.ChargingQueries;
import org.opentwag.api.state.ClientState;
import org.opentwag.api.vectors.Non3gppUserData;
import org.opentwag.api.session.AccessSessions;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.api.vectors.VectorSourceException;
import org.opentwag.dashboard.rest.OperatorBackend.DisconnectResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API under {@code /api}, independent of the servlet container: a method, a path below {@code /api} and a
 * body in, an {@link ApiResponse} out. Authentication and authorisation happen before (in the servlet).
 */
public final class RestApi {

    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    private static final Pattern IMSI = Pattern.compile("\\d{5,15}");
    private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    /** The dashboard table stays usable; a store with more clients is summarised by the counts. */
    static final int MAX_CLIENT_ROWS = 2000;
    /** Open sessions listed on the "Client Usage" page and searched for a client's details. */
    static final int MAX_SESSION_ROWS = 2000;

    private final OperatorBackend backend;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration answerTimeout;
    private final JsonNode openApi;

    public RestApi(OperatorBackend backend, ObjectMapper json, Clock clock, Duration answerTimeout) {
        this.backend = backend;
        this.json = json;
        this.clock = clock;
        this.answerTimeout = answerTimeout;
        this.openApi = loadOpenApi(json);
    }

    /** The routes; also the paths the OpenAPI document must describe. */
    public static final List<String> ROUTES = List.of("GET /clients", "GET /clients/{identity}",
            "POST /clients/{identity}/disconnect", "GET /aps", "GET /aps/{nasIp}", "GET /sessions",
            "GET /sessions/{nasIp}/{acctSessionId}",
            "GET /charging", "GET /peers", "GET /resources", "GET /config", "POST /mar",
            "GET /passpoint", "GET /passpoint/{format}", "GET /privacy/keys", "GET /privacy/carrier-keys",
            "POST /privacy/generate", "GET /check", "GET /overview", "GET /overview/{range}",
            "GET /trace", "GET /trace/{subscriber}", "GET /openapi.json");

    /** True for the requests that change something (and so need the admin role). */
    public static boolean changesState(String method) {
        return !"GET".equals(method) && !"HEAD".equals(method);
    }

    /**
     * @param method  HTTP method
     * @param rawPath the request path below {@code /api}, still percent-encoded, e.g. {@code /clients/a%40b}
     * @param body    the request body (empty for GET)
     */
    public ApiResponse handle(String method, String rawPath, byte[] body) {
        List<String> segments;
        try {
            segments = segments(rawPath);
        } catch (IllegalArgumentException e) {
            return ApiResponse.error(400, "Malformed path: " + e.getMessage());
        }
        String first = segments.isEmpty() ? "" : segments.get(0);
        return switch (segments.size() + ":" + first) {
            case "1:clients" -> get(method, this::clients);
            case "2:clients" -> get(method, () -> client(segments.get(1)));
            case "3:clients" -> "disconnect".equals(segments.get(2))
                    ? post(method, () -> disconnect(segments.get(1)))
                    : ApiResponse.error(404, "No such resource");
            case "1:aps" -> get(method, this::accessPoints);
            case "2:aps" -> get(method, () -> accessPoint(segments.get(1)));
            case "1:sessions" -> get(method, this::sessions);
            case "3:sessions" -> get(method, () -> sessionRecords(segments.get(1), segments.get(2)));
            case "1:charging" -> get(method, this::charging);
            case "1:peers" -> get(method, this::peers);
            case "1:resources" -> get(method, () -> ApiResponse.ok(JvmResources.current()));
            case "1:config" -> get(method, this::config);
            case "1:mar" -> post(method, () -> mar(body));
            case "1:passpoint" -> get(method, this::passpointFindings);
            case "2:passpoint" -> get(method, () -> passpointFile(segments.get(1)));
            case "2:privacy" -> switch (segments.get(1)) {
                case "keys" -> get(method, this::privacyKeys);
                case "carrier-keys" -> get(method, this::carrierKeys);
                case "generate" -> post(method, () -> generatePrivacyKey(body));
                default -> ApiResponse.error(404, "No such resource");
            };
            case "1:check" -> get(method, this::check);
            case "1:overview" -> get(method, () -> overview("15m"));
            case "2:overview" -> get(method, () -> overview(segments.get(1)));
            case "1:trace" -> get(method, this::traceSubscribers);
            case "2:trace" -> get(method, () -> trace(segments.get(1)));
            case "1:openapi.json" -> get(method, () -> ApiResponse.ok(openApi));
            default -> ApiResponse.error(404, "No such resource");
        };
    }

    /** GET /overview/{range}: the server's history of rates, latency and sessions (15m, 1h or 24h). */
    private ApiResponse overview(String range) {
        if (!org.opentwag.dashboard.history.MetricHistory.RANGES.contains(range)) {
            return ApiResponse.error(400, "Range is one of " + org.opentwag.dashboard.history.MetricHistory.RANGES);
        }
        return backend.history().map(h -> ApiResponse.ok(h.range(range)))
                .orElseGet(() -> ApiResponse.notInstalled("The overview history"));
    }

    /** Subscribers the trace keeps, most recently seen first (at most this many listed). */
    static final int MAX_TRACE_SUBSCRIBERS = 500;

    private ApiResponse traceSubscribers() {
        return backend.trace().map(t -> {
            List<String> all = t.subscribers();
            return ApiResponse.ok(Map.of("subscribers", all.subList(0, Math.min(all.size(), MAX_TRACE_SUBSCRIBERS)),
                    "total", all.size()));
        }).orElseGet(() -> ApiResponse.notInstalled("The subscriber trace"));
    }

    /** GET /trace/{subscriber}: its recent attempts step by step, newest first (no key material is ever kept). */
    private ApiResponse trace(String subscriber) {
        return backend.trace().map(t -> ApiResponse.ok(Map.of("subscriber", subscriber,
                        "attempts", t.attempts(subscriber).stream().map(TraceAttemptView::of).toList())))
                .orElseGet(() -> ApiResponse.notInstalled("The subscriber trace"));
    }

    /** GET /privacy/keys: the IMSI privacy keys in force, certificates and identifiers (never a private key). */
    private ApiResponse privacyKeys() {
        Optional<ImsiPrivacy> privacy = backend.imsiPrivacy();
        return privacy.isEmpty() ? ApiResponse.notInstalled("IMSI privacy (feature opentwag-eap-aka)")
                : ApiResponse.ok(privacy.get().keys().stream().map(PrivacyKeyView::of).toList());
    }

    /** One IMSI privacy key as JSON (expiry as ISO-8601 text). */
    public record PrivacyKeyView(String name, String keyIdentifier, String certificate, int bits, String notAfter,
                                 boolean published, String sha256) {
        static PrivacyKeyView of(ImsiPrivacy.Key k) {
            return new PrivacyKeyView(k.name(), k.keyIdentifier(), k.certificatePem(), k.bits(),
                    k.notAfter().toString(), k.published(), k.sha256());
        }
    }

    /** GET /privacy/carrier-keys: the document for Android's imsi_key_download_url. */
    private ApiResponse carrierKeys() {
        Optional<ImsiPrivacy> privacy = backend.imsiPrivacy();
        if (privacy.isEmpty()) {
            return ApiResponse.notInstalled("IMSI privacy (feature opentwag-eap-aka)");
        }
        return ApiResponse.download("application/json", Map.of(),
                privacy.get().carrierKeysJson().getBytes(StandardCharsets.UTF_8));
    }

    /** Body of POST /privacy/generate. */
    public record GenerateKeyRequest(String name, Integer bits, Integer days, String identifier) {
    }

    /** POST /privacy/generate: a new key pair, stored under etc/ and configured. */
    private ApiResponse generatePrivacyKey(byte[] body) {
        Optional<ImsiPrivacy> privacy = backend.imsiPrivacy();
        if (privacy.isEmpty()) {
            return ApiResponse.notInstalled("IMSI privacy (feature opentwag-eap-aka)");
        }
        GenerateKeyRequest req;
        try {
            req = json.readValue(body, GenerateKeyRequest.class);
        } catch (IOException e) {
            return ApiResponse.error(400, "Body must be JSON {\"name\": \"...\", \"bits\": 2048, \"days\": 730}");
        }
        if (req == null || req.name() == null) {
            return ApiResponse.error(400, "name is required");
        }
        try {
            return ApiResponse.ok(PrivacyKeyView.of(privacy.get().generate(req.name(),
                    req.bits() == null ? 2048 : req.bits(), req.days() == null ? 730 : req.days(), req.identifier())));
        } catch (IllegalArgumentException e) {
            return ApiResponse.error(400, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("IMSI privacy key generation failed: {}", e.getMessage());
            return ApiResponse.error(500, "Key generation failed: " + e.getMessage());
        }
    }

    /** Where the findings are explained (what the defaults are, what to change before exposing the server). */
    public static final String CHECK_DOCS = "docs/before-you-expose-it.md";

    /** GET /check: every registered safety check's findings, UNSAFE first, with the counts. */
    public record CheckPage(int unsafe, int warnings, List<Finding> findings, String docs) {
    }

    private ApiResponse check() {
        List<Finding> all = new ArrayList<>();
        for (SafetyCheck c : backend.safetyChecks()) {
            try {
                List<Finding> found = c.findings();
                if (found != null) {
                    found.stream().filter(java.util.Objects::nonNull).forEach(all::add);
                }
            } catch (RuntimeException e) {
                // One broken check must not hide the others' findings; say that it could not judge.
                LOG.warn("Safety check {} failed", c.getClass().getName(), e);
                all.add(Finding.warning("check", "The safety check " + c.getClass().getSimpleName()
                        + " failed: " + e, "See the log (data/log/karaf.log) and report it."));
            }
        }
        all.sort(Comparator.comparing(Finding::severity).thenComparing(Finding::area)
                .thenComparing(Finding::problem));
        int unsafe = (int) all.stream().filter(f -> f.severity() == Finding.Severity.UNSAFE).count();
        return ApiResponse.ok(new CheckPage(unsafe, all.size() - unsafe, all, CHECK_DOCS));
    }

    /** What the Passpoint generator finds wrong in the configuration, and the formats it can produce. */
    private ApiResponse passpointFindings() {
        Optional<PasspointProfiles> passpoint = backend.passpoint();
        if (passpoint.isEmpty()) {
            return ApiResponse.notInstalled("Passpoint (feature opentwag-passpoint)");
        }
        List<Map<String, String>> findings = passpoint.get().validate().stream()
                .map(f -> Map.of("severity", f.severity().name(), "code", f.code().name(), "message", f.message()))
                .toList();
        List<String> formats = Arrays.stream(PasspointFormat.values()).map(PasspointFormat::label)
                .toList();
        return ApiResponse.ok(Map.of("findings", findings, "formats", formats));
    }

    /**
     * One generated file. Android's installer takes {@code application/x-wifi-config} only with
     * Content-Transfer-Encoding base64 and without Content-Disposition (the content is already base64 MIME).
     */
    private ApiResponse passpointFile(String name) {
        Optional<PasspointProfiles> passpoint = backend.passpoint();
        if (passpoint.isEmpty()) {
            return ApiResponse.notInstalled("Passpoint (feature opentwag-passpoint)");
        }
        PasspointFormat format;
        try {
            format = PasspointFormat.parse(name);
        } catch (IllegalArgumentException e) {
            return ApiResponse.error(404, "No Passpoint format " + name + "; formats: ap, cisco, android, apple");
        }
        GeneratedFile file = passpoint.get().generate(format);
        Map<String, String> headers = format == PasspointFormat.ANDROID
                ? Map.of("Content-Transfer-Encoding", "base64")
                : Map.of("Content-Disposition", "attachment; filename=\"" + file.fileName() + "\"");
        return ApiResponse.download(file.contentType(), headers, file.content());
    }

    private static ApiResponse get(String method, java.util.function.Supplier<ApiResponse> action) {
        return "GET".equals(method) ? action.get() : ApiResponse.error(405, "Use GET");
    }

    private static ApiResponse post(String method, java.util.function.Supplier<ApiResponse> action) {
        return "POST".equals(method) ? action.get() : ApiResponse.error(405, "Use POST");
    }

    /** Clients list: counts per status and the rows, most recently updated first. */
    public record ClientsPage(Map<String, Long> counts, int total, boolean truncated, List<ClientView> clients) {
    }

    private ApiResponse clients() {
        Optional<AccessSessions> access = backend.accessSessions();
        if (access.isEmpty()) {
            return ApiResponse.notInstalled("The client list (access sessions)");
        }
        Collection<ClientState> all = access.get().clients();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ClientState.Status s : ClientState.Status.values()) {
            counts.put(ClientView.label(s), 0L);
        }
        all.forEach(c -> counts.merge(ClientView.label(c.status()), 1L, Long::sum));
        long now = clock.millis();
        List<ClientView> rows = all.stream()
                .sorted(Comparator.comparingLong(ClientState::lastUpdateMillis).reversed())
                .limit(MAX_CLIENT_ROWS)
                .map(c -> ClientView.of(c, now))
                .toList();
        return ApiResponse.ok(new ClientsPage(counts, all.size(), all.size() > rows.size(), rows));
    }

    /**
     * One client with what the server knows around it (the guide's client details): its state, the access point
     * it was last seen on, and its accounting sessions. Never key material: none of these records hold any.
     *
     * @param accessPoint null when accounting is not installed or the AP is unknown
     * @param sessions    null when accounting is not installed
     * @param userData    the HSS's non-3GPP user data for the subscriber (SAA or PPR), null when none is known
     * @param pdnConnection the subscriber's home-routed PDN connection (S2a: APN, phone IP, PGW, TEIDs), null when it
     *                    is not home-routed or home routing is not installed
     */
    public record ClientDetails(ClientView client, AccessPointView accessPoint, List<SessionView> sessions,
                                Non3gppUserData userData,
                                org.opentwag.api.s2a.HomeRouting.PdnConnectionView pdnConnection) {
    }

    private ApiResponse client(String identity) {
        Optional<AccessSessions> access = backend.accessSessions();
        if (access.isEmpty()) {
            return ApiResponse.notInstalled("The client list (access sessions)");
        }
        ClientState c = access.get().client(identity).orElse(null);
        if (c == null) {
            return ApiResponse.error(404, "No client with this identity or IMSI");
        }
        long now = clock.millis();
        AccessPointView ap = null;
        List<SessionView> sessions = null;
        Optional<AccountingQueries> accounting = backend.accounting();
        if (accounting.isPresent()) {
            if (c.nasIp() != null) {
                ap = accounting.get().accessPoint(c.nasIp()).map(AccessPointView::of).orElse(null);
            }
            sessions = accounting.get().openSessions(MAX_SESSION_ROWS).stream()
                    .filter(s -> belongsTo(s, c))
                    .map(s -> SessionView.of(s, now))
                    .toList();
        }
        return ApiResponse.ok(new ClientDetails(ClientView.of(c, now), ap, sessions,
                access.get().userData(c.imsi()).orElse(null),
                c.imsi() == null ? null : backend.homeRouting().flatMap(h -> h.connection(c.imsi())).orElse(null)));
    }

    /** A session is the client's when it carries its identity or, once both are known, its IMSI. */
    static boolean belongsTo(AccountingSession s, ClientState c) {
        return c.identity().equals(s.userName()) || (c.imsi() != null && c.imsi().equals(s.imsi()));
    }

    private ApiResponse accessPoints() {
        Map<String, org.opentwag.api.trace.AccessPointOutcomes> outcomes = new java.util.HashMap<>();
        backend.trace().ifPresent(t -> t.accessPoints().forEach(o -> outcomes.put(o.nasIp(), o)));
        return backend.accounting()
                .map(a -> ApiResponse.ok(Map.of("accessPoints",
                        a.accessPoints().stream().map(ap -> AccessPointView.of(ap, outcomes.get(ap.nasIp())))
                                .toList())))
                .orElseGet(() -> ApiResponse.notInstalled("Accounting"));
    }

    private ApiResponse accessPoint(String nasIp) {
        Optional<AccountingQueries> accounting = backend.accounting();
        if (accounting.isEmpty()) {
            return ApiResponse.notInstalled("Accounting");
        }
        Optional<AccessPoint> ap = accounting.get().accessPoint(nasIp);
        if (ap.isEmpty()) {
            return ApiResponse.error(404, "No access point with this address");
        }
        long now = clock.millis();
        List<SessionView> sessions = accounting.get().openSessions(MAX_SESSION_ROWS).stream()
                .filter(s -> nasIp.equals(s.nasIp())).map(s -> SessionView.of(s, now)).toList();
        return ApiResponse.ok(Map.of("accessPoint", AccessPointView.of(ap.get()), "sessions", sessions));
    }

    /** Client Usage page: open sessions, most recently updated first, with totals. */
    public record SessionsPage(int open, long downloadOctets, long uploadOctets, List<SessionView> sessions) {
    }

    private ApiResponse sessions() {
        Optional<AccountingQueries> accounting = backend.accounting();
        if (accounting.isEmpty()) {
            return ApiResponse.notInstalled("Accounting");
        }
        long now = clock.millis();
        List<SessionView> rows = accounting.get().openSessions(MAX_SESSION_ROWS).stream()
                .map(s -> SessionView.of(s, now)).toList();
        return ApiResponse.ok(new SessionsPage(rows.size(),
                rows.stream().mapToLong(SessionView::downloadOctets).sum(),
                rows.stream().mapToLong(SessionView::uploadOctets).sum(), rows));
    }

    /**
     * One session's stored Accounting-Requests, oldest first, read back from the database (a support call about a
     * bill), with the session's latest state while it is still known.
     *
     * @param session null when the session is no longer known (its records may still be stored)
     */
    public record SessionRecords(SessionView session, List<AccountingRecordView> records) {
    }

    private ApiResponse sessionRecords(String nasIp, String acctSessionId) {
        Optional<AccountingQueries> accounting = backend.accounting();
        if (accounting.isEmpty()) {
            return ApiResponse.notInstalled("Accounting");
        }
        Optional<AccountingSession> session = accounting.get().session(nasIp, acctSessionId);
        List<AccountingRecordView> records;
        try {
            records = accounting.get().history(nasIp, acctSessionId).stream().map(AccountingRecordView::of).toList();
        } catch (IllegalStateException unreadable) {
            return ApiResponse.error(503, "Accounting records unreadable: " + unreadable.getMessage());
        }
        if (session.isEmpty() && records.isEmpty()) {
            return ApiResponse.error(404, "No session " + acctSessionId + " at " + nasIp);
        }
        return ApiResponse.ok(new SessionRecords(session.map(s -> SessionView.of(s, clock.millis())).orElse(null),
                records));
    }

    /** Charging: the configured mode, the modes available now, and the sessions being charged. */
    public record ChargingPage(String mode, List<String> availableModes, List<ChargedSessionView> sessions) {
    }

    private ApiResponse charging() {
        Optional<ChargingQueries> charging = backend.charging();
        if (charging.isEmpty()) {
            return ApiResponse.notInstalled("Charging");
        }
        ChargingQueries q = charging.get();
        return ApiResponse.ok(new ChargingPage(q.mode(), q.availableModes().stream().sorted().toList(),
                q.sessions(MAX_SESSION_ROWS).stream().map(ChargedSessionView::of).toList()));
    }

    /** Peers page: connected/disconnected counts and the rows. */
    public record PeersPage(long connected, long disconnected, List<PeerView> peers) {
    }

    private ApiResponse peers() {
        return backend.peers()
                .map(list -> {
                    long open = list.stream().filter(PeerView::connected).count();
                    return ApiResponse.ok(new PeersPage(open, list.size() - open, list));
                })
                .orElseGet(() -> ApiResponse.notInstalled("The Diameter node"));
    }

    private ApiResponse config() {
        return backend.configurations()
                .map(list -> ApiResponse.ok(Map.of("configurations", list)))
                .orElseGet(() -> ApiResponse.notInstalled("Configuration Admin"));
    }

    /** Body of {@code POST /api/mar}. */
    public record MarRequest(String imsi, Boolean akaPrime, String source, String networkName) {
    }

    private ApiResponse mar(byte[] body) {
        MarRequest req;
        try {
            req = json.readValue(body, MarRequest.class);
        } catch (IOException e) {
            return ApiResponse.error(400, "Body must be JSON {\"imsi\": \"digits\", \"akaPrime\": true|false}: "
                    + (e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage()));
        }
        if (req == null || req.imsi() == null || !IMSI.matcher(req.imsi()).matches()) {
            return ApiResponse.error(400, "imsi must be 5 to 15 digits");
        }
        String source = req.source() == null ? "swx" : req.source();
        if (!SOURCE_NAME.matcher(source).matches()) {
            return ApiResponse.error(400, "source must be a vector source name such as swx or local");
        }
        Optional<AuthVectorSource> vectors = backend.vectorSource(source);
        if (vectors.isEmpty()) {
            return ApiResponse.notInstalled("Vector source '" + source + "'");
        }
        boolean akaPrime = Boolean.TRUE.equals(req.akaPrime());
        AuthScheme scheme = akaPrime ? AuthScheme.EAP_AKA_PRIME : AuthScheme.EAP_AKA;
        String network = req.networkName() == null || req.networkName().isBlank() ? "WLAN" : req.networkName();
        long start = System.nanoTime();
        try {
            AuthVector v = vectors.get().fetch(new VectorRequest(req.imsi(), scheme, network)).toCompletableFuture()
                    .get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
            var hex = java.util.HexFormat.of();
            return ApiResponse.ok(new VectorTestResult(req.imsi(), source, scheme.wireName(), "success", null,
                    elapsed(start), hex.formatHex(v.rand()), hex.formatHex(v.autn()),
                    VectorTestResult.KeyFingerprint.of(v.xres()), VectorTestResult.KeyFingerprint.of(v.ck()),
                    VectorTestResult.KeyFingerprint.of(v.ik())));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String reason = cause instanceof VectorSourceException vse ? vse.reason().name() : "FAILED";
            return ApiResponse.ok(VectorTestResult.failure(req.imsi(), source, scheme.wireName(), reason,
                    String.valueOf(cause.getMessage()), elapsed(start)));
        } catch (TimeoutException e) {
            return new ApiResponse(504, VectorTestResult.failure(req.imsi(), source, scheme.wireName(), "TIMEOUT",
                    "No answer within " + answerTimeout.toSeconds() + " s", elapsed(start)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiResponse.error(503, "Interrupted");
        } catch (RuntimeException e) {
            LOG.warn("Vector test for source {} failed", source, e);
            return ApiResponse.error(500, "Vector source failed: " + e.getMessage());
        }
    }

    private ApiResponse disconnect(String identity) {
        Optional<AccessSessions> access = backend.accessSessions();
        if (access.isEmpty()) {
            return ApiResponse.notInstalled("The client list (access sessions)");
        }
        try {
            // RFC 5176 retransmissions can take a while; the browser waits for the final outcome.
            AccessSessions.DisconnectOutcome r = access.get().disconnect(identity, "operator (dashboard)")
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (r.nasIp() == null) {
                return ApiResponse.error(404, "No client with this identity or IMSI and a known access point");
            }
            if (r.outcome().equals("NO_DAS")) {
                return ApiResponse.notInstalled("The RADIUS Disconnect client");
            }
            LOG.info("Disconnect-Request for {} to {}: {}", identity, r.nasIp(), r.outcome());
            return ApiResponse.ok(new DisconnectResult(r.outcome(), r.acknowledged(), r.detail()));
        } catch (ExecutionException e) {
            return ApiResponse.ok(new DisconnectResult("FAILED", false, String.valueOf(e.getCause().getMessage())));
        } catch (TimeoutException e) {
            return new ApiResponse(504, new DisconnectResult("TIMEOUT", false, "No outcome within 30 s"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiResponse.error(503, "Interrupted");
        }
    }

    private static double elapsed(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e5) / 10.0;
    }

    /** Splits {@code /a/b%2Fc} into [a, b/c]; rejects empty segments and bad escapes. */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        if (rawPath == null || rawPath.isEmpty() || rawPath.equals("/")) {
            return out;
        }
        String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        for (String s : p.split("/", -1)) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("empty path segment");
            }
            // URLDecoder would turn '+' into a space; identities may contain '+', so protect it.
            out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static JsonNode loadOpenApi(ObjectMapper json) {
        try (InputStream in = RestApi.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json missing from the bundle");
            }
            return json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
