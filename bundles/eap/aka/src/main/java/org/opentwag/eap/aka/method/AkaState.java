package org.opentwag.eap.aka.method;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.state.StateFormatException;
import org.opentwag.api.state.StateReader;
import org.opentwag.api.state.StateWriter;
import org.opentwag.eap.simaka.protocol.SimAkaCrypto.Keys;

/**
 * Everything an EAP-AKA/AKA' conversation keeps between two packets (hostapd's struct eap_aka_data), in one typed
 * record instead of named map entries.
 *
 * <p>Kept in {@link EapConversation#data()} as one byte array under {@link #KEY}, per that class's contract (JDK types
 * only): a {@code bundle:update} of eap-aka between two packets, or a cluster moving the conversation, finds bytes the
 * new bundle reads. The wire name of the phase also goes to {@link EapConversation#phase(String)} for logs and the
 * shell.
 *
 * @param phase            which request was sent last
 * @param identityRequest  the AT_*_ID_REQ of the last AKA-Identity request, -1 for none
 * @param identityMessages every AKA-Identity request and response so far, in order (for AT_CHECKCODE); empty if none
 * @param imsi             the subscriber once known, else null
 * @param challenge        the vector's RAND, AUTN and XRES once a challenge was sent, else null
 * @param keys             K_encr, K_aut, MK or K_re, MSK, EMSK once derived, else null
 * @param reauth           NONCE_S, counter and the request's AT_MAC of a fast re-authentication, else null
 * @param nextPseudonym    the pseudonym announced in this exchange, else null
 * @param nextReauthId     the re-authentication identity announced in this exchange, else null
 * @param resynced         a Synchronization-Failure was already handled (a second one ends the conversation)
 * @param failure          why a failure notification was sent, else null
 * @param keyIdentity      the decrypted permanent identity of an encrypted one (IMSI privacy), which keys are
 *                         derived from (the peer uses it too) while {@link EapConversation#identity()} keeps the
 *                         anonymous one; null when the identity on the wire is the one keys derive from
 */
record AkaState(AkaPhase phase, int identityRequest, byte[] identityMessages, String imsi, Challenge challenge,
                Keys keys, Reauth reauth, String nextPseudonym, String nextReauthId, boolean resynced,
                String failure, String keyIdentity) {

    /** The conversation data entry. */
    static final String KEY = "aka.state";
    private static final byte FORMAT = 2;
    /** The format before keyIdentity, still read so that a bundle:update mid-conversation carries on. */
    private static final byte FORMAT_1 = 1;

    record Challenge(byte[] rand, byte[] autn, byte[] xres) {
        @Override
        public String toString() {
            return "Challenge[hidden]";
        }
    }

    record Reauth(byte[] nonceS, int counter, byte[] requestMac) {
        @Override
        public String toString() {
            return "Reauth[counter=" + counter + "]";
        }
    }

    /** A conversation that has only seen EAP-Response/Identity. */
    static AkaState initial() {
        return new AkaState(AkaPhase.IDENTITY, -1, new byte[0], null, null, null, null, null, null, false, null, null);
    }

    /** The state kept in a conversation; {@link #initial()} when there is none or it is unreadable. */
    static AkaState of(EapConversation conv) {
        byte[] bytes = conv.data().get(KEY);
        if (bytes == null) {
            AkaState legacy = fromNamedEntries(conv.data(), conv.phase());
            return legacy != null ? legacy : initial();
        }
        if (conv.decoded(bytes) instanceof AkaState known) {
            return known; // the bytes this node last wrote or read for this conversation: no need to decode them again
        }
        AkaState s = decode(bytes);
        if (s == null) {
            return initial();
        }
        conv.decoded(bytes, s);
        return s;
    }

    /** Stores this state in the conversation (and its phase name). */
    AkaState saveTo(EapConversation conv) {
        byte[] bytes = encode();
        conv.data().put(KEY, bytes);
        conv.decoded(bytes, this);
        conv.phase(phase.wireName());
        return this;
    }

    AkaState withPhase(AkaPhase p) {
        return new AkaState(p, identityRequest, identityMessages, imsi, challenge, keys, reauth, nextPseudonym,
                nextReauthId, resynced, failure, keyIdentity);
    }

    AkaState withKeyIdentity(String identity) {
        return new AkaState(phase, identityRequest, identityMessages, imsi, challenge, keys, reauth, nextPseudonym,
                nextReauthId, resynced, failure, identity);
    }

    AkaState withIdentityRequest(int attr) {
        return new AkaState(phase, attr, identityMessages, imsi, challenge, keys, reauth, nextPseudonym,
                nextReauthId, resynced, failure, keyIdentity);
    }

    /** Appends an AKA-Identity message for AT_CHECKCODE. */
    AkaState withIdentityMessage(byte[] packet) {
        byte[] all = new byte[identityMessages.length + packet.length];
        System.arraycopy(identityMessages, 0, all, 0, identityMessages.length);
        System.arraycopy(packet, 0, all, identityMessages.length, packet.length);
        return new AkaState(phase, identityRequest, all, imsi, challenge, keys, reauth, nextPseudonym, nextReauthId,
                resynced, failure, keyIdentity);
    }

    AkaState withImsi(String i) {
        return new AkaState(phase, identityRequest, identityMessages, i, challenge, keys, reauth, nextPseudonym,
                nextReauthId, resynced, failure, keyIdentity);
    }

    /** A full authentication's challenge: its vector and keys; announced identities are set separately. */
    AkaState withChallenge(Challenge c, Keys k) {
        return new AkaState(phase, identityRequest, identityMessages, imsi, c, k, reauth, nextPseudonym,
                nextReauthId, resynced, failure, keyIdentity);
    }

    AkaState withReauth(Reauth r, Keys k) {
        return new AkaState(phase, identityRequest, identityMessages, imsi, challenge, k, r, nextPseudonym,
                nextReauthId, resynced, failure, keyIdentity);
    }

    AkaState withAnnounced(String pseudonym, String reauthId) {
        return new AkaState(phase, identityRequest, identityMessages, imsi, challenge, keys, reauth, pseudonym,
                reauthId, resynced, failure, keyIdentity);
    }

    AkaState withResynced() {
        return new AkaState(phase, identityRequest, identityMessages, imsi, challenge, keys, reauth, nextPseudonym,
                nextReauthId, true, failure, keyIdentity);
    }

    AkaState withFailure(String why) {
        return new AkaState(phase, identityRequest, identityMessages, imsi, challenge, keys, reauth, nextPseudonym,
                nextReauthId, resynced, why, keyIdentity);
    }

    // ---------------------------------------------------------------- byte form

    /**
     * The byte form: the same bytes the DataOutputStream of earlier versions wrote (so a bundle:update either way in
     * the middle of a conversation reads them), counted first and written into one array of that size.
     */
    byte[] encode() {
        StateWriter out = StateWriter.counting();
        write(out);
        byte[] bytes = new byte[out.position()];
        write(out.reset(bytes, 0));
        return bytes;
    }

    private void write(StateWriter out) {
        String phaseName = phase.name(); // ASCII: DataOutput.writeUTF's two-byte length, then the characters
        out.putByte(FORMAT).putByte(phaseName.length() >>> 8).putByte(phaseName.length()).putRawString(phaseName);
        out.putInt(identityRequest).putBytes(identityMessages).putString(imsi);
        out.putBoolean(challenge != null);
        if (challenge != null) {
            out.putBytes(challenge.rand()).putBytes(challenge.autn()).putBytes(challenge.xres());
        }
        out.putBoolean(keys != null);
        if (keys != null) {
            out.putBytes(keys.kEncr()).putBytes(keys.kAut()).putBytes(keys.reauthKey()).putBytes(keys.msk())
                    .putBytes(keys.emsk());
        }
        out.putBoolean(reauth != null);
        if (reauth != null) {
            out.putBytes(reauth.nonceS()).putInt(reauth.counter()).putBytes(reauth.requestMac());
        }
        out.putString(nextPseudonym).putString(nextReauthId).putBoolean(resynced).putString(failure)
                .putString(keyIdentity);
    }

    /** The state of its byte form, or null for another format or damaged bytes. */
    static AkaState decode(byte[] bytes) {
        try {
            StateReader in = new StateReader(bytes);
            int format = in.getByte();
            if (format != FORMAT && format != FORMAT_1) {
                return null;
            }
            int phaseLength = in.getByte() << 8 | in.getByte();
            if (phaseLength > in.remaining()) {
                return null;
            }
            AkaPhase phase = AkaPhase.valueOf(new String(bytes, 3, phaseLength, StandardCharsets.UTF_8));
            StateReader rest = new StateReader(bytes, 3 + phaseLength, bytes.length - 3 - phaseLength);
            int identityRequest = rest.getInt();
            byte[] identityMessages = rest.getBytes();
            String imsi = rest.getString();
            Challenge challenge = rest.getBoolean()
                    ? new Challenge(rest.getBytes(), rest.getBytes(), rest.getBytes()) : null;
            Keys keys = rest.getBoolean()
                    ? new Keys(rest.getBytes(), rest.getBytes(), rest.getBytes(), rest.getBytes(), rest.getBytes())
                    : null;
            Reauth reauth = rest.getBoolean() ? new Reauth(rest.getBytes(), rest.getInt(), rest.getBytes()) : null;
            String nextPseudonym = rest.getString();
            String nextReauthId = rest.getString();
            boolean resynced = rest.getBoolean();
            String failure = rest.getString();
            String keyIdentity = format == FORMAT ? rest.getString() : null;
            if (rest.remaining() != 0) {
                return null;
            }
            return new AkaState(phase, identityRequest, identityMessages == null ? new byte[0] : identityMessages,
                    imsi, challenge, keys, reauth, nextPseudonym, nextReauthId, resynced, failure, keyIdentity);
        } catch (IllegalArgumentException | StateFormatException e) {
            return null;
        }
    }

    /**
     * A conversation begun by the version before this record, which kept 18 named entries: read once, so that a
     * {@code bundle:update} from it in the middle of a conversation does not fail that conversation. Null when the
     * conversation has none of them.
     */
    static AkaState fromNamedEntries(Map<String, byte[]> d, String phaseName) {
        if (d.isEmpty()) {
            return null;
        }
        byte[] rand = d.get("rand");
        Challenge challenge = rand == null ? null : new Challenge(rand, d.get("autn"), d.get("xres"));
        Keys keys = d.containsKey("k_aut")
                ? new Keys(d.get("k_encr"), d.get("k_aut"), d.get("k_re"), d.get("msk"), d.get("emsk")) : null;
        Reauth reauth = d.containsKey("nonce_s")
                ? new Reauth(d.get("nonce_s"), int32(d.get("counter")), d.get("reauth_mac")) : null;
        return new AkaState(AkaPhase.of(phaseName), int32(d.get("idreq")), d.getOrDefault("id_msgs", new byte[0]),
                string(d.get("imsi")), challenge, keys, reauth, string(d.get("next_pseudonym")),
                string(d.get("next_reauth")), d.containsKey("resynced"), string(d.get("failure")), null);
    }

    private static int int32(byte[] b) {
        if (b == null || b.length != 4) {
            return -1;
        }
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Keys, XRES and RAND stay out of logs. */
    @Override
    public String toString() {
        return "AkaState[phase=" + phase + ", imsi=" + imsi + ", resynced=" + resynced + "]";
    }
}
