package org.opentwag.eap.sim.method;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.opentwag.api.eap.EapConversation;

/**
 * Everything one EAP-SIM conversation keeps between two packets, as one typed record. The engine holds it in
 * {@link EapConversation#data()} as a single byte array under {@link #KEY} (JDK types only there: the bundle may be
 * updated, or the conversation move to another cluster member, between two packets).
 *
 * @param phase         which response is awaited
 * @param startRounds   SIM/Start rounds sent so far (RFC 4186 4.2.1: at most three)
 * @param idRequest     the identity request attribute of the last SIM/Start (AT_*_ID_REQ), 0 for none
 * @param imsi          the subscriber, once known
 * @param nonceMt       the peer's AT_NONCE_MT (full authentication)
 * @param rands         the n RANDs of the challenge, concatenated
 * @param sres          the n expected SRES, concatenated in RAND order (extra data of the response's AT_MAC)
 * @param kAut          K_aut
 * @param kEncr         K_encr
 * @param mk            MK (kept for fast re-authentication)
 * @param msk           the MSK to hand to the engine on success
 * @param emsk          the EMSK
 * @param counter       the re-authentication counter in use (0 in a full authentication)
 * @param nonceS        AT_NONCE_S of a re-authentication
 * @param sessionId     the EAP Session-Id (RFC 5247) of this exchange
 * @param nextPseudonym the pseudonym announced in this exchange, valid once it succeeds
 * @param nextReauthId  the re-authentication identity announced, valid once it succeeds
 * @param failure       why a failure notification was sent
 */
public record SimState(SimPhase phase, int startRounds, int idRequest, String imsi, byte[] nonceMt, byte[] rands,
                       byte[] sres, byte[] kAut, byte[] kEncr, byte[] mk, byte[] msk, byte[] emsk, int counter,
                       byte[] nonceS, byte[] sessionId, String nextPseudonym, String nextReauthId, String failure) {

    /** The conversation data key. */
    public static final String KEY = "eap-sim";
    private static final byte FORMAT = 1;

    /** A conversation that sent its first SIM/Start. */
    public static SimState started(int idRequest, String imsi) {
        return new SimState(SimPhase.START, 1, idRequest, imsi, null, null, null, null, null, null, null, null, 0,
                null, null, null, null, null);
    }

    public SimState withPhase(SimPhase p) {
        return new SimState(p, startRounds, idRequest, imsi, nonceMt, rands, sres, kAut, kEncr, mk, msk, emsk,
                counter, nonceS, sessionId, nextPseudonym, nextReauthId, failure);
    }

    /** Another SIM/Start round, asking with {@code request} (0 for none). */
    public SimState nextStart(int request, String knownImsi) {
        return new SimState(SimPhase.START, startRounds + 1, request, knownImsi, null, null, null, null, null, null,
                null, null, 0, null, null, null, null, null);
    }

    public SimState challenge(String subscriber, byte[] nonce, byte[] allRands, byte[] allSres, byte[] aut,
                              byte[] encr, byte[] masterKey, byte[] sessionMsk, byte[] sessionEmsk, byte[] id,
                              String pseudonym, String reauthId) {
        return new SimState(SimPhase.CHALLENGE, startRounds, idRequest, subscriber, nonce, allRands, allSres, aut,
                encr, masterKey, sessionMsk, sessionEmsk, 0, null, id, pseudonym, reauthId, null);
    }

    public static SimState reauthentication(String imsi, byte[] kAut, byte[] kEncr, byte[] mk, byte[] msk,
                                            byte[] emsk, int counter, byte[] nonceS, byte[] sessionId,
                                            String nextReauthId) {
        return new SimState(SimPhase.REAUTHENTICATION, 0, 0, imsi, null, null, null, kAut, kEncr, mk, msk, emsk,
                counter, nonceS, sessionId, null, nextReauthId, null);
    }

    public SimState failed(String reason) {
        return new SimState(SimPhase.FAILURE_NOTIFICATION, startRounds, idRequest, imsi, null, null, null, null,
                null, null, null, null, counter, null, null, null, null, reason);
    }

    /** Stores this state in the conversation, with the phase's label for the shell. */
    public void storeIn(EapConversation conv) {
        conv.data().put(KEY, encode());
        conv.phase(phase.label());
    }

    /** The state of the conversation, or null when it holds none (or one this version cannot read). */
    public static SimState of(EapConversation conv) {
        byte[] b = conv.data().get(KEY);
        return b == null ? null : decode(b);
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeByte(phase.ordinal());
            out.writeByte(startRounds);
            out.writeByte(idRequest);
            writeString(out, imsi);
            for (byte[] b : new byte[][]{nonceMt, rands, sres, kAut, kEncr, mk, msk, emsk}) {
                writeBytes(out, b);
            }
            out.writeInt(counter);
            writeBytes(out, nonceS);
            writeBytes(out, sessionId);
            writeString(out, nextPseudonym);
            writeString(out, nextReauthId);
            writeString(out, failure);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static SimState decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            if (in.readByte() != FORMAT) {
                return null;
            }
            SimPhase phase = SimPhase.values()[in.readByte()];
            int rounds = in.readByte();
            int idRequest = in.readByte() & 0xff;
            String imsi = readString(in);
            byte[][] b = new byte[8][];
            for (int i = 0; i < b.length; i++) {
                b[i] = readBytes(in);
            }
            int counter = in.readInt();
            byte[] nonceS = readBytes(in);
            byte[] sessionId = readBytes(in);
            return new SimState(phase, rounds, idRequest, imsi, b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                    counter, nonceS, sessionId, readString(in), readString(in), readString(in));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeShort(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readShort();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** Keys and SRES are never printed. */
    @Override
    public String toString() {
        return "SimState[phase=" + phase + ", startRounds=" + startRounds + ", imsi=" + imsi + ", counter=" + counter
                + "]";
    }
}
