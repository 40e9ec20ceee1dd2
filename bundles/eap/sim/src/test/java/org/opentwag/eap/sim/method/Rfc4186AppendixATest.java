package org.opentwag.eap.sim.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.api.eap.EapStep;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.eap.simaka.identity.IdentityStore;
import org.opentwag.eap.simaka.identity.ReauthContext;
import org.opentwag.eap.simaka.protocol.SimAkaCrypto;
import org.opentwag.eap.simaka.protocol.SimAkaMessage;
import org.opentwag.state.memory.InMemoryStateStore;

/**
 * The method replays the exchange of RFC 4186 Appendix A (vectors/eap-aka.json): its peer packets A.2, A.4, A.6,
 * A.8 and A.10 must be accepted, and the keys handed to the engine must be the published MSK/EMSK. The triplets of
 * A are served as quintuplets that c2/c3 turn back into them (XRES = SRES: a 4-byte XRES is its own c2; CK = Kc|0,
 * IK = 0: c3 gives Kc), so the whole path source → GsmTriplet → MK → keys → AT_MAC is checked. Our requests carry
 * fresh IVs and identities, so they are checked by what the peer would do with them (MAC, decryption) rather than
 * byte for byte, except SIM/Start (A.3), which has nothing random.
 */
class Rfc4186AppendixATest {

    private static final HexFormat HEX = HexFormat.of();
    private JsonNode set;
    private final InMemoryStateStore store = new InMemoryStateStore(100);
    private final IdentityStore identities = new IdentityStore(() -> store, Duration.ofHours(1));
    private final Deque<byte[]> nonces = new ArrayDeque<>();
    private int fetches;

    @BeforeEach
    void load() throws IOException {
        String dir = System.getProperty("opentwag.vectors.dir", "../../../vectors");
        for (JsonNode s : new ObjectMapper().readTree(new File(dir, "eap-aka.json")).get("vector_sets")) {
            if (s.get("name").asText().startsWith("RFC 4186 Appendix A")) {
                set = s;
            }
        }
        assertThat(set).isNotNull();
    }

    private SimAuthenticator authenticator(boolean resultIndication) {
        AuthVectorSource source = new AuthVectorSource() {
            @Override
            public CompletionStage<AuthVector> fetch(VectorRequest request) {
                JsonNode t = set.get("inputs").get("triplets").get(fetches++);
                byte[] kc = hex(t.get("Kc").asText());
                return CompletableFuture.completedFuture(new AuthVector(hex(t.get("RAND").asText()), new byte[16],
                        hex(t.get("SRES").asText()), Arrays.copyOf(kc, 16), new byte[16]));
            }

            @Override
            public CompletionStage<AuthVector> resynchronize(VectorRequest request, byte[] rand, byte[] auts) {
                throw new AssertionError("EAP-SIM never resynchronises");
            }
        };
        return new SimAuthenticator(new SimAuthenticator.Settings(3, true, true, 16, "", resultIndication, "test"),
                () -> source, identities, new SimStatistics(name -> new LongAdder()), b -> {
                    byte[] next = nonces.poll();
                    if (next != null && next.length == b.length) {
                        System.arraycopy(next, 0, b, 0, b.length);
                    } else {
                        new java.security.SecureRandom().nextBytes(b);
                    }
                });
    }

    @Test
    void fullAuthenticationOfAppendixA() {
        SimAuthenticator sim = authenticator(false);
        EapConversation conv = new EapConversation("c", new NasContext("10.0.0.1", null, null, null), 0, 0);
        conv.identity("1244070100000001@eapsim.foo"); // A.2
        assertThat(sim.accepts(conv.identity())).isTrue();

        byte[] start = continued(sim.start(conv));
        assertThat(HEX.formatHex(start)).as("A.3 EAP-Request/SIM/Start").isEqualTo(packet("A.3 EAP-Request/SIM/Start"));

        byte[] challenge = continued(sim.process(conv, hex(packet("A.4 EAP-Response/SIM/Start"))));
        assertThat(fetches).as("one quintuplet per RAND").isEqualTo(3);
        SimAkaMessage m = SimAkaMessage.decode(EapPacket.decode(challenge).typeData());
        assertThat(m.subtype()).isEqualTo(SimAkaMessage.SIM_CHALLENGE);
        assertThat(challenge[1]).as("Identifier of A.5").isEqualTo((byte) 2);
        // The RANDs of A.5, in order.
        assertThat(HEX.formatHex(SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_RAND).orElseThrow())))
                .isEqualTo("101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
                        + "303132333435363738393a3b3c3d3e3f");
        // The peer's checks of A.5: AT_MAC with the published K_aut over the packet and NONCE_MT ...
        byte[] kAut = derived("K_aut");
        assertThat(SimAkaCrypto.verify(false, kAut, challenge, SimAkaCrypto.macOffset(challenge),
                hex(set.get("inputs").get("NONCE_MT").asText()))).as("AT_MAC verifies with RFC 4186 K_aut").isTrue();
        // ... and AT_ENCR_DATA decrypts with the published K_encr to the identities it announces.
        SimAkaMessage inner = SimAkaCrypto.decryptedAttributes(SimAkaCrypto.decrypt(derived("K_encr"),
                SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_IV).orElseThrow()),
                SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_ENCR_DATA).orElseThrow())));
        String pseudonym = text(inner, SimAkaMessage.AT_NEXT_PSEUDONYM);
        String reauthId = text(inner, SimAkaMessage.AT_NEXT_REAUTH_ID);
        assertThat(pseudonym).startsWith("3");
        assertThat(reauthId).startsWith("5").endsWith("@eapsim.foo");

        EapStep done = step(sim.process(conv, hex(packet("A.6 EAP-Response/SIM/Challenge"))));
        assertThat(done).isInstanceOf(EapStep.Success.class);
        EapStep.Success ok = (EapStep.Success) done;
        assertThat(ok.authentication().imsi()).isEqualTo("244070100000001");
        assertThat(ok.authentication().fastReauth()).isFalse();
        assertThat(ok.authentication().msk()).isEqualTo(derived("MSK"));
        assertThat(ok.authentication().emsk()).isEqualTo(derived("EMSK"));

        // The identities announced are now valid: the pseudonym names the IMSI, the re-auth identity holds MK.
        assertThat(store.get(IdentityStore.PSEUDONYM_MAP, pseudonym, String.class)).isEqualTo("244070100000001");
        // The pseudonym identifies the subscriber in the next attach: a SIM/Start without an identity request.
        EapConversation next = new EapConversation("c2", new NasContext("10.0.0.1", null, null, null), 0, 0);
        next.identity(pseudonym + "@eapsim.foo");
        assertThat(sim.accepts(next.identity())).isTrue();
        SimAkaMessage nextStart = SimAkaMessage.decode(EapPacket.decode(continued(sim.start(next))).typeData());
        assertThat(nextStart.subtype()).isEqualTo(SimAkaMessage.SIM_START);
        assertThat(nextStart.has(SimAkaMessage.AT_PERMANENT_ID_REQ) || nextStart.has(SimAkaMessage.AT_ANY_ID_REQ)
                || nextStart.has(SimAkaMessage.AT_FULLAUTH_ID_REQ)).isFalse();
        assertThat(SimState.of(next).imsi()).isEqualTo("244070100000001");

        ReauthContext ctx = identities.takeReauth(reauthId);
        assertThat(ctx.methodType()).isEqualTo(18);
        assertThat(ctx.kRe()).as("MK").isEqualTo(derived("MK"));
        assertThat(ctx.counter()).isZero();
    }

    @Test
    void fastReauthenticationOfAppendixA() {
        SimAuthenticator sim = authenticator(false);
        String reauthId = set.get("inputs").get("next_reauth_id").asText();
        // What the full authentication of A.5-A.7 left: the context under the re-auth identity it announced.
        identities.commit("244070100000001", org.opentwag.eap.simaka.protocol.SimAkaMethod.SIM, null, reauthId,
                new ReauthContext("244070100000001", 18, 0, derived("K_aut"), derived("K_encr"), derived("MK")));
        // NONCE_S and IV as published in A.9.
        nonces.add(hex(set.get("inputs").get("NONCE_S").asText()));
        nonces.add(hex(packetNode("A.9 EAP-Request/SIM/Re-authentication").get("AT_IV").asText()));

        EapConversation conv = new EapConversation("c", new NasContext("10.0.0.1", null, null, null), 0, 0);
        conv.identity(reauthId); // A.8 (the engine routes by our prefix '5'; this RFC identity has none)
        byte[] request = continued(sim.start(conv));
        SimAkaMessage m = SimAkaMessage.decode(EapPacket.decode(request).typeData());
        assertThat(m.subtype()).isEqualTo(SimAkaMessage.REAUTHENTICATION);
        assertThat(SimAkaCrypto.verify(false, derived("K_aut"), request, SimAkaCrypto.macOffset(request), null))
                .isTrue();
        SimAkaMessage inner = SimAkaCrypto.decryptedAttributes(SimAkaCrypto.decrypt(derived("K_encr"),
                SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_IV).orElseThrow()),
                SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_ENCR_DATA).orElseThrow())));
        assertThat(SimAkaMessage.shortOf(inner.attribute(SimAkaMessage.AT_COUNTER).orElseThrow())).isEqualTo(1);

        EapStep done = step(sim.process(conv, hex(packet("A.10 EAP-Response/SIM/Re-authentication"))));
        assertThat(done).isInstanceOf(EapStep.Success.class);
        EapStep.Success ok = (EapStep.Success) done;
        assertThat(ok.authentication().fastReauth()).isTrue();
        assertThat(ok.authentication().msk()).isEqualTo(derived("reauth_MSK"));
        assertThat(ok.authentication().emsk()).isEqualTo(derived("reauth_EMSK"));
        // Single use: the identity of A.8 is gone.
        assertThat(identities.takeReauth(reauthId)).isNull();
    }

    @Test
    void aWrongSresEndsInAFailureNotificationThenFailure() {
        SimAuthenticator sim = authenticator(false);
        EapConversation conv = new EapConversation("c", new NasContext("10.0.0.1", null, null, null), 0, 0);
        conv.identity("1244070100000001@eapsim.foo");
        continued(sim.start(conv));
        continued(sim.process(conv, hex(packet("A.4 EAP-Response/SIM/Start"))));
        byte[] forged = hex(packet("A.6 EAP-Response/SIM/Challenge"));
        forged[forged.length - 1] ^= 1;
        byte[] notification = continued(sim.process(conv, forged));
        SimAkaMessage n = SimAkaMessage.decode(EapPacket.decode(notification).typeData());
        assertThat(n.subtype()).isEqualTo(SimAkaMessage.NOTIFICATION);
        assertThat(SimAkaMessage.shortOf(n.attribute(SimAkaMessage.AT_NOTIFICATION).orElseThrow()))
                .isEqualTo(SimAuthenticator.GENERAL_FAILURE);
        assertThat(step(sim.process(conv, new byte[]{2, notification[1], 0, 8, 18, 12, 0, 0})))
                .isInstanceOf(EapStep.Failure.class);
    }

    @Test
    void anUnknownPseudonymIsAskedForThePermanentIdentityWhichKeysTheChallenge() {
        SimAuthenticator sim = authenticator(false);
        EapConversation conv = new EapConversation("c", new NasContext("10.0.0.1", null, null, null), 0, 0);
        conv.identity("3unknown@eapsim.foo");
        byte[] start = continued(sim.start(conv));
        SimAkaMessage s = SimAkaMessage.decode(EapPacket.decode(start).typeData());
        assertThat(s.has(SimAkaMessage.AT_PERMANENT_ID_REQ)).isTrue();
        assertThat(s.has(SimAkaMessage.AT_VERSION_LIST)).isTrue();
        // The peer answers with its permanent identity, NONCE_MT and version 1 (those of A.4).
        byte[] response = new SimAkaMessage(SimAkaMessage.SIM_START, List.of(
                SimAkaMessage.lengthPrefixed(SimAkaMessage.AT_IDENTITY, "1244070100000001@eapsim.foo"),
                SimAkaMessage.reservedThen(SimAkaMessage.AT_NONCE_MT, hex(set.get("inputs").get("NONCE_MT").asText())),
                SimAkaMessage.shortValue(SimAkaMessage.AT_SELECTED_VERSION, 1))).encode();
        byte[] challenge = continued(sim.process(conv, response(start[1], 18, response).encode()));
        // MK was computed over the identity of AT_IDENTITY: the published K_aut signs the challenge.
        assertThat(SimAkaCrypto.verify(false, derived("K_aut"), challenge, SimAkaCrypto.macOffset(challenge),
                hex(set.get("inputs").get("NONCE_MT").asText()))).isTrue();
        assertThat(conv.identity()).isEqualTo("1244070100000001@eapsim.foo");
    }

    @Test
    void protectedSuccessIndication() {
        SimAuthenticator sim = authenticator(true);
        EapConversation conv = new EapConversation("c", new NasContext("10.0.0.1", null, null, null), 0, 0);
        conv.identity("1244070100000001@eapsim.foo");
        continued(sim.start(conv));
        byte[] challenge = continued(sim.process(conv, hex(packet("A.4 EAP-Response/SIM/Start"))));
        assertThat(SimAkaMessage.decode(EapPacket.decode(challenge).typeData()).has(SimAkaMessage.AT_RESULT_IND))
                .isTrue();
        // A peer that wants the indication answers with AT_RESULT_IND and AT_MAC over packet|SRES1|SRES2|SRES3.
        byte[] response = response(challenge[1], 18, new SimAkaMessage(SimAkaMessage.SIM_CHALLENGE, List.of(
                SimAkaMessage.flag(SimAkaMessage.AT_RESULT_IND),
                SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16]))).encode()).encode();
        SimAkaCrypto.sign(false, derived("K_aut"), response, SimAkaCrypto.macOffset(response),
                hex("d1d2d3d4e1e2e3e4f1f2f3f4"));
        byte[] notification = continued(sim.process(conv, response));
        SimAkaMessage n = SimAkaMessage.decode(EapPacket.decode(notification).typeData());
        assertThat(SimAkaMessage.shortOf(n.attribute(SimAkaMessage.AT_NOTIFICATION).orElseThrow()))
                .isEqualTo(SimAuthenticator.SUCCESS);
        assertThat(SimAkaCrypto.verify(false, derived("K_aut"), notification, SimAkaCrypto.macOffset(notification),
                null)).isTrue();
        byte[] ack = response(notification[1], 18, new SimAkaMessage(SimAkaMessage.NOTIFICATION, List.of(
                SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16]))).encode()).encode();
        SimAkaCrypto.sign(false, derived("K_aut"), ack, SimAkaCrypto.macOffset(ack), null);
        EapStep done = step(sim.process(conv, ack));
        assertThat(done).isInstanceOf(EapStep.Success.class);
        assertThat(((EapStep.Success) done).authentication().msk()).isEqualTo(derived("MSK"));
    }

    @Test
    void stateRoundTripsAndHidesKeys() {
        SimState s = SimState.started(SimAkaMessage.AT_ANY_ID_REQ, "001010000000001").challenge("001010000000001",
                new byte[16], new byte[48], hex("d1d2d3d4e1e2e3e4f1f2f3f4"), new byte[16], new byte[16], new byte[20],
                new byte[64], new byte[64], new byte[65], "3abc", "5def@x");
        SimState back = SimState.decode(s.encode());
        assertThat(back.phase()).isEqualTo(SimPhase.CHALLENGE);
        assertThat(back.sres()).isEqualTo(s.sres());
        assertThat(back.nextReauthId()).isEqualTo("5def@x");
        assertThat(back.idRequest()).isEqualTo(SimAkaMessage.AT_ANY_ID_REQ);
        assertThat(s.toString()).doesNotContain("d1d2d3d4");
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] continued(CompletionStage<EapStep> stage) {
        EapStep step = step(stage);
        assertThat(step).as(String.valueOf(step)).isInstanceOf(EapStep.Continue.class);
        return ((EapStep.Continue) step).eapRequest();
    }

    private static EapStep step(CompletionStage<EapStep> stage) {
        return stage.toCompletableFuture().join();
    }

    private static EapPacket response(byte identifier, int type, byte[] typeData) {
        return new EapPacket(EapPacket.RESPONSE, identifier & 0xff, type, typeData);
    }

    private static String text(SimAkaMessage m, int type) {
        return new String(SimAkaMessage.lengthPrefixedData(m.attribute(type).orElseThrow()), StandardCharsets.UTF_8);
    }

    private byte[] derived(String name) {
        return hex(set.get("derived").get(name).asText());
    }

    private JsonNode packetNode(String section) {
        for (JsonNode p : set.get("packets")) {
            if (p.get("section").asText().equals(section)) {
                return p;
            }
        }
        throw new IllegalStateException("no packet " + section);
    }

    private String packet(String section) {
        return packetNode(section).get("hex").asText();
    }

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }
}
