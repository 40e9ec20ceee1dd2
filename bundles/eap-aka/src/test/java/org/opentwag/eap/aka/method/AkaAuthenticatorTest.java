package org.opentwag.eap.aka.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.api.eap.EapStep;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.eap.aka.protocol.AkaCrypto;
import org.opentwag.eap.aka.protocol.AkaMessage;
import org.opentwag.milenage.AuthenticationCentre;
import org.opentwag.milenage.UsimSimulator;
import org.opentwag.state.memory.InMemoryStateStore;

/** The server state machine against a peer played here with the independent Milenage USIM. */
class AkaAuthenticatorTest {

    static final byte[] KI = HexFormat.of().parseHex("465b5ce8b199b49faa5f0a2ee238a6bc");
    static final byte[] OPC = HexFormat.of().parseHex("cd63cb71954a9f4e48a5994e37a02baf");
    static final String ID = "0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org";

    private long sqn = 0x100;
    private final List<String> calls = new ArrayList<>();
    private final AuthVectorSource source = new AuthVectorSource() {
        @Override
        public CompletionStage<AuthVector> fetch(VectorRequest r) {
            calls.add("fetch");
            sqn += 32;
            byte[] rand = new byte[16];
            rand[0] = (byte) sqn;
            return CompletableFuture.completedFuture(AuthenticationCentre.vector(KI, OPC, new byte[]{(byte) 0x80, 0},
                    rand, sqn));
        }

        @Override
        public CompletionStage<AuthVector> resynchronize(VectorRequest r, byte[] rand, byte[] auts) {
            calls.add("resync");
            sqn = AuthenticationCentre.verifyAuts(KI, OPC, rand, auts);
            return fetch(r);
        }
    };
    private final InMemoryStateStore store = new InMemoryStateStore(1000);
    private final AkaAuthenticator aka = new AkaAuthenticator(new AkaAuthenticator.Settings(false, "WLAN", true, true,
            true, 16, Duration.ofHours(1), "", false), () -> source, () -> store, new AkaStatistics());

    private EapConversation conversation(String identity) {
        EapConversation c = new EapConversation("c1", new NasContext("10.0.0.1", null, null, null), 1, 0);
        c.identity(identity);
        c.methodType(23);
        return c;
    }

    private static EapStep join(CompletionStage<EapStep> s) {
        return s.toCompletableFuture().join();
    }

    /** The peer's AKA-Challenge response: RES and AT_MAC over the packet with keys it derived itself. */
    private static byte[] challengeResponse(EapConversation c, byte[] request, UsimSimulator usim, boolean wrongRes) {
        EapPacket p = EapPacket.decode(request);
        AkaMessage m = AkaMessage.decode(p.typeData());
        byte[] rand = AkaMessage.afterReserved(m.attribute(AkaMessage.AT_RAND).orElseThrow());
        byte[] autn = AkaMessage.afterReserved(m.attribute(AkaMessage.AT_AUTN).orElseThrow());
        UsimSimulator.Answer a = usim.authenticate(rand, autn);
        if (a instanceof UsimSimulator.Answer.SyncFailure sf) {
            return new EapPacket(EapPacket.RESPONSE, p.identifier(), 23, new AkaMessage(
                    AkaMessage.SYNCHRONIZATION_FAILURE, List.of(new AkaMessage.Attribute(AkaMessage.AT_AUTS,
                    sf.auts()))).encode()).encode();
        }
        UsimSimulator.Answer.Success ok = (UsimSimulator.Answer.Success) a;
        AkaCrypto.Keys keys = AkaCrypto.akaFull(c.identity(), ok.ik(), ok.ck());
        byte[] res = ok.res().clone();
        if (wrongRes) {
            res[0] ^= 1;
        }
        byte[] packet = new EapPacket(EapPacket.RESPONSE, p.identifier(), 23, new AkaMessage(AkaMessage.CHALLENGE,
                List.of(AkaMessage.res(res), AkaMessage.reservedThen(AkaMessage.AT_MAC, new byte[16]))).encode())
                .encode();
        AkaCrypto.sign(false, keys.kAut(), packet, packet.length - 16, null);
        return packet;
    }

    @Test
    void fullAuthenticationSucceedsWithTheKeysThePeerDerives() {
        EapConversation c = conversation(ID);
        EapStep.Continue challenge = (EapStep.Continue) join(aka.start(c));
        AkaMessage m = AkaMessage.decode(EapPacket.decode(challenge.eapRequest()).typeData());
        assertThat(m.subtype()).isEqualTo(AkaMessage.CHALLENGE);
        assertThat(m.has(AkaMessage.AT_BIDDING)).isTrue();
        UsimSimulator usim = new UsimSimulator(KI, OPC, 0x20);
        EapStep done = join(aka.process(c, challengeResponse(c, challenge.eapRequest(), usim, false)));
        assertThat(done).isInstanceOf(EapStep.Success.class);
        EapStep.Success s = (EapStep.Success) done;
        assertThat(s.authentication().imsi()).isEqualTo("001010000000001");
        assertThat(s.authentication().sessionId()[0]).isEqualTo((byte) 23);
        // A pseudonym and a re-auth identity were handed out and are now known.
        assertThat(store.size(AkaAuthenticator.PSEUDONYM_MAP)).isEqualTo(1);
        assertThat(store.size(AkaAuthenticator.REAUTH_MAP)).isEqualTo(1);
    }

    @Test
    void aWrongResIsRejected() {
        EapConversation c = conversation(ID);
        EapStep.Continue challenge = (EapStep.Continue) join(aka.start(c));
        EapStep done = join(aka.process(c, challengeResponse(c, challenge.eapRequest(),
                new UsimSimulator(KI, OPC, 0x20), true)));
        assertThat(done).isInstanceOf(EapStep.Failure.class);
        assertThat(((EapStep.Failure) done).reason()).contains("RES verification failed");
        assertThat(store.size(AkaAuthenticator.REAUTH_MAP)).isZero();
    }

    @Test
    void aTamperedMacIsRejected() {
        EapConversation c = conversation(ID);
        EapStep.Continue challenge = (EapStep.Continue) join(aka.start(c));
        byte[] response = challengeResponse(c, challenge.eapRequest(), new UsimSimulator(KI, OPC, 0x20), false);
        response[response.length - 1] ^= 1;
        assertThat(join(aka.process(c, response))).isInstanceOf(EapStep.Failure.class);
    }

    @Test
    void synchronizationFailureResynchronisesOnceThenSucceeds() {
        EapConversation c = conversation(ID);
        UsimSimulator usim = new UsimSimulator(KI, OPC, 0x10000);
        EapStep.Continue challenge = (EapStep.Continue) join(aka.start(c));
        EapStep second = join(aka.process(c, challengeResponse(c, challenge.eapRequest(), usim, false)));
        assertThat(calls).containsExactly("fetch", "resync", "fetch");
        EapStep done = join(aka.process(c, challengeResponse(c, ((EapStep.Continue) second).eapRequest(), usim,
                false)));
        assertThat(done).isInstanceOf(EapStep.Success.class);
    }

    @Test
    void anUnknownReauthIdentityLeadsToAnIdentityRequest() {
        EapConversation c = conversation("4deadbeef@wlan.mnc001.mcc001.3gppnetwork.org");
        EapStep.Continue req = (EapStep.Continue) join(aka.start(c));
        AkaMessage m = AkaMessage.decode(EapPacket.decode(req.eapRequest()).typeData());
        assertThat(m.subtype()).isEqualTo(AkaMessage.IDENTITY);
        assertThat(m.has(AkaMessage.AT_FULLAUTH_ID_REQ)).isTrue();
        // The peer answers with its permanent identity: a challenge follows.
        byte[] answer = new EapPacket(EapPacket.RESPONSE, EapPacket.decode(req.eapRequest()).identifier(), 23,
                new AkaMessage(AkaMessage.IDENTITY, List.of(AkaMessage.lengthPrefixed(AkaMessage.AT_IDENTITY, ID)))
                        .encode()).encode();
        EapStep next = join(aka.process(c, answer));
        assertThat(AkaMessage.decode(EapPacket.decode(((EapStep.Continue) next).eapRequest()).typeData()).subtype())
                .isEqualTo(AkaMessage.CHALLENGE);
        assertThat(c.identity()).isEqualTo(ID);
    }

    @Test
    void identitiesOfTheOtherMethodAreNotAccepted() {
        assertThat(aka.accepts(ID)).isTrue();
        assertThat(aka.accepts("6001010000000001@wlan.mnc001.mcc001.3gppnetwork.org")).isFalse();
        assertThat(aka.accepts("not an identity")).isFalse();
    }

    @Test
    void authenticationRejectFromThePeerFails() {
        EapConversation c = conversation(ID);
        EapStep.Continue challenge = (EapStep.Continue) join(aka.start(c));
        byte[] reject = new EapPacket(EapPacket.RESPONSE, EapPacket.decode(challenge.eapRequest()).identifier(), 23,
                new AkaMessage(AkaMessage.AUTHENTICATION_REJECT, List.of()).encode()).encode();
        assertThat(join(aka.process(c, reject))).isInstanceOf(EapStep.Failure.class);
        assertThat(new String(Arrays.copyOf(reject, 0), StandardCharsets.US_ASCII)).isEmpty();
    }
}
