package org.opentwag.eap.aka.method;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
 * The peer side of EAP-AKA/AKA' as RFC 4187/5448 and hostapd's eap_peer/eap_aka.c describe it, driving the
 * independent Milenage USIM of the milenage bundle. It checks what a strict peer checks (server AT_MAC, AT_CHECKCODE,
 * AT_KDF/AT_KDF_INPUT, AT_BIDDING) and throws AssertionError when the server gets it wrong.
 */
final class TestPeer {

    final String permanentIdentity;
    final UsimSimulator usim;
    final boolean akaPrime;
    boolean supportsAkaPrime;
    boolean wantResultIndication;
    boolean reportCounterTooSmall;

    String pseudonym;
    String reauthId;
    /** The identity the keys are derived from: the last one sent. */
    String identity;
    byte[] mkOrKre;
    byte[] kAut;
    byte[] kEncr;
    byte[] msk;
    int lastCounter = -1;
    int notification = -1;
    boolean biddingDownDetected;
    private byte[] idMsgs;
    private byte[] nonceS;

    TestPeer(String permanentIdentity, UsimSimulator usim, boolean akaPrime) {
        this.permanentIdentity = permanentIdentity;
        this.identity = permanentIdentity;
        this.usim = usim;
        this.akaPrime = akaPrime;
    }

    int type() {
        return akaPrime ? EapPacket.TYPE_AKA_PRIME : EapPacket.TYPE_AKA;
    }

    /** A new EAP conversation: the identity state of RFC 4187 starts over, learned identities stay. */
    void newConversation(String eapIdentity) {
        identity = eapIdentity;
        idMsgs = null;
    }

    byte[] respond(byte[] request) {
        EapPacket p = EapPacket.decode(request);
        if (p.code() != EapPacket.REQUEST || p.type() != type()) {
            throw new AssertionError("not an EAP-Request of type " + type() + ": code " + p.code() + " type "
                    + p.type());
        }
        SimAkaMessage m = SimAkaMessage.decode(p.typeData());
        return switch (m.subtype()) {
            case SimAkaMessage.IDENTITY -> identity(p, m, request);
            case SimAkaMessage.CHALLENGE -> challenge(p, m, request);
            case SimAkaMessage.NOTIFICATION -> notification(p, m, request);
            case SimAkaMessage.REAUTHENTICATION -> reauthentication(p, m, request);
            default -> throw new AssertionError("unexpected subtype " + m.subtype());
        };
    }

    private byte[] identity(EapPacket p, SimAkaMessage m, byte[] request) {
        idMsgs = concat(idMsgs, request);
        if (m.has(SimAkaMessage.AT_ANY_ID_REQ)) {
            identity = reauthId != null ? reauthId : pseudonym != null ? pseudonym : permanentIdentity;
        } else if (m.has(SimAkaMessage.AT_FULLAUTH_ID_REQ)) {
            identity = pseudonym != null ? pseudonym : permanentIdentity;
        } else if (m.has(SimAkaMessage.AT_PERMANENT_ID_REQ)) {
            identity = permanentIdentity;
        } else {
            throw new AssertionError("AKA-Identity request without an identity request attribute");
        }
        byte[] response = response(p, SimAkaMessage.IDENTITY,
                List.of(SimAkaMessage.lengthPrefixed(SimAkaMessage.AT_IDENTITY, identity)));
        idMsgs = concat(idMsgs, response);
        return response;
    }

    private byte[] challenge(EapPacket p, SimAkaMessage m, byte[] request) {
        byte[] rand = SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_RAND).orElseThrow());
        byte[] autn = SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_AUTN).orElseThrow());
        if (!akaPrime && supportsAkaPrime && m.attribute(SimAkaMessage.AT_BIDDING)
                .map(a -> (SimAkaMessage.shortOf(a) & 0x8000) != 0).orElse(false)) {
            // RFC 5448 4: both sides support EAP-AKA', so this EAP-AKA run is a bidding-down attack.
            biddingDownDetected = true;
            return response(p, SimAkaMessage.CLIENT_ERROR, List.of(SimAkaMessage.shortValue(
                    SimAkaMessage.AT_CLIENT_ERROR_CODE, 0)));
        }
        UsimSimulator.Answer a = usim.authenticate(rand, autn);
        if (a instanceof UsimSimulator.Answer.SyncFailure sf) {
            return response(p, SimAkaMessage.SYNCHRONIZATION_FAILURE,
                    List.of(new Attribute(SimAkaMessage.AT_AUTS, sf.auts())));
        }
        if (!(a instanceof UsimSimulator.Answer.Success ok)) {
            return response(p, SimAkaMessage.AUTHENTICATION_REJECT, List.of());
        }
        SimAkaCrypto.Keys keys;
        if (akaPrime) {
            int kdf = SimAkaMessage.shortOf(m.attribute(SimAkaMessage.AT_KDF)
                    .orElseThrow(() -> new AssertionError("AKA'-Challenge without AT_KDF")));
            if (kdf != 1) {
                throw new AssertionError("AT_KDF " + kdf);
            }
            String network = new String(SimAkaMessage.lengthPrefixedData(m.attribute(SimAkaMessage.AT_KDF_INPUT)
                    .orElseThrow(() -> new AssertionError("AKA'-Challenge without AT_KDF_INPUT"))),
                    StandardCharsets.UTF_8);
            if (network.isEmpty()) {
                throw new AssertionError("empty AT_KDF_INPUT");
            }
            byte[][] prime = AkaPrimeKeys.deriveCkIkPrime(ok.ck(), ok.ik(), network, Arrays.copyOf(autn, 6));
            keys = AkaCrypto.akaPrimeFull(identity, prime[0], prime[1]);
        } else {
            if (m.has(SimAkaMessage.AT_KDF) || m.has(SimAkaMessage.AT_KDF_INPUT)) {
                throw new AssertionError("EAP-AKA challenge with EAP-AKA' attributes");
            }
            keys = AkaCrypto.akaFull(identity, ok.ik(), ok.ck());
        }
        verifyMac(request, keys.kAut(), null, "AKA-Challenge");
        byte[] checkcode = SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_CHECKCODE)
                .orElseThrow(() -> new AssertionError("AKA-Challenge without AT_CHECKCODE")));
        if (!Arrays.equals(checkcode, checkcode())) {
            throw new AssertionError("AT_CHECKCODE does not cover the AKA-Identity messages");
        }
        learnIdentities(m, keys.kEncr());
        mkOrKre = keys.reauthKey();
        kAut = keys.kAut();
        kEncr = keys.kEncr();
        msk = keys.msk();
        lastCounter = 0;
        List<Attribute> attrs = new ArrayList<>();
        attrs.add(SimAkaMessage.res(ok.res()));
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_CHECKCODE, checkcode()));
        if (wantResultIndication && m.has(SimAkaMessage.AT_RESULT_IND)) {
            attrs.add(SimAkaMessage.flag(SimAkaMessage.AT_RESULT_IND));
        }
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16]));
        return signed(p, SimAkaMessage.CHALLENGE, attrs, null);
    }

    private byte[] notification(EapPacket p, SimAkaMessage m, byte[] request) {
        notification = SimAkaMessage.shortOf(m.attribute(SimAkaMessage.AT_NOTIFICATION).orElseThrow());
        if ((notification & 0x4000) == 0) {
            // P bit clear: after authentication, so protected by AT_MAC in both directions (RFC 4187 10.19).
            verifyMac(request, kAut, null, "AKA-Notification");
            return signed(p, SimAkaMessage.NOTIFICATION,
                    List.of(SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16])), null);
        }
        if (m.has(SimAkaMessage.AT_MAC)) {
            throw new AssertionError("AT_MAC in a notification with the P bit set");
        }
        return response(p, SimAkaMessage.NOTIFICATION, List.of());
    }

    private byte[] reauthentication(EapPacket p, SimAkaMessage m, byte[] request) {
        verifyMac(request, kAut, null, "AKA-Reauthentication");
        SimAkaMessage inner = decrypt(m, kEncr);
        int counter = SimAkaMessage.shortOf(inner.attribute(SimAkaMessage.AT_COUNTER).orElseThrow());
        nonceS = SimAkaMessage.afterReserved(inner.attribute(SimAkaMessage.AT_NONCE_S).orElseThrow());
        List<Attribute> encrypted = new ArrayList<>();
        encrypted.add(SimAkaMessage.shortValue(SimAkaMessage.AT_COUNTER, counter));
        if (reportCounterTooSmall || counter <= lastCounter) {
            encrypted.add(SimAkaMessage.flag(SimAkaMessage.AT_COUNTER_TOO_SMALL));
            reauthId = null;
        } else {
            SimAkaCrypto.SessionKeys keys = akaPrime ? AkaCrypto.akaPrimeReauth(identity, counter, nonceS, mkOrKre)
                    : AkaCrypto.akaReauth(identity, counter, nonceS, mkOrKre);
            msk = keys.msk();
            lastCounter = counter;
            reauthId = inner.attribute(SimAkaMessage.AT_NEXT_REAUTH_ID)
                    .map(a -> new String(SimAkaMessage.lengthPrefixedData(a), StandardCharsets.UTF_8)).orElse(null);
        }
        byte[] iv = new byte[16];
        iv[15] = 7;
        List<Attribute> attrs = List.of(SimAkaMessage.reservedThen(SimAkaMessage.AT_IV, iv),
                SimAkaMessage.reservedThen(SimAkaMessage.AT_ENCR_DATA, SimAkaCrypto.encrypt(kEncr, iv,
                        SimAkaCrypto.encryptedAttributes(encrypted.toArray(new Attribute[0])))),
                SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16]));
        return signed(p, SimAkaMessage.REAUTHENTICATION, attrs, nonceS);
    }

    private void learnIdentities(SimAkaMessage m, byte[] kEncr) {
        if (!m.has(SimAkaMessage.AT_ENCR_DATA)) {
            return;
        }
        SimAkaMessage inner = decrypt(m, kEncr);
        String realm = permanentIdentity.substring(permanentIdentity.indexOf('@') + 1);
        inner.attribute(SimAkaMessage.AT_NEXT_PSEUDONYM).ifPresent(a -> {
            // wpa_supplicant adds the realm of its permanent identity to a pseudonym that has none.
            String name = new String(SimAkaMessage.lengthPrefixedData(a), StandardCharsets.UTF_8);
            pseudonym = name.contains("@") ? name : name + "@" + realm;
        });
        inner.attribute(SimAkaMessage.AT_NEXT_REAUTH_ID).ifPresent(a ->
                reauthId = new String(SimAkaMessage.lengthPrefixedData(a), StandardCharsets.UTF_8));
    }

    private static SimAkaMessage decrypt(SimAkaMessage m, byte[] kEncr) {
        byte[] iv = SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_IV)
                .orElseThrow(() -> new AssertionError("AT_ENCR_DATA without AT_IV")));
        return SimAkaCrypto.decryptedAttributes(SimAkaCrypto.decrypt(kEncr, iv,
                SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_ENCR_DATA).orElseThrow())));
    }

    private byte[] checkcode() {
        if (idMsgs == null) {
            return new byte[0];
        }
        try {
            return MessageDigest.getInstance(akaPrime ? "SHA-256" : "SHA-1").digest(idMsgs);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void verifyMac(byte[] packet, byte[] key, byte[] extra, String what) {
        int off = macOffset(packet);
        if (off < 0 || !SimAkaCrypto.verify(akaPrime, key, packet, off, extra)) {
            throw new AssertionError("server AT_MAC of " + what + " does not verify");
        }
    }

    private byte[] response(EapPacket request, int subtype, List<Attribute> attrs) {
        return new EapPacket(EapPacket.RESPONSE, request.identifier(), type(), new SimAkaMessage(subtype, attrs)
                .encode()).encode();
    }

    private byte[] signed(EapPacket request, int subtype, List<Attribute> attrs, byte[] extra) {
        byte[] packet = response(request, subtype, attrs);
        SimAkaCrypto.sign(akaPrime, kAut, packet, macOffset(packet), extra);
        return packet;
    }

    static int macOffset(byte[] eapPacket) {
        int off = SimAkaMessage.valueOffset(Arrays.copyOfRange(eapPacket, 5, eapPacket.length), SimAkaMessage.AT_MAC);
        return off < 0 ? -1 : 5 + off + 2;
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
