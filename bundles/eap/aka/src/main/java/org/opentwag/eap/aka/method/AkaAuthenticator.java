package org.opentwag.eap.aka.method;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.api.eap.EapStep;
import org.opentwag.api.eap.PeerIdentity;
import org.opentwag.api.state.StateStore;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.api.vectors.VectorSourceException;
import org.opentwag.eap.aka.protocol.AkaCrypto;
import org.opentwag.eap.aka.protocol.AkaMessage;
import org.opentwag.eap.aka.protocol.AkaMessage.Attribute;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of EAP-AKA (RFC 4187) and EAP-AKA' (RFC 5448), one state machine for both: an optional
 * AKA-Identity round, the AKA-Challenge with the vector from the HSS, RES checked against XRES here,
 * resynchronisation after Synchronization-Failure, and fast re-authentication. Everything a conversation needs
 * between two packets is kept in {@link EapConversation#data()}; re-authentication contexts and pseudonyms live in
 * the {@link StateStore}, so this object can be replaced at any time.
 */
public final class AkaAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(AkaAuthenticator.class);

    /** StateStore maps. */
    public static final String REAUTH_MAP = "aka.reauth";
    public static final String PSEUDONYM_MAP = "aka.pseudonym";

    /** AT_NOTIFICATION codes (RFC 4187 10.19): S bit = success, P bit = before authentication. */
    static final int GENERAL_FAILURE = 16384;
    static final int SUCCESS = 32768;

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
            return akaPrime ? "EAP-AKA'" : "EAP-AKA";
        }
    }

    private final Settings settings;
    private final Supplier<AuthVectorSource> vectors;
    private final Supplier<StateStore> store;
    private final AkaStatistics stats;
    private final SecureRandom random = new SecureRandom();

    /** How long a conversation waits for an absent vector source (a bundle:update of it takes well under this). */
    static final long SOURCE_WAIT_MILLIS = 2_000;
    private static final long SOURCE_POLL_MILLIS = 25;

    public AkaAuthenticator(Settings settings, Supplier<AuthVectorSource> vectors, Supplier<StateStore> store,
                            AkaStatistics stats) {
        this.settings = settings;
        this.vectors = vectors;
        this.store = store;
        this.stats = stats;
    }

    public Settings settings() {
        return settings;
    }

    /** Whether an identity belongs to this method (its 3GPP prefix). */
    public boolean accepts(String identity) {
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

    public CompletionStage<EapStep> start(EapConversation conv) {
        stats.identity.increment();
        LOG.info("Phase 1: Identity Response: identity={} method={} ap={}", conv.identity(), settings.methodName(),
                conv.nas().nasIp());
        return fromIdentity(conv, conv.identity(), AkaMessage.AT_ANY_ID_REQ);
    }

    /** Decides what an identity allows: fast re-authentication, full authentication, or asking for a better one. */
    private CompletionStage<EapStep> fromIdentity(EapConversation conv, String identity, int lastRequest) {
        PeerIdentity id;
        try {
            id = PeerIdentity.parse(identity);
        } catch (IllegalArgumentException e) {
            return identityRequest(conv, lastRequest, AkaMessage.AT_ANY_ID_REQ, "malformed identity");
        }
        switch (id.kind()) {
            case PERMANENT:
                return fullAuthentication(conv, id.imsi().orElseThrow());
            case PSEUDONYM: {
                String imsi = pseudonymImsi(id);
                if (imsi != null) {
                    return fullAuthentication(conv, imsi);
                }
                return identityRequest(conv, lastRequest, AkaMessage.AT_PERMANENT_ID_REQ, "unknown pseudonym");
            }
            case FAST_REAUTH: {
                if (settings.fastReauth() && store.get() != null && lastRequest != AkaMessage.AT_FULLAUTH_ID_REQ
                        && lastRequest != AkaMessage.AT_PERMANENT_ID_REQ) {
                    ReauthContext ctx = ReauthContext.decode(
                            store.get().remove(REAUTH_MAP, identity, Serializable.class));
                    if (ctx != null && ctx.methodType() == settings.type()) {
                        int counter = ctx.counter() + 1;
                        if (counter <= settings.maxReauthCounter()) {
                            return CompletableFuture.completedFuture(reauthRequest(conv, ctx, counter));
                        }
                        LOG.info("Fast re-authentication limit reached for {}: full authentication", identity);
                    }
                }
                return identityRequest(conv, lastRequest, AkaMessage.AT_FULLAUTH_ID_REQ, "unknown re-auth identity");
            }
            default:
                return identityRequest(conv, lastRequest, AkaMessage.AT_ANY_ID_REQ, "identity without AKA prefix");
        }
    }

    /**
     * Sends EAP-Request/AKA-Identity asking for {@code wanted}, unless an equally or more demanding request was
     * already sent (RFC 4187 4.1.6: ANY, then FULLAUTH, then PERMANENT; never the same twice).
     */
    private CompletionStage<EapStep> identityRequest(EapConversation conv, int already, int wanted, String why) {
        int rank = rank(wanted);
        if (conv.data().containsKey("idreq") && rank <= rank(toInt(conv.data().get("idreq")))) {
            rank = rank(toInt(conv.data().get("idreq"))) + 1;
        }
        if (rank > 2) {
            return fail(conv, "no usable identity after AKA-Identity rounds (" + why + ")");
        }
        int attr = rank == 0 ? AkaMessage.AT_ANY_ID_REQ : rank == 1 ? AkaMessage.AT_FULLAUTH_ID_REQ
                : AkaMessage.AT_PERMANENT_ID_REQ;
        conv.data().put("idreq", intBytes(attr));
        conv.phase("identity");
        byte[] packet = EapPacket.request(conv.nextIdentifier(), settings.type(),
                new AkaMessage(AkaMessage.IDENTITY, List.of(AkaMessage.flag(attr))).encode()).encode();
        recordIdentityMessage(conv, packet);
        LOG.debug("AKA-Identity request ({}) to {}: {}", attr, conv.identity(), why);
        return CompletableFuture.completedFuture(new EapStep.Continue(packet));
    }

    private static int rank(int attr) {
        return attr == AkaMessage.AT_ANY_ID_REQ ? 0 : attr == AkaMessage.AT_FULLAUTH_ID_REQ ? 1 : 2;
    }

    // ---------------------------------------------------------------- full authentication

    private CompletionStage<EapStep> fullAuthentication(EapConversation conv, String imsi) {
        return vectorSource().thenCompose(source -> {
            if (source == null) {
                return fail(conv, "no vector source '" + settings.vectorSourceName() + "'");
            }
            VectorRequest req = new VectorRequest(imsi, scheme(), settings.networkName());
            conv.data().put("imsi", imsi.getBytes(StandardCharsets.US_ASCII));
            return source.fetch(req)
                    .thenApply(v -> challenge(conv, imsi, v))
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
        return awaitSource(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SOURCE_WAIT_MILLIS));
    }

    private CompletionStage<AuthVectorSource> awaitSource(long deadlineNanos) {
        return CompletableFuture.supplyAsync(vectors, CompletableFuture.delayedExecutor(SOURCE_POLL_MILLIS,
                TimeUnit.MILLISECONDS)).thenCompose(s -> s != null || System.nanoTime() >= deadlineNanos
                ? CompletableFuture.completedFuture(s) : awaitSource(deadlineNanos));
    }

    private AuthScheme scheme() {
        return settings.akaPrime() ? AuthScheme.EAP_AKA_PRIME : AuthScheme.EAP_AKA;
    }

    private EapStep challenge(EapConversation conv, String imsi, AuthVector v) {
        String identity = conv.identity();
        AkaCrypto.Keys keys = settings.akaPrime()
                ? AkaCrypto.akaPrimeFull(identity, v.ck(), v.ik())
                : AkaCrypto.akaFull(identity, v.ik(), v.ck());
        Map<String, byte[]> d = conv.data();
        d.put("rand", v.rand());
        d.put("autn", v.autn());
        d.put("xres", v.xres());
        d.put("k_aut", keys.kAut());
        d.put("k_encr", keys.kEncr());
        d.put("k_re", keys.reauthKey());
        d.put("msk", keys.msk());
        d.put("emsk", keys.emsk());

        List<Attribute> attrs = new ArrayList<>();
        attrs.add(AkaMessage.reservedThen(AkaMessage.AT_RAND, v.rand()));
        attrs.add(AkaMessage.reservedThen(AkaMessage.AT_AUTN, v.autn()));
        if (settings.akaPrime()) {
            attrs.add(AkaMessage.lengthPrefixed(AkaMessage.AT_KDF_INPUT, settings.networkName()));
            attrs.add(AkaMessage.shortValue(AkaMessage.AT_KDF, 1));
        } else if (settings.biddingDown()) {
            // The D bit tells a peer that supports EAP-AKA' that we do too, so it can detect a bidding-down attack.
            attrs.add(AkaMessage.shortValue(AkaMessage.AT_BIDDING, 0x8000));
        }
        addNextIdentities(conv, attrs, keys.kEncr(), imsi, true);
        // AT_CHECKCODE protects the AKA-Identity round (if any) against tampering (RFC 4187 10.13).
        attrs.add(AkaMessage.reservedThen(AkaMessage.AT_CHECKCODE, checkcode(conv)));
        if (settings.resultIndication()) {
            attrs.add(AkaMessage.flag(AkaMessage.AT_RESULT_IND));
        }
        attrs.add(AkaMessage.reservedThen(AkaMessage.AT_MAC, new byte[16]));
        byte[] packet = signedRequest(conv, AkaMessage.CHALLENGE, attrs, keys.kAut(), null);
        conv.phase("challenge");
        stats.challenge.increment();
        LOG.info("Phase 2: AKA Challenge: identity={} imsi={} method={} ap={}", identity, imsi, settings.methodName(),
                conv.nas().nasIp());
        return new EapStep.Continue(packet);
    }

    private EapStep onChallengeResponse(EapConversation conv, byte[] packet, AkaMessage m) {
        Map<String, byte[]> d = conv.data();
        if (!AkaCrypto.verify(settings.akaPrime(), d.get("k_aut"), packet, macOffset(packet), null)) {
            return failureNotification(conv, "AT_MAC of the AKA-Challenge response does not verify");
        }
        Attribute resAttr = m.attribute(AkaMessage.AT_RES).orElse(null);
        if (resAttr == null) {
            return failureNotification(conv, "AKA-Challenge response without AT_RES");
        }
        byte[] res = AkaMessage.resOf(resAttr);
        if (!MessageDigest.isEqual(res, d.get("xres"))) {
            // Never log RES or XRES values: XRES is key material until the exchange is over.
            LOG.warn("RES verification failed: identity={} ap={}", conv.identity(), conv.nas().nasIp());
            return failureNotification(conv, "RES verification failed");
        }
        Attribute checkcode = m.attribute(AkaMessage.AT_CHECKCODE).orElse(null);
        if (checkcode != null && !MessageDigest.isEqual(AkaMessage.afterReserved(checkcode), checkcode(conv))) {
            return failureNotification(conv, "AT_CHECKCODE does not match the AKA-Identity messages exchanged");
        }
        if (settings.resultIndication() && m.has(AkaMessage.AT_RESULT_IND)) {
            // Protected success indication: AKA-Notification "Success" with AT_MAC, then EAP-Success.
            List<Attribute> attrs = new ArrayList<>();
            attrs.add(AkaMessage.shortValue(AkaMessage.AT_NOTIFICATION, SUCCESS));
            attrs.add(AkaMessage.reservedThen(AkaMessage.AT_MAC, new byte[16]));
            byte[] notification = signedRequest(conv, AkaMessage.NOTIFICATION, attrs, d.get("k_aut"), null);
            conv.phase("success-notification");
            return new EapStep.Continue(notification);
        }
        return challengeSucceeded(conv);
    }

    private EapStep onSuccessNotificationResponse(EapConversation conv, byte[] packet) {
        if (!AkaCrypto.verify(settings.akaPrime(), conv.data().get("k_aut"), packet, macOffset(packet), null)) {
            return failNow(conv, "AT_MAC of the AKA-Notification response does not verify");
        }
        return challengeSucceeded(conv);
    }

    private EapStep challengeSucceeded(EapConversation conv) {
        Map<String, byte[]> d = conv.data();
        String imsi = new String(d.get("imsi"), StandardCharsets.US_ASCII);
        commitNextIdentities(conv, imsi, 0);
        byte[] sessionId = concat(new byte[]{(byte) settings.type()}, d.get("rand"), d.get("autn"));
        stats.success.increment();
        LOG.debug("Challenge verified: identity={} imsi={} method={} ap={}", conv.identity(), imsi,
                settings.methodName(), conv.nas().nasIp());
        return new EapStep.Success(new EapAuthentication(imsi, conv.identity(), settings.methodName(), false,
                d.get("msk"), d.get("emsk"), sessionId));
    }

    private CompletionStage<EapStep> onSynchronizationFailure(EapConversation conv, AkaMessage m) {
        stats.syncFailure.increment();
        Map<String, byte[]> d = conv.data();
        if (d.containsKey("resynced")) {
            return fail(conv, "second Synchronization-Failure in one conversation");
        }
        Attribute auts = m.attribute(AkaMessage.AT_AUTS).orElse(null);
        if (auts == null || auts.value().length != 14) {
            return fail(conv, "Synchronization-Failure without a valid AT_AUTS");
        }
        return vectorSource().thenCompose(source -> {
            if (source == null) {
                return fail(conv, "no vector source '" + settings.vectorSourceName() + "'");
            }
            d.put("resynced", new byte[]{1});
            String imsi = new String(d.get("imsi"), StandardCharsets.US_ASCII);
            LOG.info("Sequence number synchronization required: identity={} imsi={}", conv.identity(), imsi);
            return source.resynchronize(new VectorRequest(imsi, scheme(), settings.networkName()), d.get("rand"),
                            auts.value())
                    .thenApply(v -> challenge(conv, imsi, v))
                    .exceptionally(e -> vectorFailure(conv, imsi, e));
        });
    }

    // ---------------------------------------------------------------- fast re-authentication

    private EapStep reauthRequest(EapConversation conv, ReauthContext ctx, int counter) {
        Map<String, byte[]> d = conv.data();
        byte[] nonceS = randomBytes(16);
        d.put("imsi", ctx.imsi().getBytes(StandardCharsets.US_ASCII));
        d.put("k_aut", ctx.kAut());
        d.put("k_encr", ctx.kEncr());
        d.put("k_re", ctx.kRe());
        d.put("nonce_s", nonceS);
        d.put("counter", intBytes(counter));
        byte[][] msk = settings.akaPrime()
                ? AkaCrypto.akaPrimeReauth(conv.identity(), counter, nonceS, ctx.kRe())
                : AkaCrypto.akaReauth(conv.identity(), counter, nonceS, ctx.kRe());
        d.put("msk", msk[0]);
        d.put("emsk", msk[1]);

        List<Attribute> inner = new ArrayList<>();
        inner.add(AkaMessage.shortValue(AkaMessage.AT_COUNTER, counter));
        inner.add(AkaMessage.reservedThen(AkaMessage.AT_NONCE_S, nonceS));
        String imsi = ctx.imsi();
        List<Attribute> attrs = new ArrayList<>();
        String nextReauth = newReauthIdentity(conv);
        if (nextReauth != null) {
            inner.add(AkaMessage.lengthPrefixed(AkaMessage.AT_NEXT_REAUTH_ID, nextReauth));
            d.put("next_reauth", nextReauth.getBytes(StandardCharsets.UTF_8));
        }
        byte[] iv = randomBytes(16);
        attrs.add(AkaMessage.reservedThen(AkaMessage.AT_IV, iv));
        attrs.add(AkaMessage.reservedThen(AkaMessage.AT_ENCR_DATA, AkaCrypto.encrypt(ctx.kEncr(), iv,
                AkaCrypto.encryptedAttributes(inner.toArray(new Attribute[0])))));
        attrs.add(AkaMessage.reservedThen(AkaMessage.AT_MAC, new byte[16]));
        byte[] packet = signedRequest(conv, AkaMessage.REAUTHENTICATION, attrs, ctx.kAut(), null);
        int off = macOffset(packet);
        d.put("reauth_mac", Arrays.copyOfRange(packet, off, off + 16));
        conv.phase("reauthentication");
        LOG.info("Phase 2: AKA Reauthentication: identity={} imsi={} counter={} ap={}", conv.identity(), imsi, counter,
                conv.nas().nasIp());
        return new EapStep.Continue(packet);
    }

    private CompletionStage<EapStep> onReauthResponse(EapConversation conv, byte[] packet, AkaMessage m) {
        Map<String, byte[]> d = conv.data();
        if (!AkaCrypto.verify(settings.akaPrime(), d.get("k_aut"), packet, macOffset(packet), d.get("nonce_s"))) {
            return fail(conv, "AT_MAC of the AKA-Reauthentication response does not verify");
        }
        Attribute iv = m.attribute(AkaMessage.AT_IV).orElse(null);
        Attribute encr = m.attribute(AkaMessage.AT_ENCR_DATA).orElse(null);
        if (iv == null || encr == null) {
            return fail(conv, "AKA-Reauthentication response without AT_IV/AT_ENCR_DATA");
        }
        AkaMessage inner = AkaCrypto.decryptedAttributes(AkaCrypto.decrypt(d.get("k_encr"),
                AkaMessage.afterReserved(iv), AkaMessage.afterReserved(encr)));
        String imsi = new String(d.get("imsi"), StandardCharsets.US_ASCII);
        if (inner.has(AkaMessage.AT_COUNTER_TOO_SMALL)) {
            // RFC 4187 5.5: fall back to full authentication; ask for a full-auth identity as hostapd does.
            LOG.info("Peer {} reports its re-authentication counter too small: full authentication", conv.identity());
            conv.data().remove("idreq");
            return identityRequest(conv, -1, AkaMessage.AT_FULLAUTH_ID_REQ, "re-authentication counter too small");
        }
        int counter = toInt(d.get("counter"));
        Attribute echoed = inner.attribute(AkaMessage.AT_COUNTER).orElse(null);
        if (echoed == null || AkaMessage.shortOf(echoed) != counter) {
            return fail(conv, "AKA-Reauthentication response with a wrong AT_COUNTER");
        }
        commitNextIdentities(conv, imsi, counter);
        byte[] sessionId = concat(new byte[]{(byte) settings.type()}, d.get("nonce_s"), d.get("reauth_mac"));
        stats.success.increment();
        stats.fastReauth.increment();
        LOG.debug("Re-authentication verified: identity={} imsi={} method={} counter={} ap={}",
                conv.identity(), imsi, settings.methodName(), counter, conv.nas().nasIp());
        return CompletableFuture.completedFuture(new EapStep.Success(new EapAuthentication(imsi, conv.identity(),
                settings.methodName(), true, d.get("msk"), d.get("emsk"), sessionId)));
    }

    // ---------------------------------------------------------------- responses

    public CompletionStage<EapStep> process(EapConversation conv, byte[] response) {
        if ("failure-notification".equals(conv.phase())) {
            // Whatever the peer answers to a failure notification, the conversation ends (RFC 4187 6.3.1).
            return CompletableFuture.completedFuture(new EapStep.Failure(settings.methodName() + ": "
                    + new String(conv.data().getOrDefault("failure", new byte[0]), StandardCharsets.UTF_8)));
        }
        AkaMessage m;
        try {
            m = AkaMessage.decode(EapPacket.decode(response).typeData());
        } catch (IllegalArgumentException e) {
            LOG.warn("Failed to decode EAP message from {} ({}): {}", conv.nas().nasIp(), conv.identity(),
                    e.getMessage());
            return fail(conv, "malformed " + settings.methodName() + " response: " + e.getMessage());
        }
        try {
            return switch (m.subtype()) {
                case AkaMessage.IDENTITY -> onIdentity(conv, m, response);
                case AkaMessage.NOTIFICATION -> "success-notification".equals(conv.phase())
                        ? CompletableFuture.completedFuture(onSuccessNotificationResponse(conv, response))
                        : fail(conv, "AKA-Notification response without a notification");
                case AkaMessage.CHALLENGE -> "challenge".equals(conv.phase())
                        ? CompletableFuture.completedFuture(onChallengeResponse(conv, response, m))
                        : fail(conv, "AKA-Challenge response outside a challenge");
                case AkaMessage.SYNCHRONIZATION_FAILURE -> "challenge".equals(conv.phase())
                        ? onSynchronizationFailure(conv, m)
                        : fail(conv, "Synchronization-Failure outside a challenge");
                case AkaMessage.REAUTHENTICATION -> "reauthentication".equals(conv.phase())
                        ? onReauthResponse(conv, response, m)
                        : fail(conv, "AKA-Reauthentication response outside a re-authentication");
                case AkaMessage.AUTHENTICATION_REJECT ->
                        fail(conv, "peer sent Authentication-Reject (AUTN did not verify: wrong Ki/OPc or not our network)");
                case AkaMessage.CLIENT_ERROR -> fail(conv, "peer sent Client-Error code "
                        + m.attribute(AkaMessage.AT_CLIENT_ERROR_CODE).map(AkaMessage::shortOf).orElse(-1));
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

    private CompletionStage<EapStep> onIdentity(EapConversation conv, AkaMessage m, byte[] response) {
        if (!"identity".equals(conv.phase())) {
            return fail(conv, "AKA-Identity response without a request");
        }
        Attribute id = m.attribute(AkaMessage.AT_IDENTITY).orElse(null);
        if (id == null) {
            return fail(conv, "AKA-Identity response without AT_IDENTITY");
        }
        recordIdentityMessage(conv, response);
        String identity = new String(AkaMessage.lengthPrefixedData(id), StandardCharsets.UTF_8);
        // The identity for key derivation is now the one in AT_IDENTITY (RFC 4187 7).
        conv.identity(identity);
        LOG.info("Phase 1: Identity Response (AT_IDENTITY): identity={} ap={}", identity, conv.nas().nasIp());
        return fromIdentity(conv, identity, toInt(conv.data().get("idreq")));
    }

    // ---------------------------------------------------------------- identities we hand out

    private void addNextIdentities(EapConversation conv, List<Attribute> attrs, byte[] kEncr, String imsi,
                                   boolean full) {
        List<Attribute> inner = new ArrayList<>();
        if (settings.pseudonyms() && full) {
            String pseudonym = (settings.akaPrime() ? "7" : "2") + HexFormat.of().formatHex(randomBytes(10));
            inner.add(AkaMessage.lengthPrefixed(AkaMessage.AT_NEXT_PSEUDONYM, pseudonym));
            conv.data().put("next_pseudonym", pseudonym.getBytes(StandardCharsets.US_ASCII));
        }
        String reauth = newReauthIdentity(conv);
        if (reauth != null) {
            inner.add(AkaMessage.lengthPrefixed(AkaMessage.AT_NEXT_REAUTH_ID, reauth));
            conv.data().put("next_reauth", reauth.getBytes(StandardCharsets.UTF_8));
        }
        if (!inner.isEmpty()) {
            byte[] iv = randomBytes(16);
            attrs.add(AkaMessage.reservedThen(AkaMessage.AT_IV, iv));
            attrs.add(AkaMessage.reservedThen(AkaMessage.AT_ENCR_DATA,
                    AkaCrypto.encrypt(kEncr, iv, AkaCrypto.encryptedAttributes(inner.toArray(new Attribute[0])))));
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
        String user = (settings.akaPrime() ? "8" : "4") + HexFormat.of().formatHex(randomBytes(10));
        return realm.isEmpty() ? user : user + "@" + realm;
    }

    /** After success, the identities announced in this exchange become valid. */
    private void commitNextIdentities(EapConversation conv, String imsi, int counter) {
        Map<String, byte[]> d = conv.data();
        StateStore s = store.get();
        if (s == null) {
            return;
        }
        try {
            String pseudonym = d.containsKey("next_pseudonym")
                    ? new String(d.get("next_pseudonym"), StandardCharsets.US_ASCII) : null;
            String reauth = d.containsKey("next_reauth") ? new String(d.get("next_reauth"), StandardCharsets.UTF_8) : null;
            retirePrevious(s, imsi, pseudonym, reauth);
            if (pseudonym != null) {
                s.put(PSEUDONYM_MAP, pseudonym, imsi, settings.reauthLifetime());
            }
            if (d.containsKey("next_reauth")) {
                ReauthContext ctx = new ReauthContext(imsi, settings.type(), counter, d.get("k_aut"), d.get("k_encr"),
                        d.get("k_re"));
                s.put(REAUTH_MAP, new String(d.get("next_reauth"), StandardCharsets.UTF_8), ctx.encode(),
                        settings.reauthLifetime());
            }
        } catch (IllegalStateException full) {
            LOG.warn("Could not keep pseudonym/re-auth identity for {}: {}", imsi, full.getMessage());
        }
    }

    /** State-store map: IMSI|method type → the identities last handed out ("pseudonym\nreauth-id", either empty). */
    public static final String ISSUED_MAP = "aka.issued";
    /**
     * The peer keeps only the identities of its latest successful exchange (RFC 4187 4.1.1.7, 5.4), so the ones handed
     * out before are forgotten. A peer that missed the EAP-Success and still offers an old one is asked for its
     * permanent identity (pseudonym) or gets a full authentication (re-authentication identity), as for any unknown
     * identity. Without this the maps grow by one entry per authentication for the whole identity lifetime (12 h):
     * millions of entries, and a full heap, under sustained load.
     */
    private void retirePrevious(StateStore s, String imsi, String pseudonym, String reauth) {
        String key = imsi + '|' + settings.type();
        String previous = s.get(ISSUED_MAP, key, String.class);
        int nl = previous == null ? -1 : previous.indexOf('\n');
        String oldPseudonym = previous == null ? "" : nl < 0 ? previous : previous.substring(0, nl);
        String oldReauth = nl < 0 ? "" : previous.substring(nl + 1);
        // An exchange that hands out no new pseudonym (a fast re-authentication) leaves the current one in force.
        String pseudonymNow = pseudonym != null ? pseudonym : oldPseudonym;
        String reauthNow = reauth != null ? reauth : oldReauth;
        s.put(ISSUED_MAP, key, pseudonymNow + '\n' + reauthNow, settings.reauthLifetime());
        if (!oldPseudonym.isEmpty() && !oldPseudonym.equals(pseudonymNow)) {
            s.remove(PSEUDONYM_MAP, oldPseudonym, String.class);
        }
        if (!oldReauth.isEmpty() && !oldReauth.equals(reauthNow)) {
            s.remove(REAUTH_MAP, oldReauth, Serializable.class);
        }
    }

    private String pseudonymImsi(PeerIdentity id) {
        StateStore s = store.get();
        if (s == null || !settings.pseudonyms()) {
            return null;
        }
        int at = id.raw().indexOf('@');
        return s.get(PSEUDONYM_MAP, at < 0 ? id.raw() : id.raw().substring(0, at), String.class);
    }

    // ---------------------------------------------------------------- helpers

    /** Keeps every AKA-Identity request and response of this exchange, in order, for AT_CHECKCODE. */
    private static void recordIdentityMessage(EapConversation conv, byte[] packet) {
        byte[] previous = conv.data().getOrDefault("id_msgs", new byte[0]);
        conv.data().put("id_msgs", concat(previous, packet));
    }

    /** SHA-1 (EAP-AKA) or SHA-256 (EAP-AKA') of the AKA-Identity messages; empty when there were none. */
    private byte[] checkcode(EapConversation conv) {
        byte[] msgs = conv.data().get("id_msgs");
        if (msgs == null) {
            return new byte[0];
        }
        try {
            return MessageDigest.getInstance(settings.akaPrime() ? "SHA-256" : "SHA-1").digest(msgs);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] signedRequest(EapConversation conv, int subtype, List<Attribute> attrs, byte[] kAut,
                                 byte[] extra) {
        byte[] packet = EapPacket.request(conv.nextIdentifier(), settings.type(),
                new AkaMessage(subtype, attrs).encode()).encode();
        AkaCrypto.sign(settings.akaPrime(), kAut, packet, macOffset(packet), extra);
        return packet;
    }

    /** Offset of the 16 MAC bytes in a whole EAP packet (header 5 bytes, then Type-Data). */
    private static int macOffset(byte[] eapPacket) {
        byte[] typeData = Arrays.copyOfRange(eapPacket, 5, eapPacket.length);
        int off = AkaMessage.valueOffset(typeData, AkaMessage.AT_MAC);
        return off < 0 ? -1 : 5 + off + 2;
    }

    private EapStep vectorFailure(EapConversation conv, String imsi, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        String reason = cause instanceof VectorSourceException vse
                ? vse.reason() + ": " + vse.getMessage() : cause.toString();
        return failNow(conv, "no vector for " + imsi + " (" + reason + ")");
    }

    private CompletionStage<EapStep> fail(EapConversation conv, String reason) {
        return CompletableFuture.completedFuture(failNow(conv, reason));
    }

    private EapStep failNow(EapConversation conv, String reason) {
        stats.reject.increment();
        // The EAP engine logs "Authentication REJECTED" with this reason; here only the method's detail.
        LOG.debug("{} failure: identity={} ap={} reason={}", settings.methodName(), conv.identity(),
                conv.nas().nasIp(), reason);
        return new EapStep.Failure(settings.methodName() + ": " + reason);
    }

    /**
     * After a challenge the peer's response did not authenticate: EAP-Request/AKA-Notification "General failure"
     * (16384: P bit set, as no authentication succeeded, so no AT_MAC), then EAP-Failure on its acknowledgement
     * (RFC 4187 6.3.1, as hostapd's server does).
     */
    private EapStep failureNotification(EapConversation conv, String reason) {
        stats.reject.increment();
        LOG.info("{} failure after the challenge, notifying the peer: identity={} ap={} reason={}",
                settings.methodName(), conv.identity(), conv.nas().nasIp(), reason);
        conv.data().put("failure", reason.getBytes(StandardCharsets.UTF_8));
        conv.phase("failure-notification");
        byte[] packet = EapPacket.request(conv.nextIdentifier(), settings.type(), new AkaMessage(
                AkaMessage.NOTIFICATION, List.of(AkaMessage.shortValue(AkaMessage.AT_NOTIFICATION,
                GENERAL_FAILURE))).encode()).encode();
        return new EapStep.Continue(packet);
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] intBytes(int v) {
        return new byte[]{(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    private static int toInt(byte[] b) {
        if (b == null) {
            return -1;
        }
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
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
