package org.opentwag.eap.sim.method;

import org.opentwag.support.async.Futures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.eap.EapMethod;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.api.eap.EapStep;
import org.opentwag.support.simaka.EncryptedIdentity;
import org.opentwag.support.simaka.PeerIdentity;
import org.opentwag.eap.simaka.privacy.IdentityDecryptionException;
import org.opentwag.eap.simaka.privacy.IdentityDecryptor;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.api.trace.RejectReason;
import org.opentwag.api.trace.Rejection;
import org.opentwag.api.vectors.VectorSourceException;
import org.opentwag.eap.sim.protocol.GsmTriplet;
import org.opentwag.eap.simaka.identity.IdentityStore;
import org.opentwag.eap.simaka.identity.ReauthContext;
import org.opentwag.eap.simaka.protocol.SimAkaCrypto;
import org.opentwag.eap.simaka.protocol.SimAkaMessage;
import org.opentwag.eap.simaka.protocol.SimAkaMessage.Attribute;
import org.opentwag.eap.simaka.protocol.SimAkaMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of EAP-SIM (RFC 4186), after hostapd's eap_server_sim.c: SIM/Start rounds (version negotiation,
 * AT_NONCE_MT, identity requests), the SIM/Challenge with n = 2 or 3 GSM triplets made from n quintuplets of the
 * vector source (TS 33.102 c2/c3, {@link GsmTriplet}), fast re-authentication, pseudonyms, and protected result
 * indications. The SIM/AKA attribute format, the key derivation and the identity store are the shared layer's
 * (eap-sim-aka); what is SIM's own is here. Everything a conversation needs between two packets is one
 * {@link SimState}; this object holds none and can be replaced at any time.
 */
public final class SimAuthenticator implements EapMethod {

    private static final Logger LOG = LoggerFactory.getLogger(SimAuthenticator.class);
    private static final SimAkaMethod SIM = SimAkaMethod.SIM;

    /** The only EAP-SIM version (RFC 4186 10.2), as listed in AT_VERSION_LIST: the bytes MK is computed over. */
    static final int VERSION = 1;
    private static final byte[] VERSION_LIST = {0, VERSION};
    /** AT_NOTIFICATION codes (RFC 4186 10.18): S bit = success, P bit = before authentication. */
    static final int GENERAL_FAILURE = 16384;
    static final int SUCCESS = 32768;
    /**
     * AT_NOTIFICATION 16385 (P bit, before authentication): the encrypted identity named an unknown key or did not
     * decrypt. Android treats it, for EAP-SIM as for EAP-AKA, as "carrier certificate expired" and fetches the
     * carrier key again; other peers treat it as a failure.
     */
    static final int CERTIFICATE_EXPIRED = 16385;
    private static final int MAX_START_ROUNDS = 3;

    /**
     * Settings of the method.
     *
     * @param challenges       RANDs per challenge, 2 or 3 (RFC 4186 3: n = 2 or 3; 3 gives 192 bits of Kc)
     * @param pseudonyms       hand out pseudonyms (AT_NEXT_PSEUDONYM)
     * @param fastReauth       hand out fast re-authentication identities (AT_NEXT_REAUTH_ID)
     * @param maxReauthCounter after this many fast re-authentications a full one is required
     * @param realm            realm of the re-authentication identities; empty = the peer's realm
     * @param resultIndication offer protected result indications (AT_RESULT_IND, RFC 4186 6.2)
     * @param vectorSourceName the configured vector source, named when it is missing
     */
    public record Settings(int challenges, boolean pseudonyms, boolean fastReauth, int maxReauthCounter, String realm,
                           boolean resultIndication, String vectorSourceName) {
        public Settings {
            if (challenges != 2 && challenges != 3) {
                throw new IllegalArgumentException("EAP-SIM uses 2 or 3 RANDs per challenge, not " + challenges);
            }
        }
    }

    private final Settings settings;
    private final Supplier<AuthVectorSource> vectors;
    private final IdentityStore identities;
    private final SimStatistics stats;
    private final Consumer<byte[]> random;
    private volatile Supplier<IdentityDecryptor> privacy = () -> null;

    public SimAuthenticator(Settings settings, Supplier<AuthVectorSource> vectors, IdentityStore identities,
                            SimStatistics stats) {
        this(settings, vectors, identities, stats, new SecureRandom()::nextBytes);
    }

    /** The IMSI privacy keys (a supplier of null while there are none): encrypted identities are refused without. */
    public SimAuthenticator withPrivacy(Supplier<IdentityDecryptor> keys) {
        this.privacy = keys;
        return this;
    }

    /** With a given source of NONCE_S and IV bytes: tests replay RFC 4186 Appendix A with its published nonces. */
    SimAuthenticator(Settings settings, Supplier<AuthVectorSource> vectors, IdentityStore identities,
                     SimStatistics stats, Consumer<byte[]> random) {
        this.settings = settings;
        this.vectors = vectors;
        this.identities = identities;
        this.stats = stats;
        this.random = random;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public int type() {
        return SIM.eapType();
    }

    @Override
    public String name() {
        return SIM.methodName();
    }

    /** EAP-SIM's identities: permanent '1' + IMSI, its pseudonyms ('3') and re-authentication identities ('5'). */
    @Override
    public boolean accepts(String identity) {
        if (EncryptedIdentity.isEncrypted(identity)) {
            IdentityDecryptor d = privacy.get();
            return d != null && d.available();
        }
        if (PeerIdentity.isAnonymous(identity)) {
            return PeerIdentity.anonymousPrefix(identity) == SIM.permanentPrefix();
        }
        try {
            PeerIdentity id = PeerIdentity.parse(identity);
            return id.prefix() == SIM.pseudonymPrefix() || id.prefix() == SIM.reauthPrefix() || imsiOf(id) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The IMSI of a permanent EAP-SIM identity ('1' then 6 to 15 digits), else null. */
    static String imsiOf(PeerIdentity id) {
        if (id.prefix() != SIM.permanentPrefix()) {
            return null;
        }
        String v = id.value();
        if (v.length() < 6 || v.length() > 15 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return id.mcc().isPresent() && !v.startsWith(id.mcc().get()) ? null : v;
    }

    // ---------------------------------------------------------------- start

    @Override
    public CompletionStage<EapStep> start(EapConversation conv) {
        stats.identity.increment();
        String identity = conv.identity();
        if (EncryptedIdentity.isEncrypted(identity)) {
            LOG.info("EAP-SIM start: identity={} ap={}", EncryptedIdentity.describe(identity), conv.nas().nasIp());
            conv.identity("1anonymous");
            String permanent;
            try {
                permanent = decrypt(conv, identity);
            } catch (IdentityDecryptionException e) {
                return CompletableFuture.completedFuture(identityRefused(conv, SimState.started(0, null), e));
            }
            // MK derives from the permanent identity inside, as the peer's (RFC 4186 7 with IMSI privacy).
            conv.identity(permanent);
            return CompletableFuture.completedFuture(fromIdentity(conv, permanent, 0, 0));
        }
        LOG.info("EAP-SIM start: identity={} ap={}", identity, conv.nas().nasIp());
        if (PeerIdentity.isAnonymous(identity)) {
            // IMSI privacy: the phone sends its permanent identity, encrypted, in AT_IDENTITY.
            return CompletableFuture.completedFuture(startRound(conv, 0, SimAkaMessage.AT_PERMANENT_ID_REQ, null,
                    "anonymous identity"));
        }
        return CompletableFuture.completedFuture(fromIdentity(conv, identity, 0, 0));
    }

    /**
     * What an identity allows (RFC 4186 4.2): a fast re-authentication, a full one, or a SIM/Start asking for a better
     * identity, never going back down the AT_ANY_ID_REQ → AT_FULLAUTH_ID_REQ → AT_PERMANENT_ID_REQ order.
     *
     * @param lastRequest the identity request the identity answered (0 for the EAP-Response/Identity)
     * @param rounds      SIM/Start rounds already sent
     */
    private EapStep fromIdentity(EapConversation conv, String identity, int lastRequest, int rounds) {
        PeerIdentity id;
        try {
            id = PeerIdentity.parse(identity);
        } catch (IllegalArgumentException e) {
            return startRound(conv, rounds, strongest(lastRequest, SimAkaMessage.AT_PERMANENT_ID_REQ), null,
                    "identity not usable (" + e.getMessage() + ")");
        }
        String imsi = imsiOf(id);
        if (imsi != null) {
            return startRound(conv, rounds, 0, imsi, null);
        }
        // Any other identity may be one of our re-authentication identities (ours start with '5'; like hostapd's
        // eap_sim_db, the store is asked by the whole identity, so one minted by another server's convention works).
        if (id.prefix() != SIM.pseudonymPrefix() && settings.fastReauth()
                && (lastRequest == 0 || lastRequest == SimAkaMessage.AT_ANY_ID_REQ)) {
            ReauthContext ctx = identities.takeReauth(identity);
            if (ctx != null && ctx.methodType() == SIM.eapType() && ctx.counter() < settings.maxReauthCounter()) {
                return reauthRequest(conv, ctx);
            }
            String why = ctx == null ? "unknown re-authentication identity" : "re-authentication limit reached";
            return startRound(conv, rounds, strongest(lastRequest, SimAkaMessage.AT_FULLAUTH_ID_REQ), null, why);
        }
        if (id.prefix() == SIM.pseudonymPrefix() && lastRequest != SimAkaMessage.AT_PERMANENT_ID_REQ) {
            String known = settings.pseudonyms() ? identities.imsiOfPseudonym(id) : null;
            if (known != null) {
                return startRound(conv, rounds, 0, known, null);
            }
            return startRound(conv, rounds, SimAkaMessage.AT_PERMANENT_ID_REQ, null, "unknown pseudonym");
        }
        return startRound(conv, rounds, SimAkaMessage.AT_PERMANENT_ID_REQ, null, "not an EAP-SIM identity");
    }

    private static int strongest(int lastRequest, int wanted) {
        return Math.max(rank(lastRequest), rank(wanted)) == rank(wanted) ? wanted : SimAkaMessage.AT_PERMANENT_ID_REQ;
    }

    private static int rank(int request) {
        return switch (request) {
            case SimAkaMessage.AT_ANY_ID_REQ -> 1;
            case SimAkaMessage.AT_FULLAUTH_ID_REQ -> 2;
            case SimAkaMessage.AT_PERMANENT_ID_REQ -> 3;
            default -> 0;
        };
    }

    /** EAP-Request/SIM/Start: AT_VERSION_LIST and, when the identity is not good enough, one identity request. */
    private EapStep startRound(EapConversation conv, int rounds, int idRequest, String imsi, String why) {
        if (rounds >= MAX_START_ROUNDS) {
            return failNow(conv, "no usable identity after " + rounds + " SIM/Start rounds" + (why == null ? ""
                    : " (" + why + ")"));
        }
        if (why != null) {
            LOG.info("EAP-SIM: {} for {}, asking with attribute {}", why, conv.identity(), idRequest);
        }
        List<Attribute> attrs = new ArrayList<>();
        attrs.add(SimAkaMessage.versionList(VERSION));
        if (idRequest != 0) {
            attrs.add(SimAkaMessage.flag(idRequest));
        }
        SimState state = rounds == 0 ? SimState.started(idRequest, imsi)
                : SimState.of(conv).nextStart(idRequest, imsi);
        state.storeIn(conv);
        return new EapStep.Continue(request(conv, SimAkaMessage.SIM_START, attrs));
    }

    // ---------------------------------------------------------------- responses

    @Override
    public CompletionStage<EapStep> process(EapConversation conv, byte[] response) {
        SimState state = SimState.of(conv);
        if (state == null) {
            return fail(conv, "no EAP-SIM state for this conversation");
        }
        if (state.phase() == SimPhase.FAILURE_NOTIFICATION) {
            // Whatever the peer answers to a failure notification, the conversation ends (RFC 4186 6.3.1).
            return CompletableFuture.completedFuture(conv.rejection() != null ? new EapStep.Failure(conv.rejection())
                    : new EapStep.Failure(SIM.methodName() + ": " + state.failure()));
        }
        SimAkaMessage m;
        try {
            m = SimAkaMessage.decode(EapPacket.decode(response).typeData());
            return switch (m.subtype()) {
                case SimAkaMessage.SIM_START -> state.phase() == SimPhase.START
                        ? onStart(conv, state, m)
                        : fail(conv, "SIM/Start response outside a Start round");
                case SimAkaMessage.SIM_CHALLENGE -> state.phase() == SimPhase.CHALLENGE
                        ? CompletableFuture.completedFuture(onChallenge(conv, state, response, m))
                        : fail(conv, "SIM/Challenge response outside a challenge");
                case SimAkaMessage.REAUTHENTICATION -> state.phase() == SimPhase.REAUTHENTICATION
                        ? CompletableFuture.completedFuture(onReauthentication(conv, state, response, m))
                        : fail(conv, "SIM/Re-authentication response outside a re-authentication");
                case SimAkaMessage.NOTIFICATION -> state.phase() == SimPhase.SUCCESS_NOTIFICATION
                        ? CompletableFuture.completedFuture(onSuccessNotification(conv, state, response))
                        : fail(conv, "SIM/Notification response without a notification");
                case SimAkaMessage.CLIENT_ERROR -> fail(conv, "peer sent Client-Error code "
                        + m.attribute(SimAkaMessage.AT_CLIENT_ERROR_CODE).map(SimAkaMessage::shortOf).orElse(-1));
                default -> fail(conv, "unknown EAP-SIM subtype " + m.subtype());
            };
        } catch (IllegalArgumentException e) {
            LOG.warn("Malformed EAP-SIM response from {} ({}): {}", conv.nas().nasIp(), conv.identity(),
                    e.getMessage());
            return fail(conv, "malformed EAP-SIM response: " + e.getMessage());
        }
    }

    /** EAP-Response/SIM/Start: an identity if asked for, then AT_NONCE_MT and AT_SELECTED_VERSION for a full run. */
    private CompletionStage<EapStep> onStart(EapConversation conv, SimState state, SimAkaMessage m) {
        Attribute identity = m.attribute(SimAkaMessage.AT_IDENTITY).orElse(null);
        if (state.idRequest() != 0) {
            if (identity == null) {
                return fail(conv, "SIM/Start response without the AT_IDENTITY asked for");
            }
            String given = new String(SimAkaMessage.lengthPrefixedData(identity), StandardCharsets.UTF_8);
            if (EncryptedIdentity.isEncrypted(given)) {
                LOG.info("EAP-SIM identity in SIM/Start: identity={} ap={}", EncryptedIdentity.describe(given),
                        conv.nas().nasIp());
                try {
                    given = decrypt(conv, given);
                } catch (IdentityDecryptionException e) {
                    return CompletableFuture.completedFuture(identityRefused(conv, state, e));
                }
            }
            // MK is computed over the identity of the last AT_IDENTITY (RFC 4186 7); for an encrypted one, over the
            // permanent identity inside (as wpa_supplicant's and Android's peers do).
            conv.identity(given);
            LOG.info("EAP-SIM identity in SIM/Start: identity={} ap={}", given, conv.nas().nasIp());
            PeerIdentity id;
            try {
                id = PeerIdentity.parse(given);
            } catch (IllegalArgumentException e) {
                return fail(conv, "AT_IDENTITY not usable: " + e.getMessage());
            }
            String imsi = imsiOf(id);
            if (imsi == null && id.prefix() == SIM.pseudonymPrefix() && settings.pseudonyms()) {
                imsi = identities.imsiOfPseudonym(id);
            }
            if (imsi == null || !m.has(SimAkaMessage.AT_NONCE_MT)) {
                // A re-authentication identity (an answer to AT_ANY_ID_REQ, without AT_NONCE_MT), or an identity
                // we cannot use: re-authenticate, or ask again.
                return CompletableFuture.completedFuture(fromIdentity(conv, given, state.idRequest(),
                        state.startRounds()));
            }
            state = new SimState(SimPhase.START, state.startRounds(), state.idRequest(), imsi, null, null, null,
                    null, null, null, null, null, 0, null, null, null, null, null);
        } else if (identity != null) {
            return fail(conv, "SIM/Start response with an AT_IDENTITY not asked for");
        }
        if (state.imsi() == null) {
            return fail(conv, "SIM/Start response from a peer of unknown IMSI");
        }
        Attribute nonce = m.attribute(SimAkaMessage.AT_NONCE_MT).orElse(null);
        Attribute selected = m.attribute(SimAkaMessage.AT_SELECTED_VERSION).orElse(null);
        if (nonce == null || selected == null) {
            return fail(conv, "SIM/Start response without AT_NONCE_MT or AT_SELECTED_VERSION");
        }
        if (SimAkaMessage.shortOf(selected) != VERSION) {
            return fail(conv, "peer selected EAP-SIM version " + SimAkaMessage.shortOf(selected)
                    + ", which was not offered");
        }
        byte[] nonceMt = SimAkaMessage.afterReserved(nonce);
        if (nonceMt.length != 16) {
            return fail(conv, "AT_NONCE_MT of " + nonceMt.length + " bytes");
        }
        return challenge(conv, state, nonceMt);
    }

    // ---------------------------------------------------------------- full authentication

    /** Asks the source for n quintuplets (n MARs on SWx: each call is a fresh vector) and sends the challenge. */
    private CompletionStage<EapStep> challenge(EapConversation conv, SimState state, byte[] nonceMt) {
        AuthVectorSource source = vectors.get();
        String imsi = state.imsi();
        if (source == null) {
            return fail(conv, "no vector source '" + settings.vectorSourceName() + "'");
        }
        VectorRequest request = new VectorRequest(imsi, AuthScheme.EAP_AKA, null);
        List<CompletableFuture<AuthVector>> fetches = new ArrayList<>();
        for (int i = 0; i < settings.challenges(); i++) {
            fetches.add(source.fetch(request).toCompletableFuture());
        }
        return CompletableFuture.allOf(fetches.toArray(new CompletableFuture[0]))
                .thenApply(done -> {
                    List<GsmTriplet> triplets = new ArrayList<>();
                    for (CompletableFuture<AuthVector> f : fetches) {
                        triplets.add(GsmTriplet.of(f.join()));
                    }
                    return challengeRequest(conv, state, nonceMt, triplets);
                })
                .exceptionally(e -> vectorFailure(conv, imsi, e));
    }

    private EapStep challengeRequest(EapConversation conv, SimState state, byte[] nonceMt, List<GsmTriplet> triplets) {
        Set<String> distinct = new HashSet<>();
        ByteArrayOutputStream rands = new ByteArrayOutputStream();
        ByteArrayOutputStream sres = new ByteArrayOutputStream();
        List<byte[]> kcs = new ArrayList<>();
        for (GsmTriplet t : triplets) {
            if (!distinct.add(HexFormat.of().formatHex(t.rand()))) {
                // RFC 4186 10.9: the peer rejects repeated RANDs; a source that repeats one is broken.
                return failNow(conv, "the vector source returned the same RAND twice");
            }
            rands.writeBytes(t.rand());
            sres.writeBytes(t.sres());
            kcs.add(t.kc());
        }
        byte[] mk = SimAkaCrypto.simMasterKey(conv.identity(), kcs, nonceMt, VERSION_LIST, VERSION);
        SimAkaCrypto.Keys keys = SimAkaCrypto.keysFromMasterKey(mk);

        List<Attribute> attrs = new ArrayList<>();
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_RAND, rands.toByteArray()));
        if (settings.resultIndication()) {
            attrs.add(SimAkaMessage.flag(SimAkaMessage.AT_RESULT_IND));
        }
        String pseudonym = settings.pseudonyms() && identities.available() ? identities.newPseudonym(SIM) : null;
        String reauthId = newReauthIdentity(conv);
        addEncrypted(attrs, keys.kEncr(), pseudonym, reauthId, null);
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16]));
        byte[] packet = signedRequest(conv, SimAkaMessage.SIM_CHALLENGE, attrs, keys.kAut(), nonceMt);
        // RFC 5247 / hostapd: Session-Id = Type-Code | n*RAND | NONCE_MT.
        byte[] sessionId = concat(new byte[]{(byte) SIM.eapType()}, rands.toByteArray(), nonceMt);
        state.challenge(state.imsi(), nonceMt, rands.toByteArray(), sres.toByteArray(), keys.kAut(), keys.kEncr(),
                mk, keys.msk(), keys.emsk(), sessionId, pseudonym, reauthId).storeIn(conv);
        stats.challenge.increment();
        LOG.info("EAP-SIM challenge: identity={} imsi={} rands={} ap={}", conv.identity(), state.imsi(),
                triplets.size(), conv.nas().nasIp());
        return new EapStep.Continue(packet);
    }

    /** EAP-Response/SIM/Challenge: AT_MAC over the packet and the n SRES proves the SIM (RFC 4186 9.4). */
    private EapStep onChallenge(EapConversation conv, SimState state, byte[] packet, SimAkaMessage m) {
        if (!SimAkaCrypto.verify(false, state.kAut(), packet, SimAkaCrypto.macOffset(packet), state.sres())) {
            return failureNotification(conv, state, "AT_MAC of the SIM/Challenge response does not verify "
                    + "(wrong SRES: another Ki/OPc?)");
        }
        if (settings.resultIndication() && m.has(SimAkaMessage.AT_RESULT_IND)) {
            return successNotification(conv, state);
        }
        return succeeded(conv, state, false);
    }

    // ---------------------------------------------------------------- fast re-authentication

    private EapStep reauthRequest(EapConversation conv, ReauthContext ctx) {
        int counter = ctx.counter() + 1;
        byte[] nonceS = randomBytes(16);
        SimAkaCrypto.SessionKeys keys = SimAkaCrypto.fastReauthKeys(conv.identity(), counter, nonceS, ctx.kRe());
        String nextReauth = newReauthIdentity(conv);
        List<Attribute> attrs = new ArrayList<>();
        addEncrypted(attrs, ctx.kEncr(), null, nextReauth, new Attribute[]{
                SimAkaMessage.shortValue(SimAkaMessage.AT_COUNTER, counter),
                SimAkaMessage.reservedThen(SimAkaMessage.AT_NONCE_S, nonceS)});
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16]));
        byte[] packet = signedRequest(conv, SimAkaMessage.REAUTHENTICATION, attrs, ctx.kAut(), null);
        int off = SimAkaCrypto.macOffset(packet);
        byte[] sessionId = concat(new byte[]{(byte) SIM.eapType()}, nonceS, Arrays.copyOfRange(packet, off, off + 16));
        SimState.reauthentication(ctx.imsi(), ctx.kAut(), ctx.kEncr(), ctx.kRe(), keys.msk(), keys.emsk(), counter,
                nonceS, sessionId, nextReauth).storeIn(conv);
        LOG.info("EAP-SIM re-authentication: identity={} imsi={} counter={} ap={}", conv.identity(), ctx.imsi(),
                counter, conv.nas().nasIp());
        return new EapStep.Continue(packet);
    }

    private EapStep onReauthentication(EapConversation conv, SimState state, byte[] packet, SimAkaMessage m) {
        if (!SimAkaCrypto.verify(false, state.kAut(), packet, SimAkaCrypto.macOffset(packet), state.nonceS())) {
            return failNow(conv, "AT_MAC of the SIM/Re-authentication response does not verify");
        }
        Attribute iv = m.attribute(SimAkaMessage.AT_IV).orElse(null);
        Attribute encr = m.attribute(SimAkaMessage.AT_ENCR_DATA).orElse(null);
        if (iv == null || encr == null) {
            return failNow(conv, "SIM/Re-authentication response without AT_IV/AT_ENCR_DATA");
        }
        SimAkaMessage inner = SimAkaCrypto.decryptedAttributes(SimAkaCrypto.decrypt(state.kEncr(),
                SimAkaMessage.afterReserved(iv), SimAkaMessage.afterReserved(encr)));
        if (inner.has(SimAkaMessage.AT_COUNTER_TOO_SMALL)) {
            // RFC 4186 5.2: fall back to a full authentication; ask for a full-authentication identity.
            LOG.info("Peer {} reports its re-authentication counter too small: full authentication", conv.identity());
            return startRound(conv, 0, SimAkaMessage.AT_FULLAUTH_ID_REQ, null, "counter too small");
        }
        Attribute echoed = inner.attribute(SimAkaMessage.AT_COUNTER).orElse(null);
        if (echoed == null || SimAkaMessage.shortOf(echoed) != state.counter()) {
            return failNow(conv, "SIM/Re-authentication response with a wrong AT_COUNTER");
        }
        stats.fastReauth.increment();
        return succeeded(conv, state, true);
    }

    // ---------------------------------------------------------------- outcome

    /** Protected success indication (RFC 4186 6.2): SIM/Notification "Success" with AT_MAC, EAP-Success after it. */
    private EapStep successNotification(EapConversation conv, SimState state) {
        List<Attribute> attrs = new ArrayList<>();
        attrs.add(SimAkaMessage.shortValue(SimAkaMessage.AT_NOTIFICATION, SUCCESS));
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16]));
        byte[] packet = signedRequest(conv, SimAkaMessage.NOTIFICATION, attrs, state.kAut(), null);
        state.withPhase(SimPhase.SUCCESS_NOTIFICATION).storeIn(conv);
        return new EapStep.Continue(packet);
    }

    private EapStep onSuccessNotification(EapConversation conv, SimState state, byte[] packet) {
        if (!SimAkaCrypto.verify(false, state.kAut(), packet, SimAkaCrypto.macOffset(packet), null)) {
            return failNow(conv, "AT_MAC of the SIM/Notification response does not verify");
        }
        return succeeded(conv, state, false);
    }

    private EapStep succeeded(EapConversation conv, SimState state, boolean fastReauth) {
        try {
            ReauthContext next = state.nextReauthId() == null ? null : new ReauthContext(state.imsi(), SIM.eapType(),
                    state.counter(), state.kAut(), state.kEncr(), state.mk());
            identities.commit(state.imsi(), SIM, state.nextPseudonym(), state.nextReauthId(), next);
        } catch (IllegalStateException full) {
            LOG.warn("Could not keep pseudonym/re-auth identity for {}: {}", state.imsi(), full.getMessage());
        }
        stats.success.increment();
        return new EapStep.Success(new EapAuthentication(state.imsi(), conv.identity(), SIM.methodName(), fastReauth,
                state.msk(), state.emsk(), state.sessionId()));
    }

    /**
     * After a challenge whose response did not authenticate: SIM/Notification "General failure" (P bit set: no
     * AT_MAC), then EAP-Failure on its acknowledgement (RFC 4186 6.3.1, as hostapd does).
     */
    private EapStep failureNotification(EapConversation conv, SimState state, String reason) {
        stats.reject.increment();
        LOG.info("EAP-SIM failure after the challenge, notifying the peer: identity={} ap={} reason={}",
                conv.identity(), conv.nas().nasIp(), reason);
        state.failed(reason).storeIn(conv);
        // Only a challenge response that does not verify comes here: that is the reason the reject will carry.
        conv.rejection(Rejection.of(RejectReason.AUTH_MISMATCH, SIM.methodName() + ": " + reason));
        return new EapStep.Continue(request(conv, SimAkaMessage.NOTIFICATION,
                List.of(SimAkaMessage.shortValue(SimAkaMessage.AT_NOTIFICATION, GENERAL_FAILURE))));
    }

    // ---------------------------------------------------------------- helpers

    /** The permanent identity inside an encrypted one; a refusal is logged without the ciphertext. */
    private String decrypt(EapConversation conv, String encrypted) throws IdentityDecryptionException {
        IdentityDecryptor d = privacy.get();
        try {
            if (d == null) {
                throw new IdentityDecryptionException(IdentityDecryptionException.Reason.NO_KEY,
                        "no IMSI privacy key is configured");
            }
            return d.decrypt(encrypted);
        } catch (IdentityDecryptionException e) {
            LOG.warn("EAP-SIM encrypted identity refused: {} ({}): identity={} ap={}", e.reason().label(),
                    e.getMessage(), EncryptedIdentity.describe(encrypted), conv.nas().nasIp());
            throw e;
        }
    }

    /**
     * A refused encrypted identity: SIM/Notification before authentication (P bit set, no AT_MAC), 16385 when the key
     * is unknown or does not decrypt (so an Android phone fetches the current certificate), else 16384; EAP-Failure
     * on its acknowledgement, as after a failed challenge.
     */
    private EapStep identityRefused(EapConversation conv, SimState state, IdentityDecryptionException e) {
        stats.reject.increment();
        String reason = "encrypted identity: " + e.reason().label();
        boolean staleKey = e.reason() == IdentityDecryptionException.Reason.UNKNOWN_KEY
                || e.reason() == IdentityDecryptionException.Reason.UNDECRYPTABLE;
        state.failed(reason).storeIn(conv);
        conv.rejection(Rejection.of(RejectReason.IDENTITY_MALFORMED, SIM.methodName() + ": " + reason));
        return new EapStep.Continue(request(conv, SimAkaMessage.NOTIFICATION, List.of(SimAkaMessage.shortValue(
                SimAkaMessage.AT_NOTIFICATION, staleKey ? CERTIFICATE_EXPIRED : GENERAL_FAILURE))));
    }

    private String newReauthIdentity(EapConversation conv) {
        if (!settings.fastReauth() || !identities.available()) {
            return null;
        }
        String realm = settings.realm();
        if (realm == null || realm.isBlank()) {
            int at = conv.identity().indexOf('@');
            realm = at >= 0 ? conv.identity().substring(at + 1) : "";
        }
        return identities.newReauthIdentity(SIM, realm);
    }

    /** AT_IV + AT_ENCR_DATA with the given inner attributes and the identities to announce, if any. */
    private void addEncrypted(List<Attribute> attrs, byte[] kEncr, String pseudonym, String reauthId,
                              Attribute[] first) {
        List<Attribute> inner = new ArrayList<>();
        if (first != null) {
            inner.addAll(List.of(first));
        }
        if (pseudonym != null) {
            inner.add(SimAkaMessage.lengthPrefixed(SimAkaMessage.AT_NEXT_PSEUDONYM, pseudonym));
        }
        if (reauthId != null) {
            inner.add(SimAkaMessage.lengthPrefixed(SimAkaMessage.AT_NEXT_REAUTH_ID, reauthId));
        }
        if (inner.isEmpty()) {
            return;
        }
        byte[] iv = randomBytes(16);
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_IV, iv));
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_ENCR_DATA, SimAkaCrypto.encrypt(kEncr, iv,
                SimAkaCrypto.encryptedAttributes(inner.toArray(new Attribute[0])))));
    }

    private static byte[] request(EapConversation conv, int subtype, List<Attribute> attrs) {
        return EapPacket.request(conv.nextIdentifier(), SIM.eapType(), new SimAkaMessage(subtype, attrs).encode())
                .encode();
    }

    private static byte[] signedRequest(EapConversation conv, int subtype, List<Attribute> attrs, byte[] kAut,
                                        byte[] extra) {
        byte[] packet = request(conv, subtype, attrs);
        SimAkaCrypto.sign(false, kAut, packet, SimAkaCrypto.macOffset(packet), extra);
        return packet;
    }

    private EapStep vectorFailure(EapConversation conv, String imsi, Throwable e) {
        Throwable cause = Futures.unwrap(e);
        String reason = cause instanceof VectorSourceException vse
                ? vse.reason() + ": " + vse.getMessage() : cause.toString();
        if (cause instanceof VectorSourceException vse) {
            stats.reject.increment();
            return new EapStep.Failure(new Rejection(RejectReason.of(vse.reason()), vse.resultCode(),
                    SIM.methodName() + ": no vectors for " + imsi + " (" + reason + ")"));
        }
        stats.reject.increment();
        return new EapStep.Failure(RejectReason.HSS_ERROR, SIM.methodName() + ": no vectors for " + imsi + " ("
                + reason + ")");
    }

    private CompletionStage<EapStep> fail(EapConversation conv, String reason) {
        return CompletableFuture.completedFuture(failNow(conv, reason));
    }

    private EapStep failNow(EapConversation conv, String reason) {
        stats.reject.increment();
        LOG.debug("EAP-SIM failure: identity={} ap={} reason={}", conv.identity(), conv.nas().nasIp(), reason);
        return new EapStep.Failure(SIM.methodName() + ": " + reason);
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.accept(b);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
