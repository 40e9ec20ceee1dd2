package org.opentwag.gtp.gateway;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.s2a.HomeRouting;
import org.opentwag.api.s2a.UserPlaneBearers;
import org.opentwag.api.session.AccessPath;
import org.opentwag.api.state.StateStore;
import org.opentwag.api.vectors.Non3gppUserData;
import org.opentwag.gtp.codec.Cause;
import org.opentwag.gtp.codec.CreateSessionRequest;
import org.opentwag.gtp.codec.CreateSessionResponse;
import org.opentwag.gtp.codec.GtpV2Message;
import org.opentwag.gtp.codec.Ies;
import org.opentwag.gtp.codec.InformationElement;
import org.opentwag.gtp.codec.IeType;
import org.opentwag.gtp.codec.MessageType;
import org.opentwag.gtp.codec.S2aMessages;
import org.opentwag.support.metrics.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Home routing over S2a (TS 23.402 16, TS 29.274): after EAP success, a Create Session Request to the PGW for a
 * subscriber the configuration home-routes; Delete Session when its session ends; a PGW-initiated Delete Bearer or
 * Delete Session Request ends the session at the AP; Echo and the PGW's Recovery counter detect a PGW restart, which
 * ends its sessions here and at the APs. The one owner of the PDN connections and the PGW peer state. Plain Java: the
 * OSGi wiring is {@code osgi.S2aGatewayComponent}.
 */
public final class S2aGateway implements AccessPath, HomeRouting, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(S2aGateway.class);
    /** The default bearer of the PDN connection (TS 24.301: EBIs 5..15; the first is 5). */
    static final int DEFAULT_EBI = 5;

    /** One PDN connection: ours (local TEIDs) and the PGW's (its TEIDs, the phone's address). */
    record PdnConnection(String imsi, String apn, Inet4Address address, InetSocketAddress pgw, long localTeid,
                         long pgwTeid, long localUserTeid, Ies.FTeid pgwUserPlane, long openedMillis) {
    }

    private final S2aSettings settings;
    private final int recovery;
    private final LongSupplier clock;
    private final BiConsumer<String, String> disconnect;
    private final GtpcEndpoint endpoint;
    private final SecureRandom random = new SecureRandom();
    /** By IMSI (one PDN connection per subscriber: one APN) and by our control TEID (what the PGW addresses). */
    private final Map<String, PdnConnection> byImsi = new ConcurrentHashMap<>();
    private final Map<Long, PdnConnection> byTeid = new ConcurrentHashMap<>();
    private final PgwPeer peer;
    private final S2aMetrics metrics = new S2aMetrics();
    private final ApnSelection apns;
    private final PdnConnectionStore kept;
    private final BearerTable bearers = new BearerTable();

    /**
     * @param recovery   our restart counter (Recovery IE), kept across restarts by the caller
     * @param disconnect ends a subscriber's access at its AP (IMSI, reason): the access-session bundle's disconnect
     */
    public S2aGateway(S2aSettings settings, int recovery, LongSupplier clock, BiConsumer<String, String> disconnect)
            throws InterruptedException {
        this(settings, recovery, clock, disconnect, ApnSelection.every(settings.defaultApn()), null, Duration.ZERO);
    }

    /**
     * @param apns     which APN a login asks for and which APNs are home-routed
     * @param store    where the PDN connections are kept across restarts of this bundle (null: memory only); those
     *                 kept there from our GTP-C address are restored now
     * @param lifetime how long the store keeps a connection without an end
     */
    public S2aGateway(S2aSettings settings, int recovery, LongSupplier clock, BiConsumer<String, String> disconnect,
                      ApnSelection apns, StateStore store, Duration lifetime) throws InterruptedException {
        this.apns = apns;
        this.kept = new PdnConnectionStore(store, lifetime);
        this.settings = settings;
        this.recovery = recovery & 0xff;
        this.clock = clock;
        this.disconnect = disconnect;
        this.peer = new PgwPeer(settings.pgw());
        this.endpoint = new GtpcEndpoint(settings.local(), settings.t3(), settings.n3(), this::handleRequest);
        LOG.info("S2a: GTP-C on {}, PGW {}, APN {}, Recovery {}, when the PGW is down: {}", endpoint.localAddress(),
                settings.pgw(), settings.defaultApn(), this.recovery, settings.whenPgwDown());
        for (PdnConnection c : kept.restore(endpoint.localAddress())) {
            byImsi.put(c.imsi(), c);
            byTeid.put(c.localTeid(), c);
        }
        if (!byImsi.isEmpty()) {
            LOG.info("S2a: {} PDN connections restored from the state store", byImsi.size());
        }
    }

    public GtpcEndpoint endpoint() {
        return endpoint;
    }

    public S2aMetrics metrics() {
        return metrics;
    }

    /** The default bearers of the open connections, for the user plane. */
    public UserPlaneBearers bearers() {
        return bearers;
    }

    // ------------------------------------------------------------------ open / close

    @Override
    public CompletionStage<PathDecision> open(EapAuthentication auth, NasContext nas) {
        return open(auth, nas, null);
    }

    /** The APN is the subscriber's default APN from the HSS ({@code userData}, may be null), else the configured one. */
    @Override
    public CompletionStage<PathDecision> open(EapAuthentication auth, NasContext nas, Non3gppUserData userData) {
        if (!settings.homeRouted(auth.imsi())) {
            return CompletableFuture.completedFuture(new PathDecision.LocalBreakout("not home-routed"));
        }
        String apn = apns.apn(userData);
        if (!apns.homeRouted(apn)) {
            return CompletableFuture.completedFuture(new PathDecision.LocalBreakout("APN " + apn + " not home-routed"));
        }
        Non3gppUserData.ApnConfiguration fromHss = apns.fromHss(userData);
        if (fromHss != null && fromHss.pdnType() != null && !fromHss.pdnType().allowsIpv4()) {
            // This gateway opens IPv4 PDN connections only (PDN type 1): an IPv6-only APN cannot be served over S2a.
            LOG.warn("S2a: APN {} of IMSI {} is {} only: local breakout", apn, auth.imsi(), fromHss.pdnType());
            return CompletableFuture.completedFuture(new PathDecision.LocalBreakout("APN " + apn + " is IPv6 only"));
        }
        PdnConnection previous = byImsi.get(auth.imsi());
        if (previous != null) {
            // A new login of a subscriber with a connection (another AP, a re-authentication): the PGW replaces it
            // on the new Create Session Request (TS 23.402 16.2.1); ours goes without a Delete.
            forget(previous);
        }
        long localTeid = newTeid();
        long localUserTeid = newTeid();
        Inet4Address self = (Inet4Address) endpoint.localAddress().getAddress();
        CreateSessionRequest csr = new CreateSessionRequest(auth.imsi(), null,
                new Ies.Plmn(settings.servingMcc(), settings.servingMnc()), apn,
                new Ies.FTeid(Ies.IF_S2A_TWAN_GTPC, localTeid, self, null),
                new Ies.FTeid(Ies.IF_S2A_TWAN_GTPU, localUserTeid, self, null), DEFAULT_EBI,
                Ies.BearerQos.defaultBearer(), Ies.TwanIdentifier.fromCalledStationId(nas.calledStationId()),
                recovery, null);
        long started = System.nanoTime();
        return endpoint.request(settings.pgw(), csr::toMessage).handle((m, error) -> {
            if (error != null) {
                peer.unanswered();
                metrics.created("no_response");
                if (settings.whenPgwDown() == S2aSettings.WhenPgwDown.LOCAL_BREAKOUT) {
                    metrics.policy("local_breakout");
                    LOG.warn("S2a: PGW {} did not answer the Create Session Request of IMSI {}: local breakout",
                            settings.pgw(), auth.imsi());
                    return new PathDecision.LocalBreakout("PGW " + settings.pgw() + " not responding");
                }
                metrics.policy("reject");
                LOG.warn("S2a: PGW {} did not answer the Create Session Request of IMSI {}: login refused",
                        settings.pgw(), auth.imsi());
                return new PathDecision.Refused("PGW " + settings.pgw() + " not responding");
            }
            long rtt = System.nanoTime() - started;
            peer.answered(rtt);
            metrics.createAnswered(rtt);
            CreateSessionResponse r = CreateSessionResponse.from(m);
            if (r.recovery() >= 0) {
                recoveryFrom(r.recovery());
            }
            metrics.created(Cause.name(r.cause().value()));
            if (!r.cause().accepted() || r.address() == null || r.pgwControl() == null) {
                LOG.warn("S2a: PGW refused the PDN connection of IMSI {}: cause {} ({})", auth.imsi(),
                        r.cause().value(), Cause.name(r.cause().value()));
                return new PathDecision.Refused("PGW cause " + r.cause().value() + " "
                        + Cause.name(r.cause().value()));
            }
            PdnConnection c = new PdnConnection(auth.imsi(), apn, r.address(), settings.pgw(),
                    localTeid, r.pgwControl().teid(), localUserTeid, r.pgwUserPlane(), clock.getAsLong());
            byImsi.put(c.imsi(), c);
            byTeid.put(c.localTeid(), c);
            kept.saved(c, endpoint.localAddress());
            bearers.bind(c, nas.callingStationId(), r.dnsServers());
            if (LOG.isInfoEnabled()) { // its arguments cost a few allocations per set-up at WARN too
                LOG.info("S2a: PDN connection of IMSI {} open: APN {}, address {}, PGW TEID 0x{}", c.imsi(), c.apn(),
                        c.address().getHostAddress(), Long.toHexString(c.pgwTeid()));
            }
            return new PathDecision.HomeRouted(c.apn(), c.address().getHostAddress(),
                    settings.pgw().getAddress().getHostAddress());
        });
    }

    @Override
    public void close(String imsi, String reason) {
        PdnConnection c = byImsi.get(imsi);
        if (c == null) {
            // Opened by another node of the cluster (or before a restart that did not restore it): kept in the store.
            c = kept.find(imsi);
            if (c == null) {
                return;
            }
            kept.removed(c);
        } else if (!forget(c)) {
            return;
        }
        PdnConnection ended = c;
        endpoint.request(ended.pgw(), seq -> S2aMessages.deleteSessionRequest(ended.pgwTeid(), seq, DEFAULT_EBI))
                .whenComplete((m, error) -> {
                    if (error != null) {
                        peer.unanswered();
                        metrics.deleted("no_response");
                        LOG.warn("S2a: Delete Session of IMSI {} ({}) unanswered", imsi, reason);
                        return;
                    }
                    int cause = m.cause().map(Cause::value).orElse(0);
                    metrics.deleted(Cause.name(cause));
                    LOG.info("S2a: PDN connection of IMSI {} deleted ({}): cause {}", imsi, reason, cause);
                });
    }

    private boolean forget(PdnConnection c) {
        bearers.unbind(c);
        byTeid.remove(c.localTeid(), c);
        boolean removed = byImsi.remove(c.imsi(), c);
        if (removed) {
            kept.removed(c);
        }
        return removed;
    }

    private long newTeid() {
        long t;
        do {
            t = random.nextInt() & 0xffffffffL;
        } while (t == 0 || byTeid.containsKey(t));
        return t;
    }

    // ------------------------------------------------------------------ requests from the PGW

    private GtpV2Message handleRequest(GtpV2Message m, InetSocketAddress from) {
        switch (m.type()) {
            case MessageType.ECHO_REQUEST -> {
                m.ie(IeType.RECOVERY).map(InformationElement::octet).ifPresent(this::recoveryFrom);
                return S2aMessages.echoResponse(m.sequence(), recovery);
            }
            case MessageType.DELETE_BEARER_REQUEST, MessageType.DELETE_SESSION_REQUEST -> {
                boolean bearer = m.type() == MessageType.DELETE_BEARER_REQUEST;
                int responseType = bearer ? MessageType.DELETE_BEARER_RESPONSE : MessageType.DELETE_SESSION_RESPONSE;
                PdnConnection c = byTeid.get(m.teid());
                if (c == null) {
                    return S2aMessages.response(responseType, 0, m.sequence(), Cause.of(Cause.CONTEXT_NOT_FOUND), 0);
                }
                if (bearer && !S2aMessages.DeleteBearerRequest.from(m).endsPdnConnection(DEFAULT_EBI)) {
                    // only dedicated bearers, which this TWAG never creates
                    return S2aMessages.response(responseType, c.pgwTeid(), m.sequence(),
                            Cause.of(Cause.REQUEST_ACCEPTED), 0);
                }
                forget(c);
                metrics.pgwInitiated(MessageType.name(m.type()));
                LOG.info("S2a: PGW ended the PDN connection of IMSI {} ({}): disconnecting at the AP", c.imsi(),
                        MessageType.name(m.type()));
                disconnect.accept(c.imsi(), "PGW " + MessageType.name(m.type()));
                return S2aMessages.response(responseType, c.pgwTeid(), m.sequence(), Cause.of(Cause.REQUEST_ACCEPTED),
                        bearer ? DEFAULT_EBI : 0);
            }
            default -> {
                LOG.debug("S2a: {} from {} not handled", MessageType.name(m.type()), from);
                return null;
            }
        }
    }

    // ------------------------------------------------------------------ Echo, restart detection

    /** Sends one Echo Request; the answer's Recovery is compared with the last one seen. */
    public CompletionStage<Void> echo() {
        long started = System.nanoTime();
        return endpoint.request(settings.pgw(), seq -> S2aMessages.echoRequest(seq, recovery))
                .handle((m, error) -> {
                    if (error != null) {
                        if (peer.unanswered()) {
                            // TS 23.007 20: a GTP-C path failure; the PGW's PDN connections are deleted here (and
                            // at the APs) rather than kept, since a PGW that went away mostly comes back restarted.
                            metrics.pathFailure();
                            endAll("PGW path failure (Echo unanswered)");
                        }
                        return null;
                    }
                    peer.answered(System.nanoTime() - started);
                    m.ie(IeType.RECOVERY).map(InformationElement::octet).ifPresent(this::recoveryFrom);
                    return null;
                });
    }

    /** TS 23.007 16.1.1: a PGW whose Recovery changed has restarted and lost its PDN connections. */
    private void recoveryFrom(int pgwRecovery) {
        if (!peer.recovery(pgwRecovery)) {
            return;
        }
        metrics.restart();
        endAll("PGW restarted (Recovery now " + pgwRecovery + ")");
    }

    /** Ends every PDN connection of the PGW here and at the APs (no Delete Session: the PGW lost them). */
    private void endAll(String why) {
        List<PdnConnection> lost = new ArrayList<>(byImsi.values());
        LOG.warn("S2a: {} {}: ending its {} PDN connections", settings.pgw(), why, lost.size());
        for (PdnConnection c : lost) {
            if (forget(c)) {
                metrics.cleaned();
                disconnect.accept(c.imsi(), why);
            }
        }
    }

    // ------------------------------------------------------------------ views

    @Override
    public List<PgwPeerView> peers() {
        return List.of(peer.view());
    }

    @Override
    public List<PdnConnectionView> connections() {
        List<PdnConnectionView> out = new ArrayList<>();
        for (PdnConnection c : byImsi.values()) {
            out.add(view(c));
        }
        return out;
    }

    private static PdnConnectionView view(PdnConnection c) {
        return new PdnConnectionView(c.imsi(), c.apn(), c.address().getHostAddress(),
                c.pgw().getAddress().getHostAddress() + ":" + c.pgw().getPort(), c.localTeid(), c.pgwTeid(),
                c.localUserTeid(), c.pgwUserPlane() == null ? "-" : "0x" + Long.toHexString(c.pgwUserPlane().teid())
                + "@" + (c.pgwUserPlane().ipv4() == null ? "-" : c.pgwUserPlane().ipv4().getHostAddress()),
                c.openedMillis());
    }

    @Override
    public java.util.Optional<PdnConnectionView> connection(String imsi) {
        PdnConnection c = imsi == null ? null : byImsi.get(imsi);
        return c == null ? java.util.Optional.empty() : java.util.Optional.of(view(c));
    }

    public int connectionCount() {
        return byImsi.size();
    }

    /** Metric values: results by cause, PGW restarts, endpoint counters, connections open. */
    public Map<String, Number> metricValues() {
        Map<String, Number> v = new LinkedHashMap<>(metrics.values());
        v.put("s2a_pdn_connections", byImsi.size());
        v.put("s2a_gtpc_retransmissions_count", endpoint.retransmitted.sum());
        v.put("s2a_gtpc_duplicate_requests_count", endpoint.duplicatesAnswered.sum());
        v.put("s2a_gtpc_malformed_count", endpoint.malformed.sum());
        v.put("s2a_gtpc_unmatched_responses_count", endpoint.unmatched.sum());
        return v;
    }

    @Override
    public void close() {
        endpoint.close();
    }

    /** Counters by label; LongAdders so that scrapes never block the GTP-C thread. */
    public static final class S2aMetrics {
        /** The wait for the PGW inside each home-routed login: Create Session Request to its answer (any cause). */
        static final String CREATE_DURATION = "s2a_create_session_duration_seconds";

        private final Map<String, LongAdder> series = new ConcurrentHashMap<>();
        private final Histogram createDuration = new Histogram(CREATE_DURATION, Histogram.LATENCY_SECONDS);

        void createAnswered(long nanos) {
            createDuration.observe(nanos / 1e9);
        }

        void created(String cause) {
            add("s2a_create_session_count{cause=\"" + cause + "\"}");
        }

        void deleted(String cause) {
            add("s2a_delete_session_count{cause=\"" + cause + "\"}");
        }

        void pgwInitiated(String message) {
            add("s2a_pgw_initiated_delete_count{message=\"" + message + "\"}");
        }

        void policy(String applied) {
            add("s2a_pgw_down_policy_count{applied=\"" + applied + "\"}");
        }

        void restart() {
            add("s2a_pgw_restarts_count");
        }

        void pathFailure() {
            add("s2a_pgw_path_failures_count");
        }

        void cleaned() {
            add("s2a_pdn_connections_cleaned_count");
        }

        private void add(String name) {
            series.computeIfAbsent(name, n -> new LongAdder()).increment();
        }

        public long get(String name) {
            LongAdder a = series.get(name);
            return a == null ? 0 : a.sum();
        }

        Map<String, Number> values() {
            Map<String, Number> v = new LinkedHashMap<>();
            series.forEach((k, a) -> v.put(k, a.sum()));
            v.putIfAbsent("s2a_pgw_restarts_count", 0L);
            v.putIfAbsent("s2a_pgw_path_failures_count", 0L);
            v.putIfAbsent("s2a_pdn_connections_cleaned_count", 0L);
            createDuration.writeTo(v);
            return v;
        }
    }
}
