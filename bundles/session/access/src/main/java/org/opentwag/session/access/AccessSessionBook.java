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
import org.opentwag.api.vectors.Non3gppUserData;
import org.opentwag.api.vectors.SubscriberProfileListener;
import org.opentwag.api.vectors.SubscriberTerminationListener;
import org.opentwag.api.vectors.VectorSourceException;
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
public final class AccessSessionBook implements AccessAuthorizer, AccessSessions, SubscriberTerminationListener,
        SubscriberProfileListener {

    private static final Logger LOG = LoggerFactory.getLogger(AccessSessionBook.class);

    /** Client rows keyed by the EAP identity of the subscriber's latest login. */
    static final String CLIENTS = "clients";
    /** IMSI → the identity (key in {@link #CLIENTS}) of that subscriber's latest accepted login. */
    static final String CLIENTS_BY_IMSI = "clients.by-imsi";
    /** Chargeable-User-Identity → the IMSI it was made for (a keyed hash cannot be turned back). */
    static final String IMSI_BY_CUI = "clients.by-cui";
    /** IMSI → the subscriber's {@link Non3gppUserData} from its SAA or a later PPR. */
    static final String USER_DATA = "subscriber-data";
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
     * @param chargeableUserIdentities makes the Chargeable-User-Identity an AP asks for; null: none is sent
     */
    public record Settings(Duration clientLifetime, int sessionTimeoutSeconds, int interimIntervalSeconds,
                           ChargeableUserIdentities chargeableUserIdentities) {

        /** Settings without Chargeable-User-Identity. */
        public Settings(Duration clientLifetime, int sessionTimeoutSeconds, int interimIntervalSeconds) {
            this(clientLifetime, sessionTimeoutSeconds, interimIntervalSeconds, null);
        }
    }

    /** The HSS registration, by kind (register/deregister) and result, for the metrics endpoint. */
    public static final class RegistrationCounters {
        private static final String NAME = "hss_registration_count";
        /** Metric name: Disconnect-Requests the HSS caused (RTR, or a PPR barring the subscriber). */
        public static final String DISCONNECTS = "hss_disconnect_count";
        final LongAdder registered;
        final LongAdder registrationFailed;
        final LongAdder deregistered;
        final LongAdder deregistrationFailed;
        /** The HSS refused the subscriber (SAA error or barred user data): Access-Reject. */
        final LongAdder registrationRefused;
        final LongAdder disconnectedByRtr;
        final LongAdder disconnectedByPpr;

        /** @param counters where counters live (the state store bundle's, so they survive a bundle:update) */
        public RegistrationCounters(Function<String, LongAdder> counters) {
            registered = counters.apply(series("register", "ok"));
            registrationFailed = counters.apply(series("register", "failed"));
            deregistered = counters.apply(series("deregister", "ok"));
            deregistrationFailed = counters.apply(series("deregister", "failed"));
            registrationRefused = counters.apply(series("register", "refused"));
            disconnectedByRtr = counters.apply(disconnectSeries("rtr"));
            disconnectedByPpr = counters.apply(disconnectSeries("ppr"));
        }

        private static String disconnectSeries(String cause) {
            return DISCONNECTS + "{cause=\"" + cause + "\"}";
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
            v.put(series("register", "refused"), registrationRefused.sum());
            v.put(disconnectSeries("rtr"), disconnectedByRtr.sum());
            v.put(disconnectSeries("ppr"), disconnectedByPpr.sum());
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
        updateClient(identity, nas, ClientState.Status.AUTHENTICATING, null, null, method, null);
    }

    @Override
    public void rejected(String identity, NasContext nas, String reason) {
        if (identity != null) {
            updateClient(identity, nas, ClientState.Status.REJECTED, null, reason, null, null);
        }
    }

    /**
     * The HSS decides first (SAR REGISTRATION, awaited: a subscriber it refuses or bars never gets an Access-Accept),
     * then charging, then the grant. A fast re-authentication keeps the registration the full authentication made
     * (TS 33.402 6.2) and is decided on the user data kept from it.
     */
    @Override
    public CompletionStage<AccessGrant> authorize(EapAuthentication auth, NasContext nas) {
        CompletionStage<String> registered = auth.fastReauth() ? CompletableFuture.completedFuture(
                userData(auth.imsi()).filter(Non3gppUserData::barred).map(d -> "HSS bars non-3GPP access: " + d)
                        .orElse(null))
                : register(auth);
        return registered.thenCompose(refusal -> {
            if (refusal != null) {
                rejected(auth.eapIdentity(), nas, refusal);
                return CompletableFuture.completedFuture((AccessGrant) new AccessGrant.Refused(refusal));
            }
            return charge(auth, nas).thenApply(grant -> {
                if (grant instanceof AccessGrant.Refused r && !auth.fastReauth()) {
                    // Registered a moment ago, refused by charging: the HSS must not keep this server registered.
                    deregister(auth.imsi(), r.reason());
                }
                return grant;
            });
        });
    }

    private CompletionStage<AccessGrant> charge(EapAuthentication auth, NasContext nas) {
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
        // The user data the registration just stored (SAA), or kept from the full authentication (fast re-auth).
        Non3gppUserData data = userData(auth.imsi()).orElse(null);
        return call(() -> path.open(auth, nas, data)).handle((d, e) -> {
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
        String cui = chargeableUserIdentity(auth.imsi(), nas, s);
        updateClient(auth.eapIdentity(), nas, ClientState.Status.ACCEPTED, auth.imsi(), null, auth.method(), cui);
        try {
            store.put(AUTHORIZATIONS, token, new AuthorizedSession(token, auth.imsi(), auth.eapIdentity(),
                    auth.method(), nas.nasIp(), nas.calledStationId(), nas.callingStationId(), clock.getAsLong()),
                    s.clientLifetime());
            supersedeToken(auth.imsi(), nas, token);
        } catch (IllegalStateException full) {
            // Accounting falls back to the User-Name; the phone is not refused for a full bookkeeping map.
            LOG.warn("Authorized session of {} not recorded: {}", auth.eapIdentity(), full.getMessage());
        }
        return new AccessGrant.Granted(AuthorizedSession.CLASS_PREFIX + token, s.sessionTimeoutSeconds(),
                interimInterval(s.interimIntervalSeconds(), decision), decision, cui);
    }

    /**
     * RFC 4372 2.1: only an AP that sent Chargeable-User-Identity (a NUL, or the value of an earlier Accept) gets one
     * back. Remembered by value so operators and accounting find the subscriber by it.
     */
    private String chargeableUserIdentity(String imsi, NasContext nas, Settings s) {
        if (!nas.chargeableUserIdentityRequested() || imsi == null || s.chargeableUserIdentities() == null) {
            return null;
        }
        String cui = s.chargeableUserIdentities().of(imsi);
        try {
            store.put(IMSI_BY_CUI, cui, imsi, s.clientLifetime());
        } catch (IllegalStateException full) {
            LOG.debug("Chargeable-User-Identity index not updated for IMSI {}: {}", imsi, full.getMessage());
        }
        return cui;
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
            store.expireAfter(AUTHORIZATIONS, previous, SUPERSEDED_TOKEN_GRACE); // its value stays as it is
        }
    }

    private String newToken() {
        byte[] t = new byte[12];
        random.nextBytes(t);
        return HexFormat.of().formatHex(t);
    }

    // ------------------------------------------------------------------ HSS registration

    /**
     * SAR REGISTRATION, awaited. Completes with the reason to refuse the subscriber, or null to let it in: the HSS
     * refusing it (user unknown, no non-3GPP subscription, roaming not allowed...) or barring it in the
     * Non-3GPP-User-Data refuses; an HSS that does not answer does not (it has just served the vectors; the failure is
     * logged and counted), so an HSS outage after the MAA does not turn into refused logins.
     */
    private CompletionStage<String> register(EapAuthentication auth) {
        AuthScheme scheme = schemeOf(auth.method());
        AuthVectorSource source = hss.get();
        if (scheme == null || source == null || auth.imsi() == null) {
            return CompletableFuture.completedFuture(null);
        }
        return call(() -> source.registered(auth.imsi(), scheme)).handle((data, e) -> {
            if (e != null) {
                Throwable cause = Futures.unwrap(e);
                if (cause instanceof VectorSourceException v && (v.reason() == VectorSourceException.Reason.USER_UNKNOWN
                        || v.reason() == VectorSourceException.Reason.NOT_AUTHORIZED)) {
                    registrations.registrationRefused.increment();
                    LOG.warn("IMSI {} refused by the HSS at registration: {}", auth.imsi(), v.getMessage());
                    return "HSS refused the registration: " + v.getMessage();
                }
                registrations.registrationFailed.increment();
                LOG.warn("Registration of IMSI {} at the HSS failed (access granted): {}", auth.imsi(), rootMessage(e));
                return null;
            }
            Non3gppUserData d = data == null ? null : data.orElse(null);
            if (d != null && d.barred()) {
                registrations.registrationRefused.increment();
                LOG.warn("IMSI {} refused: the HSS bars its non-3GPP access ({})", auth.imsi(), d);
                return "HSS bars non-3GPP access: " + d;
            }
            registrations.registered.increment();
            storeUserData(auth.imsi(), d != null ? d : Non3gppUserData.allowed());
            LOG.debug("IMSI {} registered at the HSS ({}): {}", auth.imsi(), scheme.wireName(), d);
            return null;
        });
    }

    private void storeUserData(String imsi, Non3gppUserData data) {
        try {
            store.put(USER_DATA, imsi, data, settings.get().clientLifetime());
        } catch (IllegalStateException full) {
            LOG.debug("user data not recorded for IMSI {}: {}", imsi, full.getMessage());
        }
    }

    @Override
    public Optional<Non3gppUserData> userData(String imsi) {
        return imsi == null ? Optional.empty() : Optional.ofNullable(store.get(USER_DATA, imsi, Non3gppUserData.class));
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
        endRow(c, reason);
        deregister(imsi, reason);
        closePath(imsi, reason);
    }

    /**
     * Sessions that ended without the AP saying so are deregistered at the HSS: an admitted row past its
     * Session-Timeout (plus {@code grace} for the AP's Stop to arrive) or about to expire from the client list
     * (within {@code grace} of its lifetime) ends with a deregistration SAR. Without this the HSS would keep this
     * server registered for a phone whose AP went away. Reads the whole client list: run it every few minutes.
     *
     * @return how many rows ended
     */
    public int endSilentSessions(Duration grace) {
        Settings s = settings.get();
        long now = clock.getAsLong();
        long expiresAfter = s.clientLifetime().toMillis() - grace.toMillis();
        int ended = 0;
        for (ClientState c : clients()) {
            if (c.status() != ClientState.Status.ACCEPTED || c.imsi() == null) {
                continue;
            }
            String why = null;
            if (s.sessionTimeoutSeconds() > 0
                    && now - c.acceptedAtMillis() > s.sessionTimeoutSeconds() * 1000L + grace.toMillis()) {
                why = "Session-Timeout passed without an accounting Stop";
            } else if (now - c.lastUpdateMillis() > expiresAfter) {
                why = "client row expiring without an accounting Stop";
            }
            if (why != null) {
                endRow(c, why);
                deregister(c.imsi(), why);
                closePath(c.imsi(), why);
                ended++;
            }
        }
        return ended;
    }

    /** The row ends: a later accounting Stop for it then finds no admitted client and sends no SAR. */
    private void endRow(ClientState c, String reason) {
        try {
            store.put(CLIENTS, c.identity(), new ClientState(c.identity(), c.imsi(), ClientState.Status.ENDED,
                    c.method(), c.nasIp(), c.calledStationId(), c.callingStationId(), c.firstSeenMillis(),
                    clock.getAsLong(), c.acceptedAtMillis(), reason, c.operatorName(), c.location(),
                    c.chargeableUserIdentity()), settings.get().clientLifetime());
        } catch (IllegalStateException full) {
            LOG.debug("client state not recorded for {}: {}", c.identity(), full.getMessage());
        }
    }

    // ------------------------------------------------------------------ disconnect

    /**
     * The HSS ended the subscriber's registration (RTR, whatever its Deregistration-Reason: PERMANENT_TERMINATION,
     * NEW_SERVER_ASSIGNED, SERVER_CHANGE, ...): the admitted client is disconnected at its AP and its row ends. No
     * deregistration SAR follows, now or at the AP's accounting Stop: the HSS has already removed this server's
     * registration, and after NEW_SERVER_ASSIGNED a SAR would remove the new server's (TS 29.273 8.1.2.3).
     * Returns whether the subscriber is known here: a client row of the IMSI (whatever its state, as for a PPR) or
     * the user data of a registration; when not, the RTA says DIAMETER_ERROR_USER_UNKNOWN.
     */
    @Override
    public boolean terminated(String imsi, String reason) {
        boolean registered = store.remove(USER_DATA, imsi, Non3gppUserData.class) != null;
        ClientState row = client(imsi).filter(r -> imsi.equals(r.imsi())).orElse(null);
        ClientState c = row != null && row.status() == ClientState.Status.ACCEPTED ? row : null;
        if (c == null || c.nasIp() == null) {
            LOG.info("HSS ended access of IMSI {} ({}): no authenticated client to disconnect", imsi, reason);
            return registered || row != null;
        }
        String why = "HSS ended access: " + reason;
        endRow(c, why);
        registrations.disconnectedByRtr.increment();
        disconnect(c, imsi, why);
        return true;
    }

    /**
     * New Non-3GPP-User-Data from the HSS (PPR): stored with the subscriber's session; when it now bars non-3GPP access
     * (Non-3GPP-IP-Access barred or the APNs disabled) the admitted client is disconnected at its AP, its row ends and
     * the HSS is told (deregistration SAR: unlike an RTR, the HSS still holds this server's registration). Otherwise
     * access continues with the new data. Returns whether a client of that IMSI is known here.
     */
    @Override
    public boolean profileUpdated(String imsi, Non3gppUserData data) {
        ClientState c = client(imsi).filter(r -> imsi.equals(r.imsi())).orElse(null);
        if (c == null) {
            return false;
        }
        if (data == null) {
            return true;
        }
        storeUserData(imsi, data);
        if (!data.barred()) {
            LOG.info("PPR for IMSI {}: user data updated, access continues ({})", imsi, data);
            return true;
        }
        if (c.status() != ClientState.Status.ACCEPTED || c.nasIp() == null) {
            LOG.info("PPR for IMSI {}: now barred; no admitted client to disconnect (row {})", imsi, c.status());
            return true;
        }
        String why = "HSS barred non-3GPP access (PPR)";
        endRow(c, why);
        registrations.disconnectedByPpr.increment();
        disconnect(c, imsi, why);
        deregister(imsi, why);
        return true;
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
            String imsi = store.get(IMSI_BY_CUI, identityOrImsi, String.class);
            String latest = store.get(CLIENTS_BY_IMSI, imsi != null ? imsi : identityOrImsi, String.class);
            if (latest != null) {
                c = store.get(CLIENTS, latest, ClientState.class);
            }
        }
        return Optional.ofNullable(c);
    }

    @Override
    public long activeClientCount() {
        long[] accepted = {0};
        store.forEach(CLIENTS, ClientState.class, (k, c) -> {
            if (c.status() == ClientState.Status.ACCEPTED) {
                accepted[0]++;
            }
        });
        return accepted[0];
    }

    @Override
    public Optional<AuthorizedSession> authorization(String token) {
        return token == null ? Optional.empty()
                : Optional.ofNullable(store.get(AUTHORIZATIONS, token, AuthorizedSession.class));
    }

    // ------------------------------------------------------------------ the client list

    private void updateClient(String identity, NasContext nas, ClientState.Status status, String imsi, String reason,
                              String method, String chargeableUserIdentity) {
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
                    reason, nas.operatorName(), nas.location(),
                    chargeableUserIdentity != null ? chargeableUserIdentity
                            : old != null && status != ClientState.Status.ACCEPTED ? old.chargeableUserIdentity() : null);
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
