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

import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.eap.EapMethod;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.api.eap.EapStep;
import org.opentwag.api.eap.NasContext;
import org.opentwag.support.async.Futures;
import org.opentwag.support.simaka.EncryptedIdentity;
import org.opentwag.support.simaka.PeerIdentity;
import org.opentwag.api.session.AccessAuthorizer;
import org.opentwag.api.session.AccessGrant;
import org.opentwag.api.state.StateStore;
import org.opentwag.api.trace.RejectReason;
import org.opentwag.api.trace.Rejection;
import org.opentwag.api.trace.SubscriberTrace;
import org.opentwag.api.trace.TraceStep;
import org.opentwag.api.vectors.VectorSourceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EAP authenticator (RFC 3748 section 7 in pass-through-free, full-authenticator mode; RFC 3579 for the RADIUS
 * side): reads the peer's identity, picks a method, hands every later response to that method, and keeps the
 * conversation between round trips as plain data in the {@link StateStore}, keyed by the RADIUS State. What a
 * finished authentication leads to (the grant, the client list) is the {@link AccessAuthorizer}'s job.
 */
public final class EapEngine {

    private static final Logger LOG = LoggerFactory.getLogger(EapEngine.class);

    /** StateStore map of conversations in flight. */
    public static final String CONVERSATIONS = "eap.conversations";

    /**
     * Settings of the engine.
     *
     * @param conversationTimeout how long a conversation waits for the peer's next response
     */
    public record Settings(Duration conversationTimeout) {
    }

    private final EapMethodRegistry methods;
    private final StateStore store;
    private final Settings settings;
    private final LongSupplier clock;
    private final Supplier<AccessAuthorizer> authorizer;
    private final AuthenticationTimer timer;
    private final Supplier<SubscriberTrace> trace;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param authorizer decides every grant and keeps the client list; may supply null while its bundle is being
     *                   updated (a verified subscriber then waits a moment for it)
     * @param timer      told how long each conversation took when it ends in Accept or Reject
     */
    public EapEngine(EapMethodRegistry methods, StateStore store, Settings settings, LongSupplier clock,
                     Supplier<AccessAuthorizer> authorizer, AuthenticationTimer timer) {
        this(methods, store, settings, clock, authorizer, timer, () -> null);
    }

    /** @param trace the subscriber trace told every step of every attempt; may supply null (not installed) */
    public EapEngine(EapMethodRegistry methods, StateStore store, Settings settings, LongSupplier clock,
                     Supplier<AccessAuthorizer> authorizer, AuthenticationTimer timer,
                     Supplier<SubscriberTrace> trace) {
        this.trace = trace;
        this.timer = timer;
        this.methods = methods;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.authorizer = authorizer;
    }

    public CompletionStage<EapReply> handle(EapRequest request) {
        try {
            return dispatch(request);
        } catch (RuntimeException e) {
            // A bug or an unexpected input must end this conversation cleanly, never the server.
            LOG.error("EAP conversation failed for {}: {}", request.userName(), e.toString(), e);
            return CompletableFuture.completedFuture(new EapReply.Reject(null,
                    Rejection.of(RejectReason.INTERNAL_ERROR, "internal error")));
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
            return reject(null, null, RejectReason.PEER_ERROR, "malformed EAP packet");
        }
        if (packet.code() != EapPacket.RESPONSE) {
            LOG.warn("Failed to decode EAP message from {}: EAP Code {} is not a Response", nas.nasIp(),
                    packet.code());
            return reject(null, null, RejectReason.PEER_ERROR, "EAP packet is not a Response");
        }

        EapConversation conv = null;
        if (request.state() != null) {
            conv = store.remove(CONVERSATIONS, stateKey(request.state()), EapConversation.class);
            if (conv == null) {
                LOG.info("Authentication REJECTED for {} from {}: unknown or expired EAP conversation",
                        request.userName(), nas.nasIp());
                return reject(null, null, RejectReason.PEER_ERROR, "unknown or expired State");
            }
            if (packet.identifier() != conv.identifier()) {
                LOG.warn("EAP Identifier {} does not answer request {} for {}", packet.identifier(),
                        conv.identifier(), conv.identity());
                return reject(conv, null, RejectReason.PEER_ERROR, "EAP Identifier mismatch");
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
            return reject(null, packet, RejectReason.PEER_ERROR, "EAP Response outside a conversation");
        }
        if (packet.type() == EapPacket.TYPE_NAK) {
            return legacyNak(conv, packet);
        }
        if (packet.type() == EapPacket.TYPE_NOTIFICATION) {
            // The method told the peer why before; that reason stands.
            return conv.rejection() != null
                    ? CompletableFuture.completedFuture(rejectNow(conv, conv.rejection()))
                    : reject(conv, packet, RejectReason.PEER_ERROR, "peer acknowledged a failure notification");
        }
        if (packet.type() != conv.methodType()) {
            return reject(conv, packet, RejectReason.PEER_ERROR, "peer answered with EAP type " + packet.type() + " in a conversation of "
                    + conv.methodType());
        }
        EapConversation c = conv;
        Optional<EapMethod> method = methods.byType(conv.methodType());
        if (method.isEmpty()) {
            if (!methods.removedWithin(TimeUnit.MILLISECONDS.toNanos(METHOD_GAP_MILLIS * 5))) {
                return reject(conv, packet, RejectReason.METHOD_NOT_ALLOWED, "EAP method " + conv.methodType()
                        + " is no longer installed");
            }
            // Its bundle is being updated: the conversation's state is data, the new bundle continues it.
            return awaitType(conv.methodType())
                    .thenCompose(m -> m == null
                            ? reject(c, packet, RejectReason.METHOD_NOT_ALLOWED, "EAP method " + c.methodType()
                                    + " is no longer installed")
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
        // An identity that starts with NUL is an encrypted permanent identity (IMSI privacy): all of it is.
        boolean encrypted = EncryptedIdentity.isEncrypted(identity);
        int nul = identity.indexOf('\0');
        if (nul >= 0 && !encrypted) {
            identity = identity.substring(0, nul);
        }
        conv.identity(identity);
        // Never the ciphertext of an encrypted identity in logs, the trace or a reply.
        String shown = encrypted ? EncryptedIdentity.describe(identity) : printable(identity);
        SubscriberTrace t = trace.get();
        if (t != null) {
            t.started(conv.id(), shown, conv.nas(), clock.getAsLong());
            t.step(conv.id(), new TraceStep(clock.getAsLong(), TraceStep.Kind.IDENTITY,
                    "EAP-Response/Identity " + shown));
        }
        if (!encrypted && !PeerIdentity.isAnonymous(identity)) {
            try {
                PeerIdentity.parse(identity).imsi().ifPresent(conv::imsi);
            } catch (IllegalArgumentException e) {
                return reject(conv, identityResponse, RejectReason.IDENTITY_MALFORMED, "malformed identity: "
                        + e.getMessage());
            }
        }
        EapMethod accepting = accepting(identity);
        if (accepting != null) {
            return begin(conv, accepting);
        }
        String id = identity;
        if (encrypted) {
            // Never the ciphertext in logs, the session book or a reply.
            conv.identity("anonymous");
        }
        if (methods.removedWithin(TimeUnit.MILLISECONDS.toNanos(METHOD_GAP_MILLIS * 5))) {
            // A method bundle is being updated: its service comes back within a moment; wait for it, off-thread.
            return awaitMethod(id)
                    .thenCompose(m -> m != null ? begin(conv, m)
                            : reject(conv, identityResponse, RejectReason.METHOD_NOT_ALLOWED,
                            "no EAP method accepts identity " + shown));
        }
        return reject(conv, identityResponse, RejectReason.METHOD_NOT_ALLOWED,
                "no EAP method accepts identity " + shown);
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

    /** The method of this type, waiting off-thread while its bundle is being updated. */
    private CompletionStage<EapMethod> awaitType(int type) {
        return Futures.awaitReturn(() -> methods.byType(type).orElse(null), 25, METHOD_GAP_MILLIS);
    }

    /** The method accepting this identity, waiting off-thread while its bundle is being updated. */
    private CompletionStage<EapMethod> awaitMethod(String identity) {
        return Futures.awaitReturn(() -> accepting(identity), 25, METHOD_GAP_MILLIS);
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
        return reject(conv, nak, RejectReason.METHOD_NOT_ALLOWED, "peer refused EAP type " + conv.methodType() + " and offered none we serve");
    }

    private CompletionStage<EapReply> begin(EapConversation conv, EapMethod method) {
        conv.methodType(method.type());
        AccessAuthorizer a = authorizer.get();
        if (a != null) {
            a.authenticating(EncryptedIdentity.isEncrypted(conv.identity()) ? "anonymous" : conv.identity(),
                    conv.nas(), method.name());
        }
        SubscriberTrace t = trace.get();
        if (t != null) {
            t.method(conv.id(), method.name());
            t.step(conv.id(), new TraceStep(clock.getAsLong(), TraceStep.Kind.METHOD, method.name()));
        }
        return method.start(conv)
                .thenCompose(step -> outcome(conv, step))
                .exceptionally(e -> failed(conv, e));
    }

    private CompletionStage<EapReply> outcome(EapConversation conv, EapStep step) {
        boolean challengeNoted = traceNoted(conv);
        if (step instanceof EapStep.Continue c) {
            if (!challengeNoted) {
                traceStep(conv, TraceStep.Kind.CHALLENGE_SENT, "EAP-Request (" + conv.phase() + ")");
            }
            return CompletableFuture.completedFuture(challenge(conv, c.eapRequest()));
        }
        if (step instanceof EapStep.Success s) {
            return authorize(conv, s.authentication());
        }
        return CompletableFuture.completedFuture(rejectNow(conv, ((EapStep.Failure) step).rejection()));
    }

    /** Hands the steps the method noted to the subscriber trace; true when one was a CHALLENGE_SENT. */
    private boolean traceNoted(EapConversation conv) {
        List<TraceStep> steps = conv.drainSteps();
        SubscriberTrace t = trace.get();
        if (t == null) {
            return true;
        }
        try {
            if (conv.imsi() != null) {
                t.imsi(conv.id(), conv.imsi());
            }
            boolean challenge = false;
            for (TraceStep s : steps) {
                t.step(conv.id(), s);
                challenge |= s.kind() == TraceStep.Kind.CHALLENGE_SENT;
            }
            return challenge;
        } catch (RuntimeException e) {
            LOG.debug("subscriber trace failed: {}", e.toString());
            return true;
        }
    }

    private void traceStep(EapConversation conv, TraceStep.Kind kind, String detail) {
        SubscriberTrace t = trace.get();
        if (t != null) {
            try {
                t.step(conv.id(), new TraceStep(clock.getAsLong(), kind, detail));
            } catch (RuntimeException e) {
                LOG.debug("subscriber trace failed: {}", e.toString());
            }
        }
    }

    /** The EAP method said yes; the access-session service decides the grant and what the Access-Accept carries. */
    private CompletionStage<EapReply> authorize(EapConversation conv, EapAuthentication auth) {
        AccessAuthorizer a = authorizer.get();
        CompletionStage<AccessAuthorizer> found = a != null ? CompletableFuture.completedFuture(a)
                : Futures.awaitReturn(authorizer, 25, METHOD_GAP_MILLIS);
        return found.thenCompose(az -> az == null
                ? CompletableFuture.completedFuture(new AccessGrant.Refused(RejectReason.OVERLOAD,
                        "no access-session service"))
                : az.authorize(auth, conv.nas()))
                .handle((grant, error) -> {
                    if (error != null) {
                        return rejectNow(conv, Rejection.of(RejectReason.INTERNAL_ERROR, "authorisation failed: "
                                + rootMessage(error)));
                    }
                    if (grant instanceof AccessGrant.Refused r) {
                        // The authorizer has recorded the refusal in its client list already.
                        if (r.why() == RejectReason.CHARGING_REFUSED) {
                            traceStep(conv, TraceStep.Kind.CHARGING, "refused: " + r.reason());
                        }
                        return rejectQuietly(conv, Rejection.of(r.why(), r.reason()));
                    }
                    return accepted(conv, auth, (AccessGrant.Granted) grant);
                });
    }

    private EapReply accepted(EapConversation conv, EapAuthentication auth, AccessGrant.Granted grant) {
        finished(conv, auth.method(), true);
        NasContext nas = conv.nas();
        SubscriberTrace t = trace.get();
        if (t != null) {
            try {
                t.imsi(conv.id(), auth.imsi());
                if (grant.charging() != null) {
                    ChargingDecision d = grant.charging();
                    t.step(conv.id(), new TraceStep(clock.getAsLong(), TraceStep.Kind.CHARGING, "allowed, "
                            + (d.grantedOctets() == ChargingDecision.UNLIMITED ? "unlimited"
                            : d.grantedOctets() + " octets") + (d.validitySeconds() > 0
                            ? " for " + d.validitySeconds() + " s" : "")));
                }
                t.step(conv.id(), new TraceStep(clock.getAsLong(), TraceStep.Kind.ACCEPT, "Access-Accept ("
                        + auth.method() + (auth.fastReauth() ? ", fast re-authentication" : "") + ")"));
                t.accepted(conv.id(), clock.getAsLong());
            } catch (RuntimeException e) {
                LOG.debug("subscriber trace failed: {}", e.toString());
            }
        }
        LOG.info("Authentication ACCEPTED: identity={} imsi={} method={}{} ap={} client={}",
                conv.identity(), auth.imsi(), auth.method(), auth.fastReauth() ? " (fast re-authentication)" : "",
                nas.nasIp(), nas.callingStationId());
        return new EapReply.Accept(EapPacket.success(conv.identifier()).encode(), auth, grant);
    }

    private void finished(EapConversation conv, String method, boolean accepted) {
        try {
            timer.finished(method, accepted, Math.max(0, clock.getAsLong() - conv.startedAtMillis()));
        } catch (RuntimeException e) {
            LOG.debug("authentication timer failed: {}", e.toString());
        }
    }

    private EapReply failed(EapConversation conv, Throwable e) {
        Throwable cause = Futures.unwrap(e);
        if (cause instanceof VectorSourceException vse) {
            return rejectNow(conv, Rejection.of(vse));
        }
        return rejectNow(conv, Rejection.of(RejectReason.INTERNAL_ERROR, "method error: " + cause.getMessage()));
    }

    private static String rootMessage(Throwable e) {
        return Futures.unwrap(e).getMessage();
    }

    private EapReply challenge(EapConversation conv, byte[] eapRequest) {
        try {
            store.put(CONVERSATIONS, conv.id(), conv, settings.conversationTimeout());
        } catch (IllegalStateException full) {
            LOG.warn("Authentication REJECTED for {}: {}", conv.identity(), full.getMessage());
            Rejection overload = Rejection.of(RejectReason.OVERLOAD, full.getMessage());
            traceReject(conv, overload);
            return new EapReply.Reject(EapPacket.failure(conv.identifier()).encode(), overload);
        }
        return new EapReply.Challenge(eapRequest, conv.id().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private CompletionStage<EapReply> reject(EapConversation conv, EapPacket answered, RejectReason why,
                                             String detail) {
        Rejection rejection = Rejection.of(why, detail);
        if (conv == null) {
            int id = answered == null ? 0 : answered.identifier();
            return CompletableFuture.completedFuture(
                    new EapReply.Reject(EapPacket.failure(id).encode(), rejection));
        }
        return CompletableFuture.completedFuture(rejectNow(conv, rejection));
    }

    private EapReply rejectNow(EapConversation conv, Rejection rejection) {
        AccessAuthorizer a = authorizer.get();
        if (conv.identity() != null && a != null) {
            a.rejected(conv.identity(), conv.nas(), rejection.toString());
        }
        return rejectQuietly(conv, rejection);
    }

    /** Access-Reject without telling the authorizer (it refused, so it knows). */
    private EapReply rejectQuietly(EapConversation conv, Rejection rejection) {
        int type = conv.methodType();
        finished(conv, type == 0 ? "none" : methods.byType(type).map(EapMethod::name).orElse("EAP type " + type),
                false);
        LOG.info("Authentication REJECTED: identity={} ap={} client={} reason={}", printable(conv.identity()),
                conv.nas().nasIp(), conv.nas().callingStationId(), rejection);
        traceNoted(conv);
        traceReject(conv, rejection);
        return new EapReply.Reject(EapPacket.failure(conv.identifier()).encode(), rejection);
    }

    private void traceReject(EapConversation conv, Rejection rejection) {
        SubscriberTrace t = trace.get();
        if (t != null) {
            try {
                t.step(conv.id(), new TraceStep(clock.getAsLong(), TraceStep.Kind.REJECT, "Access-Reject: "
                        + rejection));
                t.rejected(conv.id(), rejection, clock.getAsLong());
            } catch (RuntimeException e) {
                LOG.debug("subscriber trace failed: {}", e.toString());
            }
        }
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

    /** Identities come from the air: keep control characters out of the log. */
    private static String printable(String s) {
        if (s == null) {
            return null;
        }
        // Per login: a scan instead of String.replaceAll, which compiles its pattern on every call.
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                char[] out = s.toCharArray();
                for (int j = i; j < out.length; j++) {
                    if (out[j] < 0x20 || out[j] > 0x7e) {
                        out[j] = '?';
                    }
                }
                return new String(out);
            }
        }
        return s;
    }

    /** The methods the engine can choose from, for operators. */
    public List<EapMethod> methods() {
        return methods.inPreferenceOrder();
    }
}
