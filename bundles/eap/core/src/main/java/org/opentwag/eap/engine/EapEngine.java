package org.opentwag.eap.engine;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.opentwag.api.charging.ChargingControl;
import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.charging.ChargingSession;
import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.eap.EapMethod;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.api.eap.EapStep;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.state.AuthorizedSession;
import org.opentwag.api.state.ClientState;
import org.opentwag.api.state.StateStore;
import org.opentwag.support.simaka.PeerIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EAP authenticator (RFC 3748 section 7 in pass-through-free, full-authenticator mode; RFC 3579 for the RADIUS
 * side): reads the peer's identity, picks a method, hands every later response to that method, and keeps the
 * conversation between round trips as plain data in the {@link StateStore}, keyed by the RADIUS State.
 */
public final class EapEngine {

    private static final Logger LOG = LoggerFactory.getLogger(EapEngine.class);

    /** StateStore map of conversations in flight. */
    public static final String CONVERSATIONS = "eap.conversations";

    /**
     * Settings of the engine.
     *
     * @param conversationTimeout how long a conversation waits for the peer's next response
     * @param clientStateLifetime how long a client's state stays visible after its last change
     */
    public record Settings(Duration conversationTimeout, Duration clientStateLifetime) {
    }

    private final EapMethodRegistry methods;
    private final StateStore store;
    private final Settings settings;
    private final LongSupplier clock;
    private final Supplier<ChargingControl> charging;
    private final AuthenticationTimer timer;
    private final SecureRandom random = new SecureRandom();

    public EapEngine(EapMethodRegistry methods, StateStore store, Settings settings, LongSupplier clock) {
        this(methods, store, settings, clock, () -> null);
    }

    /** @param charging asked before every Access-Accept; may supply null (no charging installed: accept) */
    public EapEngine(EapMethodRegistry methods, StateStore store, Settings settings, LongSupplier clock,
                     Supplier<ChargingControl> charging) {
        this(methods, store, settings, clock, charging, AuthenticationTimer.NONE);
    }

    /** @param timer told how long each conversation took when it ends in Accept or Reject */
    public EapEngine(EapMethodRegistry methods, StateStore store, Settings settings, LongSupplier clock,
                     Supplier<ChargingControl> charging, AuthenticationTimer timer) {
        this.timer = timer;
        this.methods = methods;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.charging = charging;
    }

    public CompletionStage<EapReply> handle(EapRequest request) {
        try {
            return dispatch(request);
        } catch (RuntimeException e) {
            // A bug or an unexpected input must end this conversation cleanly, never the server.
            LOG.error("EAP conversation failed for {}: {}", request.userName(), e.toString(), e);
            return CompletableFuture.completedFuture(new EapReply.Reject(null, "internal error"));
        }
    }

    private CompletionStage<EapReply> dispatch(EapRequest request) {
        NasContext nas = request.nas();
        if (request.eapMessage().length == 0) {
            // EAP-Start (RFC 3579 3.1): ask who the peer is.
            EapConversation conv = newConversation(nas, random.nextInt(256));
            return CompletableFuture.completedFuture(challenge(conv,
                    EapPacket.request(conv.nextIdentifier(), EapPacket.TYPE_IDENTITY, new byte[0]).encode()));
        }
        EapPacket packet;
        try {
            packet = EapPacket.decode(request.eapMessage());
        } catch (EapPacket.EapDecodeException e) {
            LOG.warn("Failed to decode EAP message from {} ({}): {}", nas.nasIp(), request.userName(),
                    e.getMessage());
            return reject(null, null, "malformed EAP packet");
        }
        if (packet.code() != EapPacket.RESPONSE) {
            LOG.warn("Failed to decode EAP message from {}: EAP Code {} is not a Response", nas.nasIp(),
                    packet.code());
            return reject(null, null, "EAP packet is not a Response");
        }

        EapConversation conv = null;
        if (request.state() != null) {
            conv = store.remove(CONVERSATIONS, stateKey(request.state()), EapConversation.class);
            if (conv == null) {
                LOG.info("Authentication REJECTED for {} from {}: unknown or expired EAP conversation",
                        request.userName(), nas.nasIp());
                return reject(null, null, "unknown or expired State");
            }
            if (packet.identifier() != conv.identifier()) {
                LOG.warn("EAP Identifier {} does not answer request {} for {}", packet.identifier(),
                        conv.identifier(), conv.identity());
                return reject(conv, null, "EAP Identifier mismatch");
            }
        }

        if (packet.type() == EapPacket.TYPE_IDENTITY && (conv == null || conv.methodType() == 0)) {
            if (conv == null) {
                conv = newConversation(nas, packet.identifier());
            }
            return startMethod(conv, packet);
        }
        if (conv == null) {
            LOG.warn("EAP Response of type {} from {} without a conversation", packet.type(), nas.nasIp());
            return reject(null, packet, "EAP Response outside a conversation");
        }
        if (packet.type() == EapPacket.TYPE_NAK) {
            return legacyNak(conv, packet);
        }
        if (packet.type() == EapPacket.TYPE_NOTIFICATION) {
            return reject(conv, packet, "peer acknowledged a failure notification");
        }
        if (packet.type() != conv.methodType()) {
            return reject(conv, packet, "peer answered with EAP type " + packet.type() + " in a conversation of "
                    + conv.methodType());
        }
        EapConversation c = conv;
        Optional<EapMethod> method = methods.byType(conv.methodType());
        if (method.isEmpty()) {
            if (!methods.removedWithin(TimeUnit.MILLISECONDS.toNanos(METHOD_GAP_MILLIS * 5))) {
                return reject(conv, packet, "EAP method " + conv.methodType() + " is no longer installed");
            }
            // Its bundle is being updated: the conversation's state is data, the new bundle continues it.
            return awaitType(conv.methodType(), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(METHOD_GAP_MILLIS))
                    .thenCompose(m -> m == null
                            ? reject(c, packet, "EAP method " + c.methodType() + " is no longer installed")
                            : m.process(c, request.eapMessage()).thenCompose(step -> outcome(c, step))
                                    .exceptionally(e -> failed(c, e)));
        }
        return method.get().process(conv, request.eapMessage())
                .thenCompose(step -> outcome(c, step))
                .exceptionally(e -> failed(c, e));
    }

    private CompletionStage<EapReply> startMethod(EapConversation conv, EapPacket identityResponse) {
        String identity = new String(identityResponse.typeData(), java.nio.charset.StandardCharsets.UTF_8);
        // RFC 3748 5.1: the identity may be followed by a NUL and options; only the part before it is the identity.
        int nul = identity.indexOf('\0');
        if (nul >= 0) {
            identity = identity.substring(0, nul);
        }
        conv.identity(identity);
        try {
            PeerIdentity.parse(identity);
        } catch (IllegalArgumentException e) {
            return reject(conv, identityResponse, "malformed identity: " + e.getMessage());
        }
        EapMethod accepting = accepting(identity);
        if (accepting != null) {
            return begin(conv, accepting);
        }
        String id = identity;
        if (methods.removedWithin(TimeUnit.MILLISECONDS.toNanos(METHOD_GAP_MILLIS * 5))) {
            // A method bundle is being updated: its service comes back within a moment; wait for it, off-thread.
            return awaitMethod(id, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(METHOD_GAP_MILLIS))
                    .thenCompose(m -> m != null ? begin(conv, m)
                            : reject(conv, identityResponse, "no EAP method accepts identity " + id));
        }
        return reject(conv, identityResponse, "no EAP method accepts identity " + identity);
    }

    /** How long a new conversation waits for a method while one was just removed (bundle:update). */
    static final long METHOD_GAP_MILLIS = 2_000;

    private EapMethod accepting(String identity) {
        for (EapMethod m : methods.inPreferenceOrder()) {
            if (m.accepts(identity)) {
                return m;
            }
        }
        return null;
    }

    private CompletionStage<EapMethod> awaitType(int type, long deadlineNanos) {
        return CompletableFuture.supplyAsync(() -> methods.byType(type).orElse(null),
                CompletableFuture.delayedExecutor(25, TimeUnit.MILLISECONDS))
                .thenCompose(m -> m != null || System.nanoTime() >= deadlineNanos
                        ? CompletableFuture.completedFuture(m) : awaitType(type, deadlineNanos));
    }

    private CompletionStage<EapMethod> awaitMethod(String identity, long deadlineNanos) {
        return CompletableFuture.supplyAsync(() -> accepting(identity),
                CompletableFuture.delayedExecutor(25, TimeUnit.MILLISECONDS))
                .thenCompose(m -> m != null || System.nanoTime() >= deadlineNanos
                        ? CompletableFuture.completedFuture(m) : awaitMethod(identity, deadlineNanos));
    }

    private CompletionStage<EapReply> legacyNak(EapConversation conv, EapPacket nak) {
        // The peer lists the types it wants instead (RFC 3748 5.3.1); take the first we have that accepts it.
        for (byte b : nak.typeData()) {
            int wanted = b & 0xff;
            if (wanted == conv.methodType()) {
                continue;
            }
            Optional<EapMethod> m = methods.byType(wanted);
            if (m.isPresent() && m.get().accepts(conv.identity())) {
                LOG.info("Peer {} refused EAP type {} and asked for {}", conv.identity(), conv.methodType(), wanted);
                conv.data().clear();
                return begin(conv, m.get());
            }
        }
        return reject(conv, nak, "peer refused EAP type " + conv.methodType() + " and offered none we serve");
    }

    private CompletionStage<EapReply> begin(EapConversation conv, EapMethod method) {
        conv.methodType(method.type());
        updateClient(conv, ClientState.Status.AUTHENTICATING, null, null, method.name());
        return method.start(conv)
                .thenCompose(step -> outcome(conv, step))
                .exceptionally(e -> failed(conv, e));
    }

    private CompletionStage<EapReply> outcome(EapConversation conv, EapStep step) {
        if (step instanceof EapStep.Continue c) {
            return CompletableFuture.completedFuture(challenge(conv, c.eapRequest()));
        }
        if (step instanceof EapStep.Success s) {
            return authorize(conv, s.authentication());
        }
        return CompletableFuture.completedFuture(rejectNow(conv, ((EapStep.Failure) step).reason()));
    }

    /** The EAP method said yes; charging (when installed) has the last word before the Access-Accept. */
    private CompletionStage<EapReply> authorize(EapConversation conv, EapAuthentication auth) {
        String token = newToken();
        NasContext nas = conv.nas();
        ChargingControl control = charging.get();
        CompletionStage<ChargingDecision> decided = control == null
                ? CompletableFuture.completedFuture(null)
                : control.authorize(new ChargingSession(token, auth.imsi(), nas.nasIp(), nas.calledStationId(),
                        nas.callingStationId(), null));
        return decided.handle((decision, error) -> {
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                return rejectNow(conv, "charging failed: " + cause.getMessage());
            }
            if (decision != null && !decision.allowed()) {
                return rejectNow(conv, "charging refused: " + decision.reason());
            }
            return accepted(conv, auth, token, decision);
        });
    }

    private EapReply accepted(EapConversation conv, EapAuthentication auth, String token, ChargingDecision decision) {
        updateClient(conv, ClientState.Status.ACCEPTED, auth.imsi(), null, auth.method());
        NasContext nas = conv.nas();
        try {
            store.put(AuthorizedSession.MAP, token, new AuthorizedSession(token, auth.imsi(), conv.identity(),
                    auth.method(), nas.nasIp(), nas.calledStationId(), nas.callingStationId(),
                    clock.getAsLong()), settings.clientStateLifetime());
            supersedeToken(auth.imsi(), nas, token);
        } catch (IllegalStateException full) {
            // Accounting falls back to the User-Name; the phone is not refused for a full bookkeeping map.
            LOG.warn("Authorized session of {} not recorded: {}", conv.identity(), full.getMessage());
        }
        finished(conv, auth.method(), true);
        LOG.info("Authentication ACCEPTED: identity={} imsi={} method={}{} ap={} client={}",
                conv.identity(), auth.imsi(), auth.method(), auth.fastReauth() ? " (fast re-authentication)" : "",
                nas.nasIp(), nas.callingStationId());
        return new EapReply.Accept(EapPacket.success(conv.identifier()).encode(), auth, token, decision);
    }

    /** State-store map: IMSI|Calling-Station-Id|NAS-IP → the newest token handed to that phone at that AP. */
    public static final String TOKEN_BY_PHONE = "authorized-sessions.by-phone";
    /** How long a superseded token still finds its subscriber: accounting already in flight under the old Class. */
    static final Duration SUPERSEDED_TOKEN_GRACE = Duration.ofSeconds(30);

    /**
     * A new Access-Accept for a phone at an AP replaces the Class the AP echoes in accounting (RFC 2865 5.25: APs send
     * the Class of the latest Accept), so the previous token is kept only for a short grace. Without this the map
     * grows by one entry per authentication for {@code clientStateLifetime} (a day): millions of entries at a few
     * thousand logins per second, enough to exhaust the heap.
     */
    private void supersedeToken(String imsi, NasContext nas, String token) {
        if (imsi == null) {
            return;
        }
        String previous = store.swap(TOKEN_BY_PHONE,
                AuthorizedSession.phoneKey(imsi, nas.callingStationId(), nas.nasIp()), token,
                settings.clientStateLifetime(), String.class);
        if (previous != null && !previous.equals(token)) {
            AuthorizedSession old = store.get(AuthorizedSession.MAP, previous, AuthorizedSession.class);
            if (old != null) {
                store.put(AuthorizedSession.MAP, previous, old, SUPERSEDED_TOKEN_GRACE);
            }
        }
    }

    private void finished(EapConversation conv, String method, boolean accepted) {
        try {
            timer.finished(method, accepted, Math.max(0, clock.getAsLong() - conv.startedAtMillis()));
        } catch (RuntimeException e) {
            LOG.debug("authentication timer failed: {}", e.toString());
        }
    }

    private String newToken() {
        byte[] t = new byte[12];
        random.nextBytes(t);
        return HexFormat.of().formatHex(t);
    }

    private EapReply failed(EapConversation conv, Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e;
        return rejectNow(conv, "method error: " + cause.getMessage());
    }

    private EapReply challenge(EapConversation conv, byte[] eapRequest) {
        try {
            store.put(CONVERSATIONS, conv.id(), conv, settings.conversationTimeout());
        } catch (IllegalStateException full) {
            LOG.warn("Authentication REJECTED for {}: {}", conv.identity(), full.getMessage());
            return new EapReply.Reject(EapPacket.failure(conv.identifier()).encode(), "overload");
        }
        return new EapReply.Challenge(eapRequest, conv.id().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private CompletionStage<EapReply> reject(EapConversation conv, EapPacket answered, String reason) {
        if (conv == null) {
            int id = answered == null ? 0 : answered.identifier();
            return CompletableFuture.completedFuture(
                    new EapReply.Reject(EapPacket.failure(id).encode(), reason));
        }
        return CompletableFuture.completedFuture(rejectNow(conv, reason));
    }

    private EapReply rejectNow(EapConversation conv, String reason) {
        if (conv.identity() != null) {
            updateClient(conv, ClientState.Status.REJECTED, null, reason, null);
        }
        int type = conv.methodType();
        finished(conv, type == 0 ? "none" : methods.byType(type).map(EapMethod::name).orElse("EAP type " + type),
                false);
        LOG.info("Authentication REJECTED: identity={} ap={} client={} reason={}", printable(conv.identity()),
                conv.nas().nasIp(), conv.nas().callingStationId(), reason);
        return new EapReply.Reject(EapPacket.failure(conv.identifier()).encode(), reason);
    }

    private EapConversation newConversation(NasContext nas, int identifier) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        // The RADIUS State must be unguessable: it is all that binds a later packet to this conversation.
        return new EapConversation(HexFormat.of().formatHex(id), nas, identifier, clock.getAsLong());
    }

    private static String stateKey(byte[] state) {
        return new String(state, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private void updateClient(EapConversation conv, ClientState.Status status, String imsi, String reason,
                              String method) {
        try {
            long now = clock.getAsLong();
            ClientState old = store.get(ClientState.MAP, conv.identity(), ClientState.class);
            long firstSeen = old != null ? old.firstSeenMillis() : now;
            if (status == ClientState.Status.ACCEPTED && imsi != null) {
                firstSeen = Math.min(firstSeen, replaceEarlierIdentity(conv.identity(), imsi, firstSeen));
            }
            ClientState next = new ClientState(conv.identity(),
                    imsi != null ? imsi : old != null ? old.imsi() : null,
                    status,
                    method != null ? method : old != null ? old.method() : null,
                    conv.nas().nasIp(), conv.nas().calledStationId(), conv.nas().callingStationId(),
                    firstSeen, now,
                    status == ClientState.Status.ACCEPTED ? now : old != null ? old.acceptedAtMillis() : 0,
                    reason);
            store.put(ClientState.MAP, conv.identity(), next, settings.clientStateLifetime());
        } catch (IllegalStateException full) {
            LOG.debug("client state not recorded for {}: {}", conv.identity(), full.getMessage());
        }
    }

    /**
     * A phone changes identity at nearly every login (each pseudonym and re-authentication identity is used once), so a
     * client keyed by identity alone would leave one stale entry per login for the whole client lifetime: hundreds of
     * thousands of "clients" for a few thousand phones, which the operator's views and the
     * {@code radius_active_clients_count} gauge would all show. On acceptance, the entry of the subscriber's previous
     * identity is replaced by this one; returns when the phone was first seen (that entry's time, else {@code firstSeen}).
     */
    private long replaceEarlierIdentity(String identity, String imsi, long firstSeen) {
        String previous = store.swap(ClientState.BY_IMSI_MAP, imsi, identity, settings.clientStateLifetime(),
                String.class);
        if (previous == null || previous.equals(identity)) {
            return firstSeen;
        }
        ClientState earlier = store.remove(ClientState.MAP, previous, ClientState.class);
        return earlier == null ? firstSeen : earlier.firstSeenMillis();
    }

    /** Identities come from the air: keep control characters out of the log. */
    private static String printable(String s) {
        return s == null ? null : s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The methods the engine can choose from, for operators. */
    public List<EapMethod> methods() {
        return methods.inPreferenceOrder();
    }
}
