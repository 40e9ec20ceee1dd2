package org.opentwag.eap.aka.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opentwag.eap.aka.method.AkaAuthenticatorTest.ID;
import static org.opentwag.eap.aka.method.AkaAuthenticatorTest.KI;
import static org.opentwag.eap.aka.method.AkaAuthenticatorTest.OPC;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.eap.EapStep;
import org.opentwag.loadgen.peer.AkaPeer;
import org.opentwag.milenage.UsimSimulator;

/**
 * The typed conversation state: what a conversation keeps between two packets survives its byte form (the only form
 * {@link EapConversation#data()} holds, so a bundle:update between two packets reads it), and a conversation begun by
 * the version before it, which kept named entries, still completes after the update.
 */
class AkaStateTest {

    private final AkaAuthenticatorTest t = new AkaAuthenticatorTest();

    @Test
    void theStateOfAChallengeSurvivesItsByteForm() {
        AkaAuthenticator aka = t.authenticator(false, 16, false);
        EapConversation c = AkaAuthenticatorTest.conversation(ID, 23);
        AkaAuthenticatorTest.join(aka.start(c));
        AkaState s = AkaState.of(c);
        assertThat(s.phase()).isEqualTo(AkaPhase.CHALLENGE);
        assertThat(c.phase()).isEqualTo("challenge");
        assertThat(c.data()).containsOnlyKeys(AkaState.KEY);
        AkaState again = AkaState.decode(s.encode());
        assertThat(again.phase()).isEqualTo(s.phase());
        assertThat(again.imsi()).isEqualTo("001010000000001");
        assertThat(again.challenge().xres()).isEqualTo(s.challenge().xres());
        assertThat(again.keys().kAut()).isEqualTo(s.keys().kAut());
        assertThat(again.keys().msk()).isEqualTo(s.keys().msk());
        assertThat(again.nextPseudonym()).isEqualTo(s.nextPseudonym()).isNotNull();
        assertThat(again.nextReauthId()).isEqualTo(s.nextReauthId()).isNotNull();
        // Keys never reach a log line through toString.
        assertThat(s.toString()).doesNotContain("kAut").doesNotContain("xres");
    }

    @Test
    void damagedBytesReadAsNoState() {
        byte[] bytes = AkaState.initial().withImsi("001010000000001").encode();
        assertThat(AkaState.decode(java.util.Arrays.copyOf(bytes, bytes.length - 1))).isNull();
        bytes[0] = 9;
        assertThat(AkaState.decode(bytes)).isNull();
    }

    /** Rewrites a conversation's state as the version before this record kept it: 18 named entries. */
    private static void asNamedEntries(EapConversation c) {
        AkaState s = AkaState.of(c);
        Map<String, byte[]> d = c.data();
        d.clear();
        d.put("imsi", s.imsi().getBytes(StandardCharsets.US_ASCII));
        d.put("rand", s.challenge().rand());
        d.put("autn", s.challenge().autn());
        d.put("xres", s.challenge().xres());
        d.put("k_aut", s.keys().kAut());
        d.put("k_encr", s.keys().kEncr());
        d.put("k_re", s.keys().reauthKey());
        d.put("msk", s.keys().msk());
        d.put("emsk", s.keys().emsk());
        d.put("next_pseudonym", s.nextPseudonym().getBytes(StandardCharsets.US_ASCII));
        d.put("next_reauth", s.nextReauthId().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aConversationBegunWithNamedEntriesCompletesAfterTheUpdate() {
        AkaAuthenticator aka = t.authenticator(false, 16, false);
        AkaPeer peer = new AkaPeer(ID, new UsimSimulator(KI, OPC, 0x20)::authenticate, false, true);
        EapConversation c = AkaAuthenticatorTest.conversation(ID, 23);
        peer.newConversation(ID);
        EapStep challenge = AkaAuthenticatorTest.join(aka.start(c));
        asNamedEntries(c);
        assertThat(c.data()).doesNotContainKey(AkaState.KEY);
        EapStep done = AkaAuthenticatorTest.join(aka.process(c, peer.respond(AkaAuthenticatorTest.request(challenge))));
        assertThat(done).isInstanceOf(EapStep.Success.class);
        assertThat(((EapStep.Success) done).authentication().msk()).isEqualTo(peer.msk());
    }

    /** The byte form as versions up to this one wrote it, through a DataOutputStream (format 2). */
    private static byte[] asDataOutputStreamWroteIt(AkaState s) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(2);
            out.writeUTF(s.phase().name());
            out.writeInt(s.identityRequest());
            writeBytes(out, s.identityMessages());
            writeBytes(out, utf8(s.imsi()));
            out.writeBoolean(s.challenge() != null);
            if (s.challenge() != null) {
                writeBytes(out, s.challenge().rand());
                writeBytes(out, s.challenge().autn());
                writeBytes(out, s.challenge().xres());
            }
            out.writeBoolean(s.keys() != null);
            if (s.keys() != null) {
                writeBytes(out, s.keys().kEncr());
                writeBytes(out, s.keys().kAut());
                writeBytes(out, s.keys().reauthKey());
                writeBytes(out, s.keys().msk());
                writeBytes(out, s.keys().emsk());
            }
            out.writeBoolean(s.reauth() != null);
            if (s.reauth() != null) {
                writeBytes(out, s.reauth().nonceS());
                out.writeInt(s.reauth().counter());
                writeBytes(out, s.reauth().requestMac());
            }
            writeBytes(out, utf8(s.nextPseudonym()));
            writeBytes(out, utf8(s.nextReauthId()));
            out.writeBoolean(s.resynced());
            writeBytes(out, utf8(s.failure()));
            writeBytes(out, utf8(s.keyIdentity()));
        }
        return bytes.toByteArray();
    }

    private static void writeBytes(java.io.DataOutputStream out, byte[] b) throws java.io.IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theByteFormIsTheOneEarlierVersionsWroteAndRead() throws Exception {
        AkaAuthenticator aka = t.authenticator(false, 16, false);
        EapConversation c = AkaAuthenticatorTest.conversation(ID, 23);
        AkaAuthenticatorTest.join(aka.start(c));
        AkaState challenge = AkaState.of(c).withFailure("général").withResynced()
                .withReauth(new AkaState.Reauth(new byte[16], 3, new byte[16]), AkaState.of(c).keys());
        for (AkaState s : java.util.List.of(AkaState.initial(), AkaState.of(c), challenge,
                AkaState.initial().withIdentityMessage(new byte[300]).withKeyIdentity("0001010000000001@realm"))) {
            byte[] old = asDataOutputStreamWroteIt(s);
            assertThat(s.encode()).isEqualTo(old);
            assertThat(AkaState.decode(old).encode()).isEqualTo(old);
        }
    }

    @Test
    void aConversationsStateIsDecodedOnlyWhenItsBytesAreNotTheOnesLastWritten() {
        AkaAuthenticator aka = t.authenticator(false, 16, false);
        EapConversation c = AkaAuthenticatorTest.conversation(ID, 23);
        AkaAuthenticatorTest.join(aka.start(c));
        AkaState first = AkaState.of(c);
        assertThat(AkaState.of(c)).isSameAs(first);
        // As another node (or an updated bundle) finds it: the same bytes in a new array, no reading cached.
        c.data().put(AkaState.KEY, c.data().get(AkaState.KEY).clone());
        AkaState read = AkaState.of(c);
        assertThat(read).isNotSameAs(first);
        assertThat(read.encode()).isEqualTo(first.encode());
        assertThat(AkaState.of(c)).isSameAs(read);
        AkaState saved = read.withPhase(AkaPhase.FAILURE_NOTIFICATION).saveTo(c);
        assertThat(AkaState.of(c)).isSameAs(saved);
    }
}
