package org.opentwag.session.access;

import org.opentwag.support.async.Futures;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.opentwag.api.charging.ChargingControl;
import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.session.AccessAuthorizer;
import org.opentwag.api.session.AccessGrant;
import org.opentwag.api.session.AccessPath;
import org.opentwag.api.session.AccessSessions;
import org.opentwag.api.state.AuthorizedSession;
import org.opentwag.api.state.ClientState;
import org.opentwag.api.state.StateStore;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.SubscriberTerminationListener;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.server.DynamicAuthorizationClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a finished authentication does: the grant (charging's word, the Class token, Session-Timeout and
 * Acct-Interim-Interval), the client list (one row per subscriber), the HSS registration (SAR on accept,
 * deregistration SAR when the session ends) and the forced end of a subscriber's access (one Disconnect-Request,
 * found through the by-IMSI index). Its maps are private: others read through {@link AccessSessions}. State is plain
 * data in the {@link StateStore}, so a bundle update or another cluster node continues where this one stopped.
 * Plain Java: the OSGi wiring is {@code osgi.AccessSessionComponent}.
 */
public final class AccessSessionBook implements AccessAuthorizer, AccessSessions, SubscriberTerminationListener {

    private static final Logger LOG = LoggerFactory.getLogger(AccessSessionBook.class);

    /** Client rows keyed by the EAP identity of the subscriber's latest login. */
    static final String CLIENTS = "clients";
    /** IMSI → the identity (key in {@link #CLIENTS}) of that subscriber's latest accepted login. */
    static final String CLIENTS_BY_IMSI = "clients.by-imsi";
    /** Class token → the Access-Accept that handed it out ({@link AuthorizedSession}). */
    static final String AUTHORIZATIONS = "authorized-sessions";
    /** IMSI|Calling-Station-Id|NAS-IP → the newest token handed to that phone at that AP. */
    static final String TOKEN_BY_PHONE = "authorized-sessions.by-phone";
    /** How long a superseded token still finds its subscriber: accounting already in flight under the old Class. */
    static final Duration SUPERSEDED_TOKEN_GRACE = Duration.ofSeconds(30);

    /**
     * @param clientLifetime         how long a client row (and an authorisation) stays after its last change
     * @param sessionTimeoutSeconds  Session-Timeout in the Access-Accept, 0 for none
     * @param interimIntervalSeconds Acct-Interim-Interval in the Access-Accept, 0 for none
     */
    public record Settings(Duration clientLifetime, int sessionTimeoutSeconds, int interimIntervalSeconds) {
    }

    /** The HSS registration, by kind (register/deregister) and result, for the metrics endpoint. */
    public static final class RegistrationCounters {
        private static final String NAME = "hss_registration_count";
        final LongAdder registered;
        final LongAdder registrationFailed;
        final LongAdder deregistered;
        final LongAdder deregistrationFailed;

        /** @param counters where counters live (the state store bundle's, so they survive a bundle:update) */
        public RegistrationCounters(Function<String, LongAdder> counters) {
            registered = counters.apply(series("register", "ok"));
            registrationFailed = counters.apply(series("register", "failed"));
            deregistered = counters.apply(series("deregister", "ok"));
            deregistrationFailed = counters.apply(series("deregister", "failed"));
        }

        private static String series(String kind, String result) {
            return NAME + "{kind=\"" + kind + "\",result=\"" + result + "\"}";
        }

        public Map<String, Number> values() {
            Map<String, Number> v = new LinkedHashMap<>();
            v.put(series("register", "ok"), registered.sum());
            v.put(series("register", "failed"), registrationFailed.sum());
            v.put(series("deregister", "ok"), deregistered.sum());
            v.put(series("deregister", "failed"), deregistrationFailed.sum());
            return v;
        }
    }

    private final StateStore store;
    private final Supplier<Settings> settings;
    private final LongSupplier clock;
    private final Supplier<ChargingControl> charging;
    private final Supplier<AuthVectorSource> hss;
    private final Supplier<DynamicAuthorizationClient> das;
    private final RegistrationCounters registrations;
    private volatile Supplier<AccessPath> paths = () -> null;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param charging asked before every grant; may supply null (no charging installed: granted)
     * @param hss      the vector source the EAP methods use, told of registrations; may supply null
     * @param das      sends Disconnect-Requests; may supply null (no RADIUS server running)
     */
    public AccessSessionBook(StateStore store, Supplier<Settings> settings, LongSupplier clock,
                             Supplier<ChargingControl> charging, Supplier<AuthVectorSource> hss,
                             Supplier<DynamicAuthorizationClient> das, RegistrationCounters registrations) {
        this.registrations = registrations;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.charging = charging;
        this.hss = hss;
        this.das = das;
    }

    /**
     * Where admitted subscribers' traffic goes (home routing over S2a); supplies null when no path service is
     * installed, which is local breakout as before.
     */
    public void paths(Supplier<AccessPath> paths) {
        this.paths = paths;
    }

    public RegistrationCounters registrations() {
        return registrations;
    }

    // ------------------------------------------------------------------ authorisation

    @Override
    public void authenticating(String identity, NasContext nas, String method) {
        updateClient(identity, nas, ClientState.Status.AUTHENTICATING, null, null, method);
    }

    @Override
    public void rejected(String identity, NasContext nas, String reason) {
        if (identity != null) {
            updateClient(identity, nas, ClientState.Status.REJECTED, null, reason, null);
        }
    }

    @Override
    public CompletionStage<AccessGrant> authorize(EapAuthentication auth, NasContext nas) {
        String token = newToken();
        ChargingControl control = charging.get();
        CompletionStage<ChargingDecision> decided;
        try {
            decided = control == null ? CompletableFuture.completedFuture(null)
                    : control.authorize(new ChargingSession(token, auth.imsi(), nas.nasIp(), nas.calledStationId(),
                            nas.callingStationId(), null));
        } catch (RuntimeException e) {
            decided = CompletableFuture.failedFuture(e);
        }
        return decided.thenCompose(decision -> decision != null && !decision.allowed()
                ? CompletableFuture.completedFuture(decision) : openPath(auth, nas).thenApply(refusal -> {
                    if (refusal != null) {
                        throw new PathRefused(refusal);
                    }
                    return decision;
                })).handle((decision, error) -> {
            AccessGrant grant;
            Throwable cause = error == null ? null : Futures.unwrap(error);
            if (cause instanceof PathRefused p) {
                grant = new AccessGrant.Refused(p.getMessage());
            } else if (error != null) {
                grant = new AccessGrant.Refused("charging failed: " + rootMessage(error));
            } else if (decision != null && !decision.allowed()) {
                grant = new AccessGrant.Refused("charging refused: " + decision.reason());
            } else {
                grant = granted(auth, nas, token, decision);
            }
            if (grant instanceof AccessGrant.Refused r) {
                rejected(auth.eapIdentity(), nas, r.reason());
            }
            return grant;
        });
    }

    /** Opens the subscriber's path (home routing) when a path service is installed; completes with a refusal or null. */
    private CompletionStage<String> openPath(EapAuthentication auth, NasContext nas) {
        AccessPath path = paths.get();
        if (path == null) {
            return CompletableFuture.completedFuture(null);
        }
        return call(() -> path.open(auth, nas)).handle((d, e) -> {
            if (e != null) {
                return "access path failed: " + rootMessage(e);
            }
            if (d instanceof AccessPath.PathDecision.Refused r) {
                return "access path refused: " + r.reason();
            }
            if (d instanceof AccessPath.PathDecision.HomeRouted h) {
                LOG.info("IMSI {} home-routed: APN {}, address {}, PGW {}", auth.imsi(), h.apn(), h.address(), h.pgw());
            }
            return null;
        });
    }

    /** A refusal of the access path, carried through the grant's stage. */
    private static final class PathRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PathRefused(String reason) {
            super(reason, null, false, false);
        }
    }

    private void closePath(String imsi, String reason) {
        AccessPath path = paths.get();
        if (path != null) {
            try {
                path.close(imsi, reason);
            } catch (RuntimeException e) {
                LOG.warn("Closing the access path of IMSI {} failed: {}", imsi, e.toString());
            }
        }
    }

    private AccessGrant granted(EapAuthentication auth, NasContext nas, String token, ChargingDecision decision) {
        Settings s = settings.get();
        updateClient(auth.eapIdentity(), nas, ClientState.Status.ACCEPTED, auth.imsi(), null, auth.method());
        try {
            store.put(AUTHORIZATIONS, token, new AuthorizedSession(token, auth.imsi(), auth.eapIdentity(),
                    auth.method(), nas.nasIp(), nas.calledStationId(), nas.callingStationId(), clock.getAsLong()),
                    s.clientLifetime());
            supersedeToken(auth.imsi(), nas, token);
        } catch (IllegalStateException full) {
            // Accounting falls back to the User-Name; the phone is not refused for a full bookkeeping map.
            LOG.warn("Authorized session of {} not recorded: {}", auth.eapIdentity(), full.getMessage());
        }
        if (!auth.fastReauth()) {
            // A fast re-authentication keeps the registration the full authentication made (TS 33.402 6.2).
            register(auth);
        }
        return new AccessGrant.Granted(AuthorizedSession.CLASS_PREFIX + token, s.sessionTimeoutSeconds(),
                interimInterval(s.interimIntervalSeconds(), decision), decision);
    }

    /** A quota with a validity time needs usage reported at least that often, else the configured interval. */
    static int interimInterval(int configured, ChargingDecision decision) {
        if (decision == null || decision.validitySeconds() <= 0) {
            return configured;
        }
        int validity = (int) Math.min(Integer.MAX_VALUE, decision.validitySeconds());
        return configured > 0 ? Math.min(configured, validity) : validity;
    }

    /**
     * A new Access-Accept for a phone at an AP replaces the Class the AP echoes in accounting (RFC 2865 5.25: APs send
     * the Class of the latest Accept), so the previous token is kept only for a short grace. Without this the map
     * grows by one entry per authentication for the client lifetime (a day): millions of entries at a few thousand
     * logins per second.
     */
    private void supersedeToken(String imsi, NasContext nas, String token) {
        if (imsi == null) {
            return;
        }
        String previous = store.swap(TOKEN_BY_PHONE,
                AuthorizedSession.phoneKey(imsi, nas.callingStationId(), nas.nasIp()), token,
                settings.get().clientLifetime(), String.class);
        if (previous != null && !previous.equals(token)) {
            AuthorizedSession old = store.get(AUTHORIZATIONS, previous, AuthorizedSession.class);
            if (old != null) {
                store.put(AUTHORIZATIONS, previous, old, SUPERSEDED_TOKEN_GRACE);
            }
        }
    }

    private String newToken() {
        byte[] t = new byte[12];
        random.nextBytes(t);
        return HexFormat.of().formatHex(t);
    }

    // ------------------------------------------------------------------ HSS registration

    private void register(EapAuthentication auth) {
        AuthScheme scheme = schemeOf(auth.method());
        AuthVectorSource source = hss.get();
        if (scheme == null || source == null) {
            return;
        }
        call(() -> source.registered(auth.imsi(), scheme)).whenComplete((v, e) -> {
            if (e != null) {
                registrations.registrationFailed.increment();
                LOG.warn("Registration of IMSI {} at the HSS failed: {}", auth.imsi(), rootMessage(e));
            } else {
                registrations.registered.increment();
                LOG.debug("IMSI {} registered at the HSS ({})", auth.imsi(), scheme.wireName());
            }
        });
    }

    private void deregister(String imsi, String why) {
        AuthVectorSource source = hss.get();
        if (source == null) {
            return;
        }
        call(() -> source.deregistered(imsi)).whenComplete((v, e) -> {
            if (e != null) {
                registrations.deregistrationFailed.increment();
                LOG.warn("Deregistration of IMSI {} at the HSS ({}) failed: {}", imsi, why, rootMessage(e));
            } else {
                registrations.deregistered.increment();
                LOG.info("IMSI {} deregistered at the HSS: {}", imsi, why);
            }
        });
    }

    /** The SWx SIP-Authentication-Scheme of an EAP method by its name ("EAP-AKA", "EAP-AKA'"), or null. */
    static AuthScheme schemeOf(String method) {
        for (AuthScheme s : AuthScheme.values()) {
            if (s.wireName().equals(method)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public void ended(String imsi, String nasIp, String reason) {
        if (imsi == null) {
            return;
        }
        ClientState c = client(imsi).orElse(null);
        // Only where the subscriber is admitted now: a Stop from an AP it already left must not end its new session.
        if (c == null || c.status() != ClientState.Status.ACCEPTED || !imsi.equals(c.imsi())
                || (nasIp != null && !nasIp.equals(c.nasIp()))) {
            return;
        }
        try {
            store.put(CLIENTS, c.identity(), new ClientState(c.identity(), c.imsi(), ClientState.Status.ENDED,
                    c.method(), c.nasIp(), c.calledStationId(), c.callingStationId(), c.firstSeenMillis(),
                    clock.getAsLong(), c.acceptedAtMillis(), reason), settings.get().clientLifetime());
        } catch (IllegalStateException full) {
            LOG.debug("client state not recorded for {}: {}", c.identity(), full.getMessage());
        }
        deregister(imsi, reason);
        closePath(imsi, reason);
    }

    // ------------------------------------------------------------------ disconnect

    /**
     * The HSS ended the subscriber's access (RTR, or PPR withdrawing it): the admitted client is disconnected. The HSS
     * has already deregistered it, so no SAR follows (TS 29.273 8.1.2.3).
     */
    @Override
    public void terminated(String imsi, String reason) {
        ClientState c = client(imsi).filter(r -> r.status() == ClientState.Status.ACCEPTED && imsi.equals(r.imsi()))
                .orElse(null);
        if (c == null || c.nasIp() == null) {
            LOG.info("HSS ended access of IMSI {} ({}): no authenticated client to disconnect", imsi, reason);
            return;
        }
        disconnect(c, imsi, "HSS ended access: " + reason);
    }

    @Override
    public CompletionStage<DisconnectOutcome> disconnect(String identityOrImsi, String reason) {
        ClientState c = client(identityOrImsi).orElse(null);
        if (c == null || c.nasIp() == null) {
            LOG.info("Disconnect of {} ({}): no client with a known access point", identityOrImsi, reason);
            return CompletableFuture.completedFuture(DisconnectOutcome.noClient(identityOrImsi));
        }
        return disconnect(c, identityOrImsi, reason);
    }

    /** The one place a Disconnect-Request for a client is built: User-Name and Calling-Station-Id (RFC 5176 3). */
    private CompletionStage<DisconnectOutcome> disconnect(ClientState c, String identityOrImsi, String reason) {
        DynamicAuthorizationClient client = das.get();
        if (client == null) {
            LOG.warn("Disconnect of {} ({}): no RADIUS DAS client is running", c.identity(), reason);
            return CompletableFuture.completedFuture(new DisconnectOutcome(c.identity(), c.nasIp(), "NO_DAS", false,
                    "the RADIUS server is not running"));
        }
        List<RadiusAttribute> attrs = new ArrayList<>(2);
        attrs.add(RadiusAttribute.ofString(RadiusDictionary.USER_NAME, c.identity()));
        if (c.callingStationId() != null) {
            attrs.add(RadiusAttribute.ofString(RadiusDictionary.CALLING_STATION_ID, c.callingStationId()));
        }
        return call(() -> client.disconnect(c.nasIp(), attrs)).handle((r, e) -> {
            DisconnectOutcome out = e != null
                    ? new DisconnectOutcome(c.identity(), c.nasIp(), "FAILED", false, rootMessage(e))
                    : new DisconnectOutcome(c.identity(), c.nasIp(), r.outcome().name(), r.acknowledged(),
                            r.detail());
            LOG.info("Disconnect of {} ({}): Disconnect-Request for {} to AP {}: {} ({})", identityOrImsi, reason,
                    c.identity(), c.nasIp(), out.outcome(), out.detail());
            if (out.acknowledged() && c.imsi() != null) {
                closePath(c.imsi(), reason); // the AP ended the session; its accounting Stop may never come
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ queries

    @Override
    public Collection<ClientState> clients() {
        return store.snapshot(CLIENTS, ClientState.class).values();
    }

    @Override
    public Optional<ClientState> client(String identityOrImsi) {
        if (identityOrImsi == null) {
            return Optional.empty();
        }
        ClientState c = store.get(CLIENTS, identityOrImsi, ClientState.class);
        if (c == null) {
            String latest = store.get(CLIENTS_BY_IMSI, identityOrImsi, String.class);
            if (latest != null) {
                c = store.get(CLIENTS, latest, ClientState.class);
            }
        }
        return Optional.ofNullable(c);
    }

    @Override
    public long activeClientCount() {
        return clients().stream().filter(c -> c.status() == ClientState.Status.ACCEPTED).count();
    }

    @Override
    public Optional<AuthorizedSession> authorization(String token) {
        return token == null ? Optional.empty()
                : Optional.ofNullable(store.get(AUTHORIZATIONS, token, AuthorizedSession.class));
    }

    // ------------------------------------------------------------------ the client list

    private void updateClient(String identity, NasContext nas, ClientState.Status status, String imsi, String reason,
                              String method) {
        try {
            Duration lifetime = settings.get().clientLifetime();
            long now = clock.getAsLong();
            ClientState old = store.get(CLIENTS, identity, ClientState.class);
            long firstSeen = old != null ? old.firstSeenMillis() : now;
            if (status == ClientState.Status.ACCEPTED && imsi != null) {
                firstSeen = Math.min(firstSeen, replaceEarlierIdentity(identity, imsi, firstSeen, lifetime));
            }
            ClientState next = new ClientState(identity,
                    imsi != null ? imsi : old != null ? old.imsi() : null,
                    status,
                    method != null ? method : old != null ? old.method() : null,
                    nas.nasIp(), nas.calledStationId(), nas.callingStationId(),
                    firstSeen, now,
                    status == ClientState.Status.ACCEPTED ? now : old != null ? old.acceptedAtMillis() : 0,
                    reason);
            store.put(CLIENTS, identity, next, lifetime);
        } catch (IllegalStateException full) {
            LOG.debug("client state not recorded for {}: {}", identity, full.getMessage());
        }
    }

    /**
     * A phone changes identity at nearly every login (each pseudonym and re-authentication identity is used once), so
     * rows keyed by identity alone would leave one stale row per login for the whole lifetime. On acceptance, the row
     * of the subscriber's previous identity is replaced by this one; returns when the phone was first seen.
     */
    private long replaceEarlierIdentity(String identity, String imsi, long firstSeen, Duration lifetime) {
        String previous = store.swap(CLIENTS_BY_IMSI, imsi, identity, lifetime, String.class);
        if (previous == null || previous.equals(identity)) {
            return firstSeen;
        }
        ClientState earlier = store.remove(CLIENTS, previous, ClientState.class);
        return earlier == null ? firstSeen : earlier.firstSeenMillis();
    }

    // ------------------------------------------------------------------ helpers

    /** A call that may throw instead of returning a failed stage still yields a stage. */
    private static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = Futures.unwrap(e);
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
