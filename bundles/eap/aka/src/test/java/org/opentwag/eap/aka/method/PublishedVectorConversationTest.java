package org.opentwag.eap.aka.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.api.eap.EapStep;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.eap.simaka.protocol.SimAkaCrypto;
import org.opentwag.eap.simaka.protocol.SimAkaMessage;
import org.opentwag.eap.simaka.protocol.Vectors;
import org.opentwag.state.memory.InMemoryStateStore;

/**
 * Whole server conversations on published numbers: the HSS hands out the vector of FreeRADIUS' EAP-AKA test
 * (TS 35.208 set 19) or of RFC 5448 Appendix C case 1; the peer answers with AT_MAC keyed by the published K_aut,
 * and the server must accept it and export the published MSK/EMSK.
 */
class PublishedVectorConversationTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theServerReachesThePublishedKeys(boolean prime) throws Exception {
        JsonNode v = prime
                ? Vectors.set("eap-aka-prime.json", "RFC 5448 Appendix C").get("vectors").get(0)
                : Vectors.set("eap-aka.json", "EAP-AKA (RFC 4187 section 7)").get("vectors").get(0);
        String identity = v.get(prime ? "Identity" : "identity").asText();
        byte[] res = Vectors.hex(v, prime ? "RES" : "XRES");
        // Over SWx the HSS sends CK'/IK' for EAP-AKA' (TS 29.273), CK/IK for EAP-AKA.
        AuthVector vector = new AuthVector(Vectors.hex(v, "RAND"), Vectors.hex(v, "AUTN"), res,
                Vectors.hex(v, prime ? "CK_prime" : "CK"), Vectors.hex(v, prime ? "IK_prime" : "IK"));
        AuthVectorSource hss = new AuthVectorSource() {
            @Override
            public CompletionStage<AuthVector> fetch(VectorRequest r) {
                assertThat(r.imsi()).isEqualTo(identity.substring(1));
                assertThat(r.accessNetworkName()).isEqualTo("WLAN");
                return CompletableFuture.completedFuture(vector);
            }

            @Override
            public CompletionStage<AuthVector> resynchronize(VectorRequest r, byte[] rand, byte[] auts) {
                throw new AssertionError("no resynchronisation expected");
            }
        };
        AkaAuthenticator server = new AkaAuthenticator(new AkaAuthenticator.Settings(prime, "WLAN", true, true, true,
                16, Duration.ofHours(1), "example.org", false, "swx"), () -> hss, () -> new InMemoryStateStore(10),
                new AkaStatistics());
        int type = prime ? 50 : 23;
        EapConversation c = new EapConversation("c", new NasContext("192.0.2.1", null, null, null), 7, 0);
        c.identity(identity);
        c.methodType(type);

        byte[] request = ((EapStep.Continue) server.start(c).toCompletableFuture().join()).eapRequest();
        byte[] kAut = Vectors.hex(v, "K_aut");
        assertThat(SimAkaCrypto.verify(prime, kAut, request, SimAkaCrypto.macOffset(request), null))
                .as("the challenge's AT_MAC under the published K_aut").isTrue();
        SimAkaMessage challenge = SimAkaMessage.decode(EapPacket.decode(request).typeData());
        // The pseudonym is readable with the published K_encr and carries the configured realm for re-auth.
        SimAkaMessage hidden = SimAkaCrypto.decryptedAttributes(SimAkaCrypto.decrypt(Vectors.hex(v, "K_encr"),
                SimAkaMessage.afterReserved(challenge.attribute(SimAkaMessage.AT_IV).orElseThrow()),
                SimAkaMessage.afterReserved(challenge.attribute(SimAkaMessage.AT_ENCR_DATA).orElseThrow())));
        assertThat(new String(SimAkaMessage.lengthPrefixedData(hidden.attribute(SimAkaMessage.AT_NEXT_REAUTH_ID)
                .orElseThrow()))).startsWith(prime ? "8" : "4").endsWith("@example.org");
        assertThat(hidden.has(SimAkaMessage.AT_NEXT_PSEUDONYM)).isTrue();

        byte[] response = new EapPacket(EapPacket.RESPONSE, EapPacket.decode(request).identifier(), type,
                new SimAkaMessage(SimAkaMessage.CHALLENGE, List.of(SimAkaMessage.res(res),
                        SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16]))).encode()).encode();
        SimAkaCrypto.sign(prime, kAut, response, SimAkaCrypto.macOffset(response), null);
        EapStep done = server.process(c, response).toCompletableFuture().join();
        assertThat(done).isInstanceOf(EapStep.Success.class);
        var auth = ((EapStep.Success) done).authentication();
        assertThat(auth.msk()).isEqualTo(Vectors.hex(v, "MSK"));
        assertThat(auth.emsk()).isEqualTo(Vectors.hex(v, "EMSK"));
        assertThat(auth.imsi()).isEqualTo("555444333222111");
    }
}
