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
}
