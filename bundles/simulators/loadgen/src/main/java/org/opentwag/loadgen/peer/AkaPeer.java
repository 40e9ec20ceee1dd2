package org.opentwag.loadgen.peer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.opentwag.api.eap.EapPacket;
import org.opentwag.eap.simaka.protocol.AkaCrypto;
import org.opentwag.eap.simaka.protocol.SimAkaCrypto;
import org.opentwag.eap.simaka.protocol.SimAkaMessage;
import org.opentwag.eap.simaka.protocol.SimAkaMessage.Attribute;
import org.opentwag.milenage.AkaPrimeKeys;
import org.opentwag.milenage.UsimSimulator;

/**
 * The phone's side of EAP-AKA (RFC 4187) and EAP-AKA' (RFC 5448), as wpa_supplicant's eap_peer/eap_aka.c plays it:
 * answers AKA-Identity, AKA-Challenge (checking the server's AT_MAC, AT_CHECKCODE, AT_KDF/AT_KDF_INPUT), AKA-Notification
 * and AKA-Reauthentication, learns pseudonyms and fast re-authentication identities, and keeps the MSK of the last
 * successful run. A server that gets the protocol wrong makes it throw {@link PeerException}, counted as a failure.
 * One conversation at a time; callers serialise access.
 *
 * <p>The one EAP-AKA peer of the project: the load generator drives it over RADIUS, and eap-aka's unit tests drive the
 * server state machine with it directly (there with the switches a test needs: {@link #supportsAkaPrime},
 * {@link #wantResultIndication}, {@link #reportCounterTooSmall}).
 */
public final class AkaPeer {

    /** The USIM in the phone: Milenage in the load generator, fixed published answers in tests. */
    public interface Usim {
        UsimSimulator.Answer authenticate(byte[] rand, byte[] autn);
    }

    /** The server broke the protocol (a bad AT_MAC, a missing attribute, ...). */
    public static final class PeerException extends RuntimeException {
        public PeerException(String message) {
            super(message);
        }
    }

    private final String permanentIdentity;
    private final Usim usim;
    private final boolean akaPrime;
    private final boolean usePseudonyms;

    private String pseudonym;
    private String reauthId;
    /** The identity the keys are derived from: the last one sent. */
    private String identity;
    private byte[] mkOrKre;
    private byte[] kAut;
    private byte[] kEncr;
    private byte[] msk;
    private byte[] emsk;
    private int lastCounter = -1;
    private byte[] idMsgs;
    private boolean reauthenticating;
    private boolean synchronisationFailed;
    private int lastNotification = -1;
    private boolean supportsAkaPrime;
    private boolean wantResultIndication;
    private boolean reportCounterTooSmall;
    private boolean biddingDownDetected;

    public AkaPeer(String permanentIdentity, Usim usim, boolean akaPrime, boolean usePseudonyms) {
        this.permanentIdentity = permanentIdentity;
        this.identity = permanentIdentity;
        this.usim = usim;
        this.akaPrime = akaPrime;
        this.usePseudonyms = usePseudonyms;
    }

    public int type() {
        return akaPrime ? EapPacket.TYPE_AKA_PRIME : EapPacket.TYPE_AKA;
    }

    public boolean akaPrime() {
        return akaPrime;
    }

    /** The fast re-authentication identity the server handed out last, or null. */
    public String reauthIdentity() {
        return reauthId;
    }

    /** Forgets the re-authentication identity (single use, or the server no longer knows it). */
    public void forgetReauthIdentity() {
        reauthId = null;
    }

    /** MSK of the last completed run (full or fast re-authentication); the AP gets it in MS-MPPE keys. */
    public byte[] msk() {
        return msk == null ? null : msk.clone();
    }

    public byte[] emsk() {
        return emsk == null ? null : emsk.clone();
    }

    /** Whether the current conversation is a fast re-authentication (else a full one). */
    public boolean reauthenticating() {
        return reauthenticating;
    }

    /** Whether the USIM reported an SQN out of range in this conversation (the server then resynchronises). */
    public boolean synchronisationFailed() {
        return synchronisationFailed;
    }

    /** The pseudonym the server handed out last (with the permanent identity's realm added), or null. */
    public synchronized String pseudonym() {
        return pseudonym;
    }

    /** The AT_COUNTER of the last fast re-authentication (0 after a full one, -1 before any). */
    public synchronized int lastCounter() {
        return lastCounter;
    }

    /** The AT_NOTIFICATION code last received, or -1. */
    public synchronized int lastNotification() {
        return lastNotification;
    }

    /** K_aut of the last full authentication: for a test that forges a response the server must refuse. */
    public synchronized byte[] kAut() {
        return kAut == null ? null : kAut.clone();
    }

    /**
     * An EAP-AKA peer that also supports EAP-AKA': it answers an EAP-AKA challenge whose AT_BIDDING has the D bit
     * with Client-Error (RFC 5448 4: a bidding-down attack).
     */
    public synchronized void supportsAkaPrime(boolean yes) {
        supportsAkaPrime = yes;
    }

    /** Whether the last EAP-AKA challenge was refused as a bidding-down attack. */
    public synchronized boolean biddingDownDetected() {
        return biddingDownDetected;
    }

    /** Answer AT_RESULT_IND with AT_RESULT_IND (protected result indications, RFC 4187 6.2). */
    public synchronized void wantResultIndication(boolean yes) {
        wantResultIndication = yes;
    }

    /** Answer fast re-authentications with AT_COUNTER_TOO_SMALL whatever the counter (RFC 4187 5.5). */
    public synchronized void reportCounterTooSmall(boolean yes) {
        reportCounterTooSmall = yes;
    }

    /**
     * Starts a conversation: returns the EAP-Response/Identity for the AP's EAP-Request/Identity with
     * {@code eapIdentifier}. With {@code fastReauth} the peer offers its re-authentication identity when it has one.
     */
    public synchronized byte[] start(int eapIdentifier, boolean fastReauth) {
        newConversation(fastReauth && reauthId != null ? reauthId
                : usePseudonyms && pseudonym != null ? pseudonym : permanentIdentity);
        return new EapPacket(EapPacket.RESPONSE, eapIdentifier, EapPacket.TYPE_IDENTITY,
                identity.getBytes(StandardCharsets.UTF_8)).encode();
    }

    /**
     * A new EAP conversation in which the peer gave {@code eapIdentity} in EAP-Response/Identity: the identity state of
     * RFC 4187 starts over, learned identities and keys stay.
     */
    public synchronized void newConversation(String eapIdentity) {
        identity = eapIdentity;
        idMsgs = null;
        reauthenticating = false;
        synchronisationFailed = false;
        biddingDownDetected = false;
    }

    /** The identity sent in the last EAP-Response/Identity or AT_IDENTITY (the User-Name an AP would copy). */
    public synchronized String identity() {
        return identity;
    }

    /** Answers one EAP-Request of this method. */
    public synchronized byte[] respond(byte[] request) {
        EapPacket p = EapPacket.decode(request);
        if (p.code() != EapPacket.REQUEST) {
            throw new PeerException("not an EAP-Request: code " + p.code());
        }
        if (p.type() != type()) {
            // RFC 3748 5.3.1: a Nak naming the type we want.
            return new EapPacket(EapPacket.RESPONSE, p.identifier(), EapPacket.TYPE_NAK, new byte[]{(byte) type()})
                    .encode();
        }
        SimAkaMessage m;
        try {
            m = SimAkaMessage.decode(p.typeData());
        } catch (SimAkaMessage.SimAkaDecodeException e) {
            throw new PeerException("undecodable EAP-AKA request: " + e.getMessage());
        }
        return switch (m.subtype()) {
            case SimAkaMessage.IDENTITY -> identityRound(p, m, request);
            case SimAkaMessage.CHALLENGE -> challenge(p, m, request);
            case SimAkaMessage.NOTIFICATION -> notification(p, m, request);
            case SimAkaMessage.REAUTHENTICATION -> reauthentication(p, m, request);
            default -> throw new PeerException("unexpected EAP-AKA subtype " + m.subtype());
        };
    }

    private byte[] identityRound(EapPacket p, SimAkaMessage m, byte[] request) {
        idMsgs = concat(idMsgs, request);
        if (m.has(SimAkaMessage.AT_ANY_ID_REQ)) {
            identity = reauthId != null ? reauthId : usePseudonyms && pseudonym != null ? pseudonym : permanentIdentity;
        } else if (m.has(SimAkaMessage.AT_FULLAUTH_ID_REQ)) {
            reauthId = null;
            identity = usePseudonyms && pseudonym != null ? pseudonym : permanentIdentity;
        } else if (m.has(SimAkaMessage.AT_PERMANENT_ID_REQ)) {
            reauthId = null;
            pseudonym = null;
            identity = permanentIdentity;
        } else {
            throw new PeerException("AKA-Identity request without an identity request attribute");
        }
        byte[] response = response(p, SimAkaMessage.IDENTITY,
                List.of(SimAkaMessage.lengthPrefixed(SimAkaMessage.AT_IDENTITY, identity)));
        idMsgs = concat(idMsgs, response);
        return response;
    }

    private byte[] challenge(EapPacket p, SimAkaMessage m, byte[] request) {
        byte[] rand = SimAkaMessage.afterReserved(require(m, SimAkaMessage.AT_RAND, "AKA-Challenge"));
        byte[] autn = SimAkaMessage.afterReserved(require(m, SimAkaMessage.AT_AUTN, "AKA-Challenge"));
        if (!akaPrime && supportsAkaPrime && m.attribute(SimAkaMessage.AT_BIDDING)
                .map(b -> (SimAkaMessage.shortOf(b) & 0x8000) != 0).orElse(false)) {
            // RFC 5448 4: both sides support EAP-AKA', so this EAP-AKA run is a bidding-down attack.
            biddingDownDetected = true;
            return response(p, SimAkaMessage.CLIENT_ERROR, List.of(SimAkaMessage.shortValue(
                    SimAkaMessage.AT_CLIENT_ERROR_CODE, 0)));
        }
        UsimSimulator.Answer a = usim.authenticate(rand, autn);
        if (a instanceof UsimSimulator.Answer.SyncFailure sf) {
            synchronisationFailed = true;
            return response(p, SimAkaMessage.SYNCHRONIZATION_FAILURE,
                    List.of(new Attribute(SimAkaMessage.AT_AUTS, sf.auts())));
        }
        if (!(a instanceof UsimSimulator.Answer.Success ok)) {
            return response(p, SimAkaMessage.AUTHENTICATION_REJECT, List.of());
        }
        SimAkaCrypto.Keys keys;
        if (akaPrime) {
            int kdf = SimAkaMessage.shortOf(require(m, SimAkaMessage.AT_KDF, "AKA'-Challenge"));
            if (kdf != 1) {
                throw new PeerException("AT_KDF " + kdf + " is not the one defined (1)");
            }
            String network = new String(SimAkaMessage.lengthPrefixedData(require(m, SimAkaMessage.AT_KDF_INPUT,
                    "AKA'-Challenge")), StandardCharsets.UTF_8);
            if (network.isEmpty()) {
                throw new PeerException("empty AT_KDF_INPUT");
            }
            byte[][] prime = AkaPrimeKeys.deriveCkIkPrime(ok.ck(), ok.ik(), network, Arrays.copyOf(autn, 6));
            keys = AkaCrypto.akaPrimeFull(identity, prime[0], prime[1]);
        } else {
            if (m.has(SimAkaMessage.AT_KDF) || m.has(SimAkaMessage.AT_KDF_INPUT)) {
                throw new PeerException("EAP-AKA challenge with EAP-AKA' attributes");
            }
            keys = AkaCrypto.akaFull(identity, ok.ik(), ok.ck());
        }
        verifyMac(request, keys.kAut(), null, "AKA-Challenge");
        boolean checkcodeAsked = m.has(SimAkaMessage.AT_CHECKCODE);
        if (checkcodeAsked && !Arrays.equals(SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_CHECKCODE)
                .orElseThrow()), checkcode())) {
            throw new PeerException("AT_CHECKCODE does not cover the AKA-Identity messages");
        }
        mkOrKre = keys.reauthKey();
        kAut = keys.kAut();
        kEncr = keys.kEncr();
        learnIdentities(m);
        msk = keys.msk();
        emsk = keys.emsk();
        lastCounter = 0;
        List<Attribute> attrs = new ArrayList<>();
        attrs.add(SimAkaMessage.res(ok.res()));
        if (checkcodeAsked) {
            attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_CHECKCODE, checkcode()));
        }
        if (wantResultIndication && m.has(SimAkaMessage.AT_RESULT_IND)) {
            attrs.add(SimAkaMessage.flag(SimAkaMessage.AT_RESULT_IND));
        }
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16]));
        return signed(p, SimAkaMessage.CHALLENGE, attrs, null);
    }

    private byte[] notification(EapPacket p, SimAkaMessage m, byte[] request) {
        int code = SimAkaMessage.shortOf(require(m, SimAkaMessage.AT_NOTIFICATION, "AKA-Notification"));
        lastNotification = code;
        if ((code & 0x4000) == 0) {
            // P bit clear: after authentication, so protected by AT_MAC in both directions (RFC 4187 10.19).
            verifyMac(request, kAut, null, "AKA-Notification");
            return signed(p, SimAkaMessage.NOTIFICATION,
                    List.of(SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16])), null);
        }
        if (m.has(SimAkaMessage.AT_MAC)) {
            throw new PeerException("AT_MAC in a notification with the P bit set (before authentication)");
        }
        return response(p, SimAkaMessage.NOTIFICATION, List.of());
    }

    private byte[] reauthentication(EapPacket p, SimAkaMessage m, byte[] request) {
        if (kAut == null) {
            throw new PeerException("AKA-Reauthentication without an earlier full authentication");
        }
        verifyMac(request, kAut, null, "AKA-Reauthentication");
        reauthenticating = true;
        SimAkaMessage inner = decrypt(m);
        int counter = SimAkaMessage.shortOf(inner.attribute(SimAkaMessage.AT_COUNTER)
                .orElseThrow(() -> new PeerException("AKA-Reauthentication without AT_COUNTER")));
        byte[] nonceS = SimAkaMessage.afterReserved(inner.attribute(SimAkaMessage.AT_NONCE_S)
                .orElseThrow(() -> new PeerException("AKA-Reauthentication without AT_NONCE_S")));
        List<Attribute> encrypted = new ArrayList<>();
        encrypted.add(SimAkaMessage.shortValue(SimAkaMessage.AT_COUNTER, counter));
        if (reportCounterTooSmall || counter <= lastCounter) {
            encrypted.add(SimAkaMessage.flag(SimAkaMessage.AT_COUNTER_TOO_SMALL));
            reauthId = null;
        } else {
            SimAkaCrypto.SessionKeys keys = akaPrime ? AkaCrypto.akaPrimeReauth(identity, counter, nonceS, mkOrKre)
                    : AkaCrypto.akaReauth(identity, counter, nonceS, mkOrKre);
            msk = keys.msk();
            emsk = keys.emsk();
            lastCounter = counter;
            reauthId = inner.attribute(SimAkaMessage.AT_NEXT_REAUTH_ID)
                    .map(a -> new String(SimAkaMessage.lengthPrefixedData(a), StandardCharsets.UTF_8)).orElse(null);
        }
        byte[] iv = new byte[16];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(iv);
        List<Attribute> attrs = List.of(SimAkaMessage.reservedThen(SimAkaMessage.AT_IV, iv),
                SimAkaMessage.reservedThen(SimAkaMessage.AT_ENCR_DATA, SimAkaCrypto.encrypt(kEncr, iv,
                        SimAkaCrypto.encryptedAttributes(encrypted.toArray(new Attribute[0])))),
                SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16]));
        return signed(p, SimAkaMessage.REAUTHENTICATION, attrs, nonceS);
    }

    private void learnIdentities(SimAkaMessage m) {
        if (!m.has(SimAkaMessage.AT_ENCR_DATA)) {
            return;
        }
        SimAkaMessage inner = decrypt(m);
        String realm = permanentIdentity.contains("@")
                ? permanentIdentity.substring(permanentIdentity.indexOf('@') + 1) : null;
        inner.attribute(SimAkaMessage.AT_NEXT_PSEUDONYM).ifPresent(a -> {
            // wpa_supplicant adds the realm of its permanent identity to a pseudonym that has none.
            String name = new String(SimAkaMessage.lengthPrefixedData(a), StandardCharsets.UTF_8);
            pseudonym = name.contains("@") || realm == null ? name : name + "@" + realm;
        });
        inner.attribute(SimAkaMessage.AT_NEXT_REAUTH_ID).ifPresent(a ->
                reauthId = new String(SimAkaMessage.lengthPrefixedData(a), StandardCharsets.UTF_8));
    }

    private SimAkaMessage decrypt(SimAkaMessage m) {
        byte[] iv = SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_IV)
                .orElseThrow(() -> new PeerException("AT_ENCR_DATA without AT_IV")));
        return SimAkaCrypto.decryptedAttributes(SimAkaCrypto.decrypt(kEncr, iv,
                SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_ENCR_DATA).orElseThrow())));
    }

    private static Attribute require(SimAkaMessage m, int type, String what) {
        return m.attribute(type).orElseThrow(() -> new PeerException(what + " without attribute " + type));
    }

    private byte[] checkcode() {
        return SimAkaCrypto.checkcode(akaPrime, idMsgs);
    }

    private void verifyMac(byte[] packet, byte[] key, byte[] extra, String what) {
        int off = SimAkaCrypto.macOffset(packet);
        if (off < 0 || !SimAkaCrypto.verify(akaPrime, key, packet, off, extra)) {
            throw new PeerException("the server's AT_MAC of " + what + " does not verify");
        }
    }

    private byte[] response(EapPacket request, int subtype, List<Attribute> attrs) {
        return new EapPacket(EapPacket.RESPONSE, request.identifier(), type(), new SimAkaMessage(subtype, attrs)
                .encode()).encode();
    }

    private byte[] signed(EapPacket request, int subtype, List<Attribute> attrs, byte[] extra) {
        byte[] packet = response(request, subtype, attrs);
        SimAkaCrypto.sign(akaPrime, kAut, packet, SimAkaCrypto.macOffset(packet), extra);
        return packet;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a == null) {
            return b.clone();
        }
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
