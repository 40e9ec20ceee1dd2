package org.opentwag.eap.aka.method;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.opentwag.api.eap.EapPacket;
import org.opentwag.eap.aka.protocol.AkaCrypto;
import org.opentwag.eap.aka.protocol.AkaMessage;
import org.opentwag.eap.aka.protocol.AkaMessage.Attribute;
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
        AkaMessage m = AkaMessage.decode(p.typeData());
        return switch (m.subtype()) {
            case AkaMessage.IDENTITY -> identity(p, m, request);
            case AkaMessage.CHALLENGE -> challenge(p, m, request);
            case AkaMessage.NOTIFICATION -> notification(p, m, request);
            case AkaMessage.REAUTHENTICATION -> reauthentication(p, m, request);
            default -> throw new AssertionError("unexpected subtype " + m.subtype());
        };
    }

    private byte[] identity(EapPacket p, AkaMessage m, byte[] request) {
        idMsgs = concat(idMsgs, request);
        if (m.has(AkaMessage.AT_ANY_ID_REQ)) {
            identity = reauthId != null ? reauthId : pseudonym != null ? pseudonym : permanentIdentity;
        } else if (m.has(AkaMessage.AT_FULLAUTH_ID_REQ)) {
            identity = pseudonym != null ? pseudonym : permanentIdentity;
        } else if (m.has(AkaMessage.AT_PERMANENT_ID_REQ)) {
            identity = permanentIdentity;
        } else {
            throw new AssertionError("AKA-Identity request without an identity request attribute");
        }
        byte[] response = response(p, AkaMessage.IDENTITY,
                List.of(AkaMessage.lengthPrefixed(AkaMessage.AT_IDENTITY, identity)));
        idMsgs = concat(idMsgs, response);
        return response;
    }

    private byte[] challenge(EapPacket p, AkaMessage m, byte[] request) {
        byte[] rand = AkaMessage.afterReserved(m.attribute(AkaMessage.AT_RAND).orElseThrow());
        byte[] autn = AkaMessage.afterReserved(m.attribute(AkaMessage.AT_AUTN).orElseThrow());
        if (!akaPrime && supportsAkaPrime && m.attribute(AkaMessage.AT_BIDDING)
                .map(a -> (AkaMessage.shortOf(a) & 0x8000) != 0).orElse(false)) {
            // RFC 5448 4: both sides support EAP-AKA', so this EAP-AKA run is a bidding-down attack.
            biddingDownDetected = true;
            return response(p, AkaMessage.CLIENT_ERROR, List.of(AkaMessage.shortValue(
                    AkaMessage.AT_CLIENT_ERROR_CODE, 0)));
        }
        UsimSimulator.Answer a = usim.authenticate(rand, autn);
        if (a instanceof UsimSimulator.Answer.SyncFailure sf) {
            return response(p, AkaMessage.SYNCHRONIZATION_FAILURE,
                    List.of(new Attribute(AkaMessage.AT_AUTS, sf.auts())));
        }
        if (!(a instanceof UsimSimulator.Answer.Success ok)) {
            return response(p, AkaMessage.AUTHENTICATION_REJECT, List.of());
        }
        AkaCrypto.Keys keys;
        if (akaPrime) {
            int kdf = AkaMessage.shortOf(m.attribute(AkaMessage.AT_KDF)
                    .orElseThrow(() -> new AssertionError("AKA'-Challenge without AT_KDF")));
            if (kdf != 1) {
                throw new AssertionError("AT_KDF " + kdf);
            }
            String network = new String(AkaMessage.lengthPrefixedData(m.attribute(AkaMessage.AT_KDF_INPUT)
                    .orElseThrow(() -> new AssertionError("AKA'-Challenge without AT_KDF_INPUT"))),
                    StandardCharsets.UTF_8);
            if (network.isEmpty()) {
                throw new AssertionError("empty AT_KDF_INPUT");
            }
            byte[][] prime = AkaPrimeKeys.deriveCkIkPrime(ok.ck(), ok.ik(), network, Arrays.copyOf(autn, 6));
            keys = AkaCrypto.akaPrimeFull(identity, prime[0], prime[1]);
        } else {
            if (m.has(AkaMessage.AT_KDF) || m.has(AkaMessage.AT_KDF_INPUT)) {
                throw new AssertionError("EAP-AKA challenge with EAP-AKA' attributes");
            }
            keys = AkaCrypto.akaFull(identity, ok.ik(), ok.ck());
        }
        verifyMac(request, keys.kAut(), null, "AKA-Challenge");
        byte[] checkcode = AkaMessage.afterReserved(m.attribute(AkaMessage.AT_CHECKCODE)
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
        attrs.add(AkaMessage.res(ok.res()));
        attrs.add(AkaMessage.reservedThen(AkaMessage.AT_CHECKCODE, checkcode()));
        if (wantResultIndication && m.has(AkaMessage.AT_RESULT_IND)) {
            attrs.add(AkaMessage.flag(AkaMessage.AT_RESULT_IND));
        }
        attrs.add(AkaMessage.reservedThen(AkaMessage.AT_MAC, new byte[16]));
        return signed(p, AkaMessage.CHALLENGE, attrs, null);
    }

    private byte[] notification(EapPacket p, AkaMessage m, byte[] request) {
        notification = AkaMessage.shortOf(m.attribute(AkaMessage.AT_NOTIFICATION).orElseThrow());
        if ((notification & 0x4000) == 0) {
            // P bit clear: after authentication, so protected by AT_MAC in both directions (RFC 4187 10.19).
            verifyMac(request, kAut, null, "AKA-Notification");
            return signed(p, AkaMessage.NOTIFICATION,
                    List.of(AkaMessage.reservedThen(AkaMessage.AT_MAC, new byte[16])), null);
        }
        if (m.has(AkaMessage.AT_MAC)) {
            throw new AssertionError("AT_MAC in a notification with the P bit set");
        }
        return response(p, AkaMessage.NOTIFICATION, List.of());
    }

    private byte[] reauthentication(EapPacket p, AkaMessage m, byte[] request) {
        verifyMac(request, kAut, null, "AKA-Reauthentication");
        AkaMessage inner = decrypt(m, kEncr);
        int counter = AkaMessage.shortOf(inner.attribute(AkaMessage.AT_COUNTER).orElseThrow());
        nonceS = AkaMessage.afterReserved(inner.attribute(AkaMessage.AT_NONCE_S).orElseThrow());
        List<Attribute> encrypted = new ArrayList<>();
        encrypted.add(AkaMessage.shortValue(AkaMessage.AT_COUNTER, counter));
        if (reportCounterTooSmall || counter <= lastCounter) {
            encrypted.add(AkaMessage.flag(AkaMessage.AT_COUNTER_TOO_SMALL));
            reauthId = null;
        } else {
            byte[][] keys = akaPrime ? AkaCrypto.akaPrimeReauth(identity, counter, nonceS, mkOrKre)
                    : AkaCrypto.akaReauth(identity, counter, nonceS, mkOrKre);
            msk = keys[0];
            lastCounter = counter;
            reauthId = inner.attribute(AkaMessage.AT_NEXT_REAUTH_ID)
                    .map(a -> new String(AkaMessage.lengthPrefixedData(a), StandardCharsets.UTF_8)).orElse(null);
        }
        byte[] iv = new byte[16];
        iv[15] = 7;
        List<Attribute> attrs = List.of(AkaMessage.reservedThen(AkaMessage.AT_IV, iv),
                AkaMessage.reservedThen(AkaMessage.AT_ENCR_DATA, AkaCrypto.encrypt(kEncr, iv,
                        AkaCrypto.encryptedAttributes(encrypted.toArray(new Attribute[0])))),
                AkaMessage.reservedThen(AkaMessage.AT_MAC, new byte[16]));
        return signed(p, AkaMessage.REAUTHENTICATION, attrs, nonceS);
    }

    private void learnIdentities(AkaMessage m, byte[] kEncr) {
        if (!m.has(AkaMessage.AT_ENCR_DATA)) {
            return;
        }
        AkaMessage inner = decrypt(m, kEncr);
        String realm = permanentIdentity.substring(permanentIdentity.indexOf('@') + 1);
        inner.attribute(AkaMessage.AT_NEXT_PSEUDONYM).ifPresent(a -> {
            // wpa_supplicant adds the realm of its permanent identity to a pseudonym that has none.
            String name = new String(AkaMessage.lengthPrefixedData(a), StandardCharsets.UTF_8);
            pseudonym = name.contains("@") ? name : name + "@" + realm;
        });
        inner.attribute(AkaMessage.AT_NEXT_REAUTH_ID).ifPresent(a ->
                reauthId = new String(AkaMessage.lengthPrefixedData(a), StandardCharsets.UTF_8));
    }

    private static AkaMessage decrypt(AkaMessage m, byte[] kEncr) {
        byte[] iv = AkaMessage.afterReserved(m.attribute(AkaMessage.AT_IV)
                .orElseThrow(() -> new AssertionError("AT_ENCR_DATA without AT_IV")));
        return AkaCrypto.decryptedAttributes(AkaCrypto.decrypt(kEncr, iv,
                AkaMessage.afterReserved(m.attribute(AkaMessage.AT_ENCR_DATA).orElseThrow())));
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
        if (off < 0 || !AkaCrypto.verify(akaPrime, key, packet, off, extra)) {
            throw new AssertionError("server AT_MAC of " + what + " does not verify");
        }
    }

    private byte[] response(EapPacket request, int subtype, List<Attribute> attrs) {
        return new EapPacket(EapPacket.RESPONSE, request.identifier(), type(), new AkaMessage(subtype, attrs)
                .encode()).encode();
    }

    private byte[] signed(EapPacket request, int subtype, List<Attribute> attrs, byte[] extra) {
        byte[] packet = response(request, subtype, attrs);
        AkaCrypto.sign(akaPrime, kAut, packet, macOffset(packet), extra);
        return packet;
    }

    static int macOffset(byte[] eapPacket) {
        int off = AkaMessage.valueOffset(Arrays.copyOfRange(eapPacket, 5, eapPacket.length), AkaMessage.AT_MAC);
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
