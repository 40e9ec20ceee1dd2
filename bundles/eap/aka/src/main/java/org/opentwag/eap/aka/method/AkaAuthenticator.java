package org.opentwag.eap.aka.method;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.eap.EapMethod;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.api.eap.EapStep;
import org.opentwag.api.state.StateStore;
import org.opentwag.api.trace.RejectReason;
import org.opentwag.api.trace.Rejection;
import org.opentwag.api.trace.TraceStep;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.api.vectors.VectorSourceException;
import org.opentwag.eap.simaka.identity.IdentityStore;
import org.opentwag.eap.simaka.identity.ReauthContext;
import org.opentwag.eap.simaka.protocol.AkaCrypto;
import org.opentwag.eap.simaka.protocol.SimAkaCrypto;
import org.opentwag.eap.simaka.protocol.SimAkaMessage.Attribute;
import org.opentwag.eap.simaka.protocol.SimAkaMessage;
import org.opentwag.eap.simaka.protocol.SimAkaMethod;
import org.opentwag.eap.simaka.privacy.IdentityDecryptionException;
import org.opentwag.eap.simaka.privacy.IdentityDecryptor;
import org.opentwag.support.simaka.EncryptedIdentity;
import org.opentwag.support.async.Futures;
import org.opentwag.support.simaka.PeerIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of EAP-AKA (RFC 4187) and EAP-AKA' (RFC 5448), one state machine for both: an optional
 * AKA-Identity round, the AKA-Challenge with the vector from the HSS, RES checked against XRES here,
 * resynchronisation after Synchronization-Failure, and fast re-authentication. Everything a conversation needs
 * between two packets is one {@link AkaState} (phase {@link AkaPhase}) kept in {@link EapConversation#data()};
 * re-authentication contexts and pseudonyms live in the {@link StateStore} through eap-sim-aka's
 * {@link IdentityStore}, so this object can be replaced at any time. The attribute codec, keys and MAC are
 * eap-sim-aka's, shared with EAP-SIM.
 */
public final class AkaAuthenticator implements EapMethod {

    private static final Logger LOG = LoggerFactory.getLogger(AkaAuthenticator.class);

    /** AT_NOTIFICATION codes (RFC 4187 10.19): S bit = success, P bit = before authentication. */
    static final int GENERAL_FAILURE = 16384;
    static final int SUCCESS = 32768;
    /**
     * AT_NOTIFICATION 16385 (P bit, before authentication, code 1): the encrypted identity could not be decrypted
     * with the key it named. Android's Wi-Fi stack (WifiNative.EAP_SIM_VENDOR_SPECIFIC_CERT_EXPIRED) then forgets
     * its carrier key and downloads the carrier-key document again; other peers treat it as a failure.
     */
    static final int CERTIFICATE_EXPIRED = 16385;

    /**
     * Settings of one method.
     *
     * @param akaPrime          EAP-AKA' (type 50) instead of EAP-AKA (type 23)
     * @param networkName       EAP-AKA' access network name (AT_KDF_INPUT), bound into CK'/IK'
     * @param biddingDown       EAP-AKA: announce with AT_BIDDING that EAP-AKA' is supported (RFC 5448 4)
     * @param pseudonyms        hand out pseudonyms (AT_NEXT_PSEUDONYM)
     * @param fastReauth        hand out fast re-authentication identities (AT_NEXT_REAUTH_ID)
     * @param maxReauthCounter  after this many fast re-authentications a full one is required
     * @param reauthLifetime    how long a re-authentication identity and a pseudonym stay valid
     * @param realm             realm for the identities we generate; empty = the realm of the peer's identity
     * @param resultIndication  offer protected result indications (AT_RESULT_IND, RFC 4187 6.2)
     * @param vectorSourceName  the configured vector source, named when it is missing
     */
    public record Settings(boolean akaPrime, String networkName, boolean biddingDown, boolean pseudonyms,
                           boolean fastReauth, int maxReauthCounter, Duration reauthLifetime, String realm,
                           boolean resultIndication, String vectorSourceName) {
        public int type() {
            return akaPrime ? EapPacket.TYPE_AKA_PRIME : EapPacket.TYPE_AKA;
        }

        public String methodName() {
            return method().methodName();
        }

        public SimAkaMethod method() {
            return akaPrime ? SimAkaMethod.AKA_PRIME : SimAkaMethod.AKA;
        }
    }

    private final Settings settings;
    private final Supplier<AuthVectorSource> vectors;
    private final IdentityStore identities;
    private final AkaStatistics stats;
    private final Supplier<IdentityDecryptor> privacy;
    private final SecureRandom random = new SecureRandom();

    /** How long a conversation waits for an absent vector source (a bundle:update of it takes well under this). */
    static final long SOURCE_WAIT_MILLIS = 2_000;
    private static final long SOURCE_POLL_MILLIS = 25;

    public AkaAuthenticator(Settings settings, Supplier<AuthVectorSource> vectors, Supplier<StateStore> store,
                            AkaStatistics stats) {
        this(settings, vectors, store, stats, () -> null);
    }

    /** @param privacy the IMSI privacy keys, or a supplier of null while there are none */
    public AkaAuthenticator(Settings settings, Supplier<AuthVectorSource> vectors, Supplier<StateStore> store,
                            AkaStatistics stats, Supplier<IdentityDecryptor> privacy) {
        this.privacy = privacy;
        this.settings = settings;
        this.vectors = vectors;
        this.identities = new IdentityStore(store, settings.reauthLifetime());
        this.stats = stats;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public int type() {
        return settings.type();
    }

    @Override
    public String name() {
        return settings.methodName();
    }

    /** Whether an identity belongs to this method (its 3GPP prefix). */
    @Override
    public boolean accepts(String identity) {
        if (EncryptedIdentity.isEncrypted(identity)) {
            // Which method the phone meant is inside the ciphertext; the engine's preference order picks.
            IdentityDecryptor d = privacy.get();
            return d != null && d.available();
        }
        if (PeerIdentity.isAnonymous(identity)) {
            char p = PeerIdentity.anonymousPrefix(identity);
            return p == 0 || p == settings.method().permanentPrefix();
        }
        try {
            PeerIdentity id = PeerIdentity.parse(identity);
            if (settings.akaPrime()) {
                return id.prefersAkaPrime();
            }
            return id.prefersAka() || (id.kind() == PeerIdentity.Kind.PERMANENT && !id.prefersAkaPrime());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- start

    @Override
    public CompletionStage<EapStep> start(EapConversation conv) {
        stats.identity.increment();
        String identity = conv.identity();
        AkaState.initial().saveTo(conv);
        if (EncryptedIdentity.isEncrypted(identity)) {
            // Encrypted in EAP-Response/Identity: the ciphertext never goes to logs, sessions or replies.
            conv.identity("anonymous");
            LOG.info("Phase 1: Identity Response: identity={} method={} ap={}", EncryptedIdentity.describe(identity),
                    settings.methodName(), conv.nas().nasIp());
            return fromEncryptedIdentity(conv, identity);
        }
        LOG.info("Phase 1: Identity Response: identity={} method={} ap={}", identity, settings.methodName(),
                conv.nas().nasIp());
        return fromIdentity(conv, identity, SimAkaMessage.AT_ANY_ID_REQ);
    }

    /** Decides what an identity allows: fast re-authentication, full authentication, or asking for a better one. */
    private CompletionStage<EapStep> fromIdentity(EapConversation conv, String identity, int lastRequest) {
        if (PeerIdentity.isAnonymous(identity)) {
            // IMSI privacy: the outer identity names only the realm; the phone sends its permanent identity,
            // encrypted with our certificate, in AT_IDENTITY (as hostapd asks with AT_PERMANENT_ID_REQ).
            return identityRequest(conv, lastRequest, SimAkaMessage.AT_PERMANENT_ID_REQ, "anonymous identity");
        }
        PeerIdentity id;
        try {
            id = PeerIdentity.parse(identity);
        } catch (IllegalArgumentException e) {
            return identityRequest(conv, lastRequest, SimAkaMessage.AT_ANY_ID_REQ, "malformed identity");
        }
        switch (id.kind()) {
            case PERMANENT:
                return fullAuthentication(conv, id.imsi().orElseThrow());
            case PSEUDONYM: {
                String imsi = pseudonymImsi(id);
                if (imsi != null) {
                    return fullAuthentication(conv, imsi);
                }
                return identityRequest(conv, lastRequest, SimAkaMessage.AT_PERMANENT_ID_REQ, "unknown pseudonym");
            }
            case FAST_REAUTH: {
                if (settings.fastReauth() && lastRequest != SimAkaMessage.AT_FULLAUTH_ID_REQ
                        && lastRequest != SimAkaMessage.AT_PERMANENT_ID_REQ) {
                    ReauthContext ctx = identities.takeReauth(identity);
                    if (ctx != null && ctx.methodType() == settings.type()) {
                        int counter = ctx.counter() + 1;
                        if (counter <= settings.maxReauthCounter()) {
                            return CompletableFuture.completedFuture(reauthRequest(conv, ctx, counter));
                        }
                        LOG.info("Fast re-authentication limit reached for {}: full authentication", identity);
                    }
                }
                return identityRequest(conv, lastRequest, SimAkaMessage.AT_FULLAUTH_ID_REQ, "unknown re-auth identity");
            }
            default:
                return identityRequest(conv, lastRequest, SimAkaMessage.AT_ANY_ID_REQ, "identity without AKA prefix");
        }
    }

    /**
     * An encrypted permanent identity: decrypted with the key it names, then a full authentication whose keys derive
     * from the permanent identity inside (wpa_supplicant and Android derive MK from it too), while the conversation
     * keeps the anonymous identity for logs, sessions and the Access-Accept. A failure ends the conversation with an
     * AKA-Notification (16385 when the key is unknown or does not decrypt, so an Android phone fetches the current
     * certificate; 16384 otherwise), then EAP-Failure.
     */
    private CompletionStage<EapStep> fromEncryptedIdentity(EapConversation conv, String encrypted) {
        IdentityDecryptor d = privacy.get();
        String permanent;
        try {
            if (d == null) {
                throw new IdentityDecryptionException(IdentityDecryptionException.Reason.NO_KEY,
                        "no IMSI privacy key is configured");
            }
            permanent = d.decrypt(encrypted);
        } catch (IdentityDecryptionException e) {
            LOG.warn("{} encrypted identity refused: {} ({}): identity={} ap={}", settings.methodName(),
                    e.reason().label(), e.getMessage(), EncryptedIdentity.describe(encrypted), conv.nas().nasIp());
            boolean staleKey = e.reason() == IdentityDecryptionException.Reason.UNKNOWN_KEY
                    || e.reason() == IdentityDecryptionException.Reason.UNDECRYPTABLE;
            return CompletableFuture.completedFuture(failureNotification(conv, RejectReason.IDENTITY_MALFORMED,
                    "encrypted identity: " + e.reason().label(), staleKey ? CERTIFICATE_EXPIRED : GENERAL_FAILURE));
        }
        PeerIdentity id = PeerIdentity.parse(permanent);
        // What the AP, accounting and the Access-Accept see from now on: the method prefix and realm only.
        conv.identity(id.realm().isEmpty() ? id.prefix() + "anonymous" : id.prefix() + "anonymous@" + id.realm());
        AkaState.of(conv).withKeyIdentity(permanent).saveTo(conv);
        LOG.info("{} encrypted identity decrypted: identity={} imsi={} ap={}", settings.methodName(),
                conv.identity(), id.imsi().orElseThrow(), conv.nas().nasIp());
        return fullAuthentication(conv, id.imsi().orElseThrow());
    }

    /**
     * Sends EAP-Request/AKA-Identity asking for {@code wanted}, unless an equally or more demanding request was
     * already sent (RFC 4187 4.1.6: ANY, then FULLAUTH, then PERMANENT; never the same twice).
     */
    private CompletionStage<EapStep> identityRequest(EapConversation conv, int already, int wanted, String why) {
        AkaState state = AkaState.of(conv);
        int rank = rank(wanted);
        if (state.identityRequest() >= 0 && rank <= rank(state.identityRequest())) {
            rank = rank(state.identityRequest()) + 1;
        }
        if (rank > 2) {
            return fail(conv, RejectReason.IDENTITY_MALFORMED, "no usable identity after AKA-Identity rounds (" + why + ")");
        }
        int attr = rank == 0 ? SimAkaMessage.AT_ANY_ID_REQ : rank == 1 ? SimAkaMessage.AT_FULLAUTH_ID_REQ
                : SimAkaMessage.AT_PERMANENT_ID_REQ;
        byte[] packet = EapPacket.request(conv.nextIdentifier(), settings.type(),
                new SimAkaMessage(SimAkaMessage.IDENTITY, List.of(SimAkaMessage.flag(attr))).encode()).encode();
        state.withIdentityRequest(attr).withPhase(AkaPhase.IDENTITY).withIdentityMessage(packet).saveTo(conv);
        LOG.debug("AKA-Identity request ({}) to {}: {}", attr, conv.identity(), why);
        return CompletableFuture.completedFuture(new EapStep.Continue(packet));
    }

    private static int rank(int attr) {
        return attr == SimAkaMessage.AT_ANY_ID_REQ ? 0 : attr == SimAkaMessage.AT_FULLAUTH_ID_REQ ? 1 : 2;
    }

    // ---------------------------------------------------------------- full authentication

    private CompletionStage<EapStep> fullAuthentication(EapConversation conv, String imsi) {
        return vectorSource().thenCompose(source -> {
            if (source == null) {
                return fail(conv, RejectReason.OVERLOAD, "no vector source '" + settings.vectorSourceName() + "'");
            }
            VectorRequest req = new VectorRequest(imsi, scheme(), settings.networkName());
            AkaState.of(conv).withImsi(imsi).saveTo(conv);
            conv.imsi(imsi);
            conv.trace(TraceStep.Kind.VECTORS_REQUESTED, scheme() + " vector for IMSI " + imsi + " from '"
                    + settings.vectorSourceName() + "'");
            return source.fetch(req)
                    .thenApply(v -> {
                        conv.trace(TraceStep.Kind.VECTORS_ANSWER, "vector received");
                        return challenge(conv, imsi, v);
                    })
                    .exceptionally(e -> vectorFailure(conv, imsi, e));
        });
    }

    /**
     * The vector source, or, when it is absent (its bundle being updated: the service goes away and comes back within
     * a second), the first one to appear within {@link #SOURCE_WAIT_MILLIS}; null after that. Never blocks a thread.
     */
    private CompletionStage<AuthVectorSource> vectorSource() {
        AuthVectorSource source = vectors.get();
        if (source != null) {
            return CompletableFuture.completedFuture(source);
        }
        return Futures.awaitReturn(vectors, SOURCE_POLL_MILLIS, SOURCE_WAIT_MILLIS);
    }

    private AuthScheme scheme() {
        return settings.akaPrime() ? AuthScheme.EAP_AKA_PRIME : AuthScheme.EAP_AKA;
    }

    private EapStep challenge(EapConversation conv, String imsi, AuthVector v) {
        String keyIdentity = AkaState.of(conv).keyIdentity();
        String identity = keyIdentity != null ? keyIdentity : conv.identity();
        SimAkaCrypto.Keys keys = settings.akaPrime()
                ? AkaCrypto.akaPrimeFull(identity, v.ck(), v.ik())
                : AkaCrypto.akaFull(identity, v.ik(), v.ck());
        AkaState.of(conv).withChallenge(new AkaState.Challenge(v.rand(), v.autn(), v.xres()), keys).saveTo(conv);

        List<Attribute> attrs = new ArrayList<>();
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_RAND, v.rand()));
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_AUTN, v.autn()));
        if (settings.akaPrime()) {
            attrs.add(SimAkaMessage.lengthPrefixed(SimAkaMessage.AT_KDF_INPUT, settings.networkName()));
            attrs.add(SimAkaMessage.shortValue(SimAkaMessage.AT_KDF, 1));
        } else if (settings.biddingDown()) {
            // The D bit tells a peer that supports EAP-AKA' that we do too, so it can detect a bidding-down attack.
            attrs.add(SimAkaMessage.shortValue(SimAkaMessage.AT_BIDDING, 0x8000));
        }
        addNextIdentities(conv, attrs, keys.kEncr(), imsi, true);
        // AT_CHECKCODE protects the AKA-Identity round (if any) against tampering (RFC 4187 10.13).
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_CHECKCODE, checkcode(conv)));
        if (settings.resultIndication()) {
            attrs.add(SimAkaMessage.flag(SimAkaMessage.AT_RESULT_IND));
        }
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16]));
        byte[] packet = signedRequest(conv, SimAkaMessage.CHALLENGE, attrs, keys.kAut(), null);
        AkaState.of(conv).withPhase(AkaPhase.CHALLENGE).saveTo(conv);
        stats.challenge.increment();
        conv.trace(TraceStep.Kind.CHALLENGE_SENT, settings.methodName() + "-Challenge (AT_RAND, AT_AUTN, AT_MAC)");
        LOG.info("Phase 2: AKA Challenge: identity={} imsi={} method={} ap={}", identity, imsi, settings.methodName(),
                conv.nas().nasIp());
        return new EapStep.Continue(packet);
    }

    private EapStep onChallengeResponse(EapConversation conv, byte[] packet, SimAkaMessage m) {
        AkaState state = AkaState.of(conv);
        if (!SimAkaCrypto.verify(settings.akaPrime(), state.keys().kAut(), packet, macOffset(packet), null)) {
            return failureNotification(conv, RejectReason.AUTH_MISMATCH,
                    "AT_MAC of the AKA-Challenge response does not verify");
        }
        Attribute resAttr = m.attribute(SimAkaMessage.AT_RES).orElse(null);
        if (resAttr == null) {
            return failureNotification(conv, RejectReason.PEER_ERROR, "AKA-Challenge response without AT_RES");
        }
        byte[] res = SimAkaMessage.resOf(resAttr);
        if (!MessageDigest.isEqual(res, state.challenge().xres())) {
            // Never log RES or XRES values: XRES is key material until the exchange is over.
            LOG.warn("RES verification failed: identity={} ap={}", conv.identity(), conv.nas().nasIp());
            return failureNotification(conv, RejectReason.AUTH_MISMATCH, "RES verification failed");
        }
        Attribute checkcode = m.attribute(SimAkaMessage.AT_CHECKCODE).orElse(null);
        if (checkcode != null && !MessageDigest.isEqual(SimAkaMessage.afterReserved(checkcode), checkcode(conv))) {
            return failureNotification(conv, RejectReason.PEER_ERROR,
                    "AT_CHECKCODE does not match the AKA-Identity messages exchanged");
        }
        conv.trace(TraceStep.Kind.RESPONSE_CHECKED, "AT_MAC and RES verified");
        if (settings.resultIndication() && m.has(SimAkaMessage.AT_RESULT_IND)) {
            // Protected success indication: AKA-Notification "Success" with AT_MAC, then EAP-Success.
            List<Attribute> attrs = new ArrayList<>();
            attrs.add(SimAkaMessage.shortValue(SimAkaMessage.AT_NOTIFICATION, SUCCESS));
            attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16]));
            byte[] notification = signedRequest(conv, SimAkaMessage.NOTIFICATION, attrs, state.keys().kAut(), null);
            state.withPhase(AkaPhase.SUCCESS_NOTIFICATION).saveTo(conv);
            return new EapStep.Continue(notification);
        }
        return challengeSucceeded(conv);
    }

    private EapStep onSuccessNotificationResponse(EapConversation conv, byte[] packet) {
        if (!SimAkaCrypto.verify(settings.akaPrime(), AkaState.of(conv).keys().kAut(), packet, macOffset(packet),
                null)) {
            return failNow(conv, "AT_MAC of the AKA-Notification response does not verify");
        }
        return challengeSucceeded(conv);
    }

    private EapStep challengeSucceeded(EapConversation conv) {
        AkaState state = AkaState.of(conv);
        String imsi = state.imsi();
        commitNextIdentities(state, imsi, 0);
        byte[] sessionId = concat(new byte[]{(byte) settings.type()}, state.challenge().rand(), state.challenge().autn());
        stats.success.increment();
        LOG.debug("Challenge verified: identity={} imsi={} method={} ap={}", conv.identity(), imsi,
                settings.methodName(), conv.nas().nasIp());
        return new EapStep.Success(new EapAuthentication(imsi, conv.identity(), settings.methodName(), false,
                state.keys().msk(), state.keys().emsk(), sessionId));
    }

    private CompletionStage<EapStep> onSynchronizationFailure(EapConversation conv, SimAkaMessage m) {
        stats.syncFailure.increment();
        AkaState state = AkaState.of(conv);
        if (state.resynced()) {
            conv.trace(TraceStep.Kind.RESYNC, "second Synchronization-Failure");
            return fail(conv, RejectReason.RESYNC_FAILED, "second Synchronization-Failure in one conversation");
        }
        Attribute auts = m.attribute(SimAkaMessage.AT_AUTS).orElse(null);
        if (auts == null || auts.value().length != 14) {
            return fail(conv, "Synchronization-Failure without a valid AT_AUTS");
        }
        return vectorSource().thenCompose(source -> {
            if (source == null) {
                return fail(conv, RejectReason.OVERLOAD, "no vector source '" + settings.vectorSourceName() + "'");
            }
            state.withResynced().saveTo(conv);
            String imsi = state.imsi();
            LOG.info("Sequence number synchronization required: identity={} imsi={}", conv.identity(), imsi);
            conv.trace(TraceStep.Kind.RESYNC, "Synchronization-Failure from the phone: AUTS sent to '"
                    + settings.vectorSourceName() + "'");
            return source.resynchronize(new VectorRequest(imsi, scheme(), settings.networkName()),
                            state.challenge().rand(), auts.value())
                    .thenApply(v -> challenge(conv, imsi, v))
                    .exceptionally(e -> vectorFailure(conv, imsi, e));
        });
    }

    // ---------------------------------------------------------------- fast re-authentication

    private EapStep reauthRequest(EapConversation conv, ReauthContext ctx, int counter) {
        byte[] nonceS = randomBytes(16);
        SimAkaCrypto.SessionKeys msk = settings.akaPrime()
                ? AkaCrypto.akaPrimeReauth(conv.identity(), counter, nonceS, ctx.kRe())
                : AkaCrypto.akaReauth(conv.identity(), counter, nonceS, ctx.kRe());
        SimAkaCrypto.Keys keys = new SimAkaCrypto.Keys(ctx.kEncr(), ctx.kAut(), ctx.kRe(), msk.msk(), msk.emsk());

        List<Attribute> inner = new ArrayList<>();
        inner.add(SimAkaMessage.shortValue(SimAkaMessage.AT_COUNTER, counter));
        inner.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_NONCE_S, nonceS));
        String imsi = ctx.imsi();
        List<Attribute> attrs = new ArrayList<>();
        String nextReauth = newReauthIdentity(conv);
        if (nextReauth != null) {
            inner.add(SimAkaMessage.lengthPrefixed(SimAkaMessage.AT_NEXT_REAUTH_ID, nextReauth));
        }
        byte[] iv = randomBytes(16);
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_IV, iv));
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_ENCR_DATA, SimAkaCrypto.encrypt(ctx.kEncr(), iv,
                SimAkaCrypto.encryptedAttributes(inner.toArray(new Attribute[0])))));
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16]));
        byte[] packet = signedRequest(conv, SimAkaMessage.REAUTHENTICATION, attrs, ctx.kAut(), null);
        int off = macOffset(packet);
        AkaState.of(conv).withImsi(imsi)
                .withReauth(new AkaState.Reauth(nonceS, counter, Arrays.copyOfRange(packet, off, off + 16)), keys)
                .withAnnounced(null, nextReauth).withPhase(AkaPhase.REAUTHENTICATION).saveTo(conv);
        LOG.info("Phase 2: AKA Reauthentication: identity={} imsi={} counter={} ap={}", conv.identity(), imsi, counter,
                conv.nas().nasIp());
        return new EapStep.Continue(packet);
    }

    private CompletionStage<EapStep> onReauthResponse(EapConversation conv, byte[] packet, SimAkaMessage m) {
        AkaState state = AkaState.of(conv);
        if (!SimAkaCrypto.verify(settings.akaPrime(), state.keys().kAut(), packet, macOffset(packet),
                state.reauth().nonceS())) {
            return fail(conv, "AT_MAC of the AKA-Reauthentication response does not verify");
        }
        Attribute iv = m.attribute(SimAkaMessage.AT_IV).orElse(null);
        Attribute encr = m.attribute(SimAkaMessage.AT_ENCR_DATA).orElse(null);
        if (iv == null || encr == null) {
            return fail(conv, "AKA-Reauthentication response without AT_IV/AT_ENCR_DATA");
        }
        SimAkaMessage inner = SimAkaCrypto.decryptedAttributes(SimAkaCrypto.decrypt(state.keys().kEncr(),
                SimAkaMessage.afterReserved(iv), SimAkaMessage.afterReserved(encr)));
        String imsi = state.imsi();
        if (inner.has(SimAkaMessage.AT_COUNTER_TOO_SMALL)) {
            // RFC 4187 5.5: fall back to full authentication; ask for a full-auth identity as hostapd does.
            LOG.info("Peer {} reports its re-authentication counter too small: full authentication", conv.identity());
            state.withIdentityRequest(-1).saveTo(conv);
            return identityRequest(conv, -1, SimAkaMessage.AT_FULLAUTH_ID_REQ, "re-authentication counter too small");
        }
        int counter = state.reauth().counter();
        Attribute echoed = inner.attribute(SimAkaMessage.AT_COUNTER).orElse(null);
        if (echoed == null || SimAkaMessage.shortOf(echoed) != counter) {
            return fail(conv, "AKA-Reauthentication response with a wrong AT_COUNTER");
        }
        commitNextIdentities(state, imsi, counter);
        byte[] sessionId = concat(new byte[]{(byte) settings.type()}, state.reauth().nonceS(),
                state.reauth().requestMac());
        stats.success.increment();
        stats.fastReauth.increment();
        LOG.debug("Re-authentication verified: identity={} imsi={} method={} counter={} ap={}",
                conv.identity(), imsi, settings.methodName(), counter, conv.nas().nasIp());
        return CompletableFuture.completedFuture(new EapStep.Success(new EapAuthentication(imsi, conv.identity(),
                settings.methodName(), true, state.keys().msk(), state.keys().emsk(), sessionId)));
    }

    // ---------------------------------------------------------------- responses

    @Override
    public CompletionStage<EapStep> process(EapConversation conv, byte[] response) {
        AkaPhase phase = AkaState.of(conv).phase();
        if (phase == AkaPhase.FAILURE_NOTIFICATION) {
            // Whatever the peer answers to a failure notification, the conversation ends (RFC 4187 6.3.1).
            String failure = AkaState.of(conv).failure();
            Rejection why = conv.rejection();
            return CompletableFuture.completedFuture(why != null ? new EapStep.Failure(why)
                    : new EapStep.Failure(settings.methodName() + ": " + (failure == null ? "" : failure)));
        }
        SimAkaMessage m;
        try {
            m = SimAkaMessage.decode(EapPacket.decode(response).typeData());
        } catch (IllegalArgumentException e) {
            LOG.warn("Failed to decode EAP message from {} ({}): {}", conv.nas().nasIp(), conv.identity(),
                    e.getMessage());
            return fail(conv, "malformed " + settings.methodName() + " response: " + e.getMessage());
        }
        try {
            return switch (m.subtype()) {
                case SimAkaMessage.IDENTITY -> onIdentity(conv, m, response);
                case SimAkaMessage.NOTIFICATION -> phase == AkaPhase.SUCCESS_NOTIFICATION
                        ? CompletableFuture.completedFuture(onSuccessNotificationResponse(conv, response))
                        : fail(conv, "AKA-Notification response without a notification");
                case SimAkaMessage.CHALLENGE -> phase == AkaPhase.CHALLENGE
                        ? CompletableFuture.completedFuture(onChallengeResponse(conv, response, m))
                        : fail(conv, "AKA-Challenge response outside a challenge");
                case SimAkaMessage.SYNCHRONIZATION_FAILURE -> phase == AkaPhase.CHALLENGE
                        ? onSynchronizationFailure(conv, m)
                        : fail(conv, "Synchronization-Failure outside a challenge");
                case SimAkaMessage.REAUTHENTICATION -> phase == AkaPhase.REAUTHENTICATION
                        ? onReauthResponse(conv, response, m)
                        : fail(conv, "AKA-Reauthentication response outside a re-authentication");
                case SimAkaMessage.AUTHENTICATION_REJECT -> {
                    conv.trace(TraceStep.Kind.RESPONSE_CHECKED, "phone sent Authentication-Reject: AUTN did not verify");
                    yield fail(conv, RejectReason.AUTH_MISMATCH,
                            "peer sent Authentication-Reject (AUTN did not verify: wrong Ki/OPc or not our network)");
                }
                case SimAkaMessage.CLIENT_ERROR -> fail(conv, "peer sent Client-Error code "
                        + m.attribute(SimAkaMessage.AT_CLIENT_ERROR_CODE).map(SimAkaMessage::shortOf).orElse(-1));
                default -> {
                    LOG.warn("Unknown EAP-AKA subtype {} from {}", m.subtype(), conv.identity());
                    yield fail(conv, "unknown EAP-AKA subtype " + m.subtype());
                }
            };
        } catch (IllegalArgumentException e) {
            LOG.warn("Failed to decode EAP message from {} ({}): {}", conv.nas().nasIp(), conv.identity(),
                    e.getMessage());
            return fail(conv, "malformed " + settings.methodName() + " response: " + e.getMessage());
        }
    }

    private CompletionStage<EapStep> onIdentity(EapConversation conv, SimAkaMessage m, byte[] response) {
        AkaState state = AkaState.of(conv);
        if (state.phase() != AkaPhase.IDENTITY) {
            return fail(conv, "AKA-Identity response without a request");
        }
        Attribute id = m.attribute(SimAkaMessage.AT_IDENTITY).orElse(null);
        if (id == null) {
            return fail(conv, "AKA-Identity response without AT_IDENTITY");
        }
        state = state.withIdentityMessage(response).withKeyIdentity(null).saveTo(conv);
        String identity = new String(SimAkaMessage.lengthPrefixedData(id), StandardCharsets.UTF_8);
        if (EncryptedIdentity.isEncrypted(identity)) {
            LOG.info("Phase 1: Identity Response (AT_IDENTITY): identity={} ap={}",
                    EncryptedIdentity.describe(identity), conv.nas().nasIp());
            return fromEncryptedIdentity(conv, identity);
        }
        // The identity for key derivation is now the one in AT_IDENTITY (RFC 4187 7).
        conv.identity(identity);
        LOG.info("Phase 1: Identity Response (AT_IDENTITY): identity={} ap={}", identity, conv.nas().nasIp());
        return fromIdentity(conv, identity, state.identityRequest());
    }

    // ---------------------------------------------------------------- identities we hand out

    private void addNextIdentities(EapConversation conv, List<Attribute> attrs, byte[] kEncr, String imsi,
                                   boolean full) {
        List<Attribute> inner = new ArrayList<>();
        String pseudonym = null;
        if (settings.pseudonyms() && full) {
            pseudonym = identities.newPseudonym(settings.method());
            inner.add(SimAkaMessage.lengthPrefixed(SimAkaMessage.AT_NEXT_PSEUDONYM, pseudonym));
        }
        String reauth = newReauthIdentity(conv);
        if (reauth != null) {
            inner.add(SimAkaMessage.lengthPrefixed(SimAkaMessage.AT_NEXT_REAUTH_ID, reauth));
        }
        AkaState.of(conv).withAnnounced(pseudonym, reauth).saveTo(conv);
        if (!inner.isEmpty()) {
            byte[] iv = randomBytes(16);
            attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_IV, iv));
            attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_ENCR_DATA,
                    SimAkaCrypto.encrypt(kEncr, iv, SimAkaCrypto.encryptedAttributes(inner.toArray(new Attribute[0])))));
        }
    }

    private String newReauthIdentity(EapConversation conv) {
        if (!settings.fastReauth()) {
            return null;
        }
        String realm = settings.realm();
        if (realm == null || realm.isBlank()) {
            int at = conv.identity().indexOf('@');
            realm = at >= 0 ? conv.identity().substring(at + 1) : "";
        }
        return identities.newReauthIdentity(settings.method(), realm);
    }

    /** After success, the identities announced in this exchange become valid. */
    private void commitNextIdentities(AkaState state, String imsi, int counter) {
        try {
            String reauth = state.nextReauthId();
            ReauthContext ctx = reauth == null ? null : new ReauthContext(imsi, settings.type(), counter,
                    state.keys().kAut(), state.keys().kEncr(), state.keys().reauthKey());
            identities.commit(imsi, settings.method(), state.nextPseudonym(), reauth, ctx);
        } catch (IllegalStateException full) {
            LOG.warn("Could not keep pseudonym/re-auth identity for {}: {}", imsi, full.getMessage());
        }
    }

    private String pseudonymImsi(PeerIdentity id) {
        if (!settings.pseudonyms()) {
            return null;
        }
        return identities.imsiOfPseudonym(id);
    }

    // ---------------------------------------------------------------- helpers

    /** SHA-1 (EAP-AKA) or SHA-256 (EAP-AKA') of the AKA-Identity messages; empty when there were none. */
    private byte[] checkcode(EapConversation conv) {
        return SimAkaCrypto.checkcode(settings.akaPrime(), AkaState.of(conv).identityMessages());
    }

    private byte[] signedRequest(EapConversation conv, int subtype, List<Attribute> attrs, byte[] kAut,
                                 byte[] extra) {
        byte[] packet = EapPacket.request(conv.nextIdentifier(), settings.type(),
                new SimAkaMessage(subtype, attrs).encode()).encode();
        SimAkaCrypto.sign(settings.akaPrime(), kAut, packet, macOffset(packet), extra);
        return packet;
    }

    private static int macOffset(byte[] eapPacket) {
        return SimAkaCrypto.macOffset(eapPacket);
    }

    private EapStep vectorFailure(EapConversation conv, String imsi, Throwable e) {
        Throwable cause = Futures.unwrap(e);
        String reason = cause instanceof VectorSourceException vse
                ? vse.reason() + ": " + vse.getMessage() : cause.toString();
        conv.trace(TraceStep.Kind.VECTORS_ANSWER, "failed: " + reason);
        if (cause instanceof VectorSourceException vse) {
            return failNow(conv, new Rejection(RejectReason.of(vse.reason()), vse.resultCode(),
                    "no vector for " + imsi + " (" + reason + ")"));
        }
        return failNow(conv, RejectReason.HSS_ERROR, "no vector for " + imsi + " (" + reason + ")");
    }

    /** A failure the peer caused. */
    private CompletionStage<EapStep> fail(EapConversation conv, String reason) {
        return fail(conv, RejectReason.PEER_ERROR, reason);
    }

    private CompletionStage<EapStep> fail(EapConversation conv, RejectReason why, String reason) {
        return CompletableFuture.completedFuture(failNow(conv, why, reason));
    }

    private EapStep failNow(EapConversation conv, String reason) {
        return failNow(conv, RejectReason.PEER_ERROR, reason);
    }

    private EapStep failNow(EapConversation conv, RejectReason why, String reason) {
        return failNow(conv, Rejection.of(why, reason));
    }

    private EapStep failNow(EapConversation conv, Rejection rejection) {
        stats.reject.increment();
        // The EAP engine logs "Authentication REJECTED" with this reason; here only the method's detail.
        LOG.debug("{} failure: identity={} ap={} reason={}", settings.methodName(), conv.identity(),
                conv.nas().nasIp(), rejection);
        return new EapStep.Failure(new Rejection(rejection.reason(), rejection.resultCode(),
                settings.methodName() + ": " + rejection.detail()));
    }

    /**
     * After a challenge the peer's response did not authenticate: EAP-Request/AKA-Notification "General failure"
     * (16384: P bit set, as no authentication succeeded, so no AT_MAC), then EAP-Failure on its acknowledgement
     * (RFC 4187 6.3.1, as hostapd's server does).
     */
    private EapStep failureNotification(EapConversation conv, RejectReason why, String reason) {
        return failureNotification(conv, why, reason, GENERAL_FAILURE);
    }

    private EapStep failureNotification(EapConversation conv, RejectReason why, String reason, int code) {
        stats.reject.increment();
        conv.rejection(Rejection.of(why, settings.methodName() + ": " + reason));
        conv.trace(TraceStep.Kind.RESPONSE_CHECKED, "failed: " + reason);
        conv.trace(TraceStep.Kind.CHALLENGE_SENT, code == GENERAL_FAILURE ? "AKA-Notification General failure"
                : "AKA-Notification " + code);
        LOG.info("{} failure after the challenge, notifying the peer: identity={} ap={} reason={}",
                settings.methodName(), conv.identity(), conv.nas().nasIp(), reason);
        AkaState.of(conv).withFailure(reason).withPhase(AkaPhase.FAILURE_NOTIFICATION).saveTo(conv);
        byte[] packet = EapPacket.request(conv.nextIdentifier(), settings.type(), new SimAkaMessage(
                SimAkaMessage.NOTIFICATION, List.of(SimAkaMessage.shortValue(SimAkaMessage.AT_NOTIFICATION,
                code))).encode()).encode();
        return new EapStep.Continue(packet);
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }
}
