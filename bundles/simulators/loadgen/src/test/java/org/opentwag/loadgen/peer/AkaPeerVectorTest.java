package org.opentwag.loadgen.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.eap.simaka.protocol.SimAkaCrypto;
import org.opentwag.eap.simaka.protocol.SimAkaMessage;
import org.opentwag.milenage.UsimSimulator;

/**
 * The load generator's peer on published exchanges: AOSP's EAP-AKA and EAP-AKA' Challenge request/response pairs
 * (built on RFC 5448 Appendix C case 1 for AKA'), RFC 5448 case 1 keys, and FreeRADIUS' EAP-AKA' fast
 * re-authentication MSK. The USIM gives the published RES/CK/IK (the AOSP values are not Milenage outputs).
 */
class AkaPeerVectorTest {

    private static final HexFormat HEX = HexFormat.of();

    private static JsonNode set(String file, String nameStart) throws IOException {
        String dir = System.getProperty("opentwag.vectors.dir", "../../../vectors");
        for (JsonNode s : new ObjectMapper().readTree(new File(dir, file)).get("vector_sets")) {
            if (s.get("name").asText().startsWith(nameStart)) {
                return s;
            }
        }
        throw new IllegalStateException("no vector set " + nameStart + " in " + file);
    }

    private static byte[] hex(JsonNode n, String field) {
        return HEX.parseHex(n.get(field).asText());
    }

    /** A USIM that expects exactly the published RAND/AUTN and answers the published RES/CK/IK. */
    private static AkaPeer.Usim usim(JsonNode v, String resField) {
        return (rand, autn) -> {
            assertThat(rand).isEqualTo(hex(v, "RAND"));
            assertThat(autn).isEqualTo(hex(v, "AUTN"));
            return new UsimSimulator.Answer.Success(hex(v, resField), hex(v, "CK"), hex(v, "IK"));
        };
    }

    @Test
    void akaChallengeAnswerIsAospsByteForByte() throws IOException {
        // Identity from EAP-Response/Identity, no AKA-Identity round.
        JsonNode v = set("eap-aka.json", "EAP-AKA end-to-end").get("vectors").get(1);
        AkaPeer peer = new AkaPeer(v.get("identity").asText(), usim(v, "RES"), false, false);
        byte[] identityResponse = peer.start(0xcd, false);
        assertThat(EapPacket.decode(identityResponse).typeData())
                .isEqualTo(v.get("identity").asText().getBytes(StandardCharsets.UTF_8));

        byte[] response = peer.respond(hex(v, "eap_request_aka_challenge"));

        assertThat(HEX.formatHex(response)).isEqualTo(v.get("eap_response_aka_challenge").asText());
        assertThat(peer.msk()).isEqualTo(hex(v, "MSK"));
        assertThat(peer.emsk()).isEqualTo(hex(v, "EMSK"));
        assertThat(peer.reauthenticating()).isFalse();
    }

    @Test
    void akaIdentityRoundThenChallengeAsAosp() throws IOException {
        JsonNode s = set("eap-aka.json", "EAP-AKA end-to-end");
        JsonNode v = s.get("vectors").get(0);
        JsonNode other = s.get("other_packets_from_same_source");
        AkaPeer peer = new AkaPeer(v.get("identity").asText(), usim(v, "RES"), false, false);
        peer.start(0xcc, false);

        byte[] idResponse = peer.respond(HEX.parseHex(other.get("eap_request_aka_identity_any_id_req").asText()));
        assertThat(HEX.formatHex(idResponse)).isEqualToIgnoringCase(other.get("eap_response_aka_identity").asText());

        byte[] response = peer.respond(hex(v, "eap_request_aka_challenge"));
        assertThat(HEX.formatHex(response)).isEqualTo(v.get("eap_response_aka_challenge").asText());
        assertThat(peer.msk()).isEqualTo(hex(v, "MSK"));
    }

    @Test
    void akaPrimeChallengeAnswerIsAospsAndKeysAreRfc5448Case1() throws IOException {
        JsonNode rfc = set("eap-aka-prime.json", "RFC 5448 Appendix C").get("vectors").get(0);
        JsonNode aosp = set("eap-aka-prime.json", "EAP-AKA' Challenge round trip").get("vectors").get(0);
        AkaPeer peer = new AkaPeer(rfc.get("Identity").asText(), usim(rfc, "RES"), true, false);
        peer.start(0xce, false);

        byte[] response = peer.respond(hex(aosp, "eap_request_aka_prime_challenge"));

        assertThat(HEX.formatHex(response)).isEqualTo(aosp.get("eap_response_aka_prime_challenge").asText());
        assertThat(peer.msk()).isEqualTo(hex(rfc, "MSK")).isEqualTo(hex(aosp, "MSK_after_success"));
        assertThat(peer.emsk()).isEqualTo(hex(rfc, "EMSK"));
    }

    @Test
    void aServerMacThatDoesNotVerifyIsRefused() throws IOException {
        JsonNode v = set("eap-aka.json", "EAP-AKA end-to-end").get("vectors").get(1);
        AkaPeer peer = new AkaPeer(v.get("identity").asText(), usim(v, "RES"), false, false);
        peer.start(0xcd, false);
        byte[] request = hex(v, "eap_request_aka_challenge");
        request[request.length - 1] ^= 1;

        assertThatThrownBy(() -> peer.respond(request)).isInstanceOf(AkaPeer.PeerException.class)
                .hasMessageContaining("AT_MAC");
        assertThat(peer.msk()).isNull();
    }

    @Test
    void akaPrimeFastReauthenticationReachesFreeRadiusMsk() throws IOException {
        JsonNode rfc = set("eap-aka-prime.json", "RFC 5448 Appendix C").get("vectors").get(0);
        JsonNode re = set("eap-aka-prime.json", "EAP-AKA' fast re-authentication").get("vectors").get(0);
        byte[] kAut = hex(rfc, "K_aut");
        byte[] kEncr = hex(rfc, "K_encr");
        String reauthId = re.get("identity").asText();
        AkaPeer peer = new AkaPeer(rfc.get("Identity").asText(), usim(rfc, "RES"), true, false);
        peer.start(1, false);

        // Case 1's challenge, carrying the next re-authentication identity, signed with the published K_aut.
        byte[] iv = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
        List<SimAkaMessage.Attribute> attrs = new ArrayList<>();
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_RAND, hex(rfc, "RAND")));
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_AUTN, hex(rfc, "AUTN")));
        attrs.add(SimAkaMessage.lengthPrefixed(SimAkaMessage.AT_KDF_INPUT, re.get("network_name").asText()));
        attrs.add(SimAkaMessage.shortValue(SimAkaMessage.AT_KDF, 1));
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_IV, iv));
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_ENCR_DATA, SimAkaCrypto.encrypt(kEncr, iv,
                SimAkaCrypto.encryptedAttributes(SimAkaMessage.lengthPrefixed(SimAkaMessage.AT_NEXT_REAUTH_ID, reauthId)))));
        attrs.add(SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16]));
        byte[] challenge = signedRequest(2, SimAkaMessage.CHALLENGE, attrs, kAut, null);
        byte[] answer = peer.respond(challenge);
        assertThat(SimAkaCrypto.verify(true, kAut, answer, SimAkaCrypto.macOffset(answer), null)).isTrue();
        assertThat(peer.reauthIdentity()).isEqualTo(reauthId);

        byte[] identityResponse = peer.start(3, true);
        assertThat(new String(EapPacket.decode(identityResponse).typeData(), StandardCharsets.UTF_8))
                .isEqualTo(reauthId);
        byte[] nonceS = hex(re, "NONCE_S");
        int counter = re.get("counter").asInt();
        byte[] iv2 = HEX.parseHex("0f0e0d0c0b0a09080706050403020100");
        byte[] reauth = signedRequest(4, SimAkaMessage.REAUTHENTICATION, List.of(
                SimAkaMessage.reservedThen(SimAkaMessage.AT_IV, iv2),
                SimAkaMessage.reservedThen(SimAkaMessage.AT_ENCR_DATA, SimAkaCrypto.encrypt(kEncr, iv2,
                        SimAkaCrypto.encryptedAttributes(SimAkaMessage.shortValue(SimAkaMessage.AT_COUNTER, counter),
                                SimAkaMessage.reservedThen(SimAkaMessage.AT_NONCE_S, nonceS)))),
                SimAkaMessage.reservedThen(SimAkaMessage.AT_MAC, new byte[16])), kAut, null);

        byte[] reauthAnswer = peer.respond(reauth);

        assertThat(peer.reauthenticating()).isTrue();
        assertThat(peer.msk()).isEqualTo(hex(re, "MSK"));
        assertThat(peer.emsk()).isEqualTo(hex(re, "EMSK"));
        // RFC 4187 9.8: the peer's AT_MAC covers the packet followed by NONCE_S.
        assertThat(SimAkaCrypto.verify(true, kAut, reauthAnswer, SimAkaCrypto.macOffset(reauthAnswer), nonceS)).isTrue();
        SimAkaMessage m = SimAkaMessage.decode(EapPacket.decode(reauthAnswer).typeData());
        SimAkaMessage inner = SimAkaCrypto.decryptedAttributes(SimAkaCrypto.decrypt(kEncr,
                SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_IV).orElseThrow()),
                SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_ENCR_DATA).orElseThrow())));
        assertThat(SimAkaMessage.shortOf(inner.attribute(SimAkaMessage.AT_COUNTER).orElseThrow())).isEqualTo(counter);
        assertThat(inner.has(SimAkaMessage.AT_COUNTER_TOO_SMALL)).isFalse();

        // The same counter again is a replay: the peer says AT_COUNTER_TOO_SMALL and keeps its keys.
        byte[] replayAnswer = peer.respond(reauth);
        SimAkaMessage replay = SimAkaMessage.decode(EapPacket.decode(replayAnswer).typeData());
        SimAkaMessage replayInner = SimAkaCrypto.decryptedAttributes(SimAkaCrypto.decrypt(kEncr,
                SimAkaMessage.afterReserved(replay.attribute(SimAkaMessage.AT_IV).orElseThrow()),
                SimAkaMessage.afterReserved(replay.attribute(SimAkaMessage.AT_ENCR_DATA).orElseThrow())));
        assertThat(replayInner.has(SimAkaMessage.AT_COUNTER_TOO_SMALL)).isTrue();
        assertThat(peer.msk()).isEqualTo(hex(re, "MSK"));
    }

    private static byte[] signedRequest(int id, int subtype, List<SimAkaMessage.Attribute> attrs, byte[] kAut,
                                        byte[] extra) {
        byte[] packet = EapPacket.request(id, EapPacket.TYPE_AKA_PRIME, new SimAkaMessage(subtype, attrs).encode())
                .encode();
        SimAkaCrypto.sign(true, kAut, packet, SimAkaCrypto.macOffset(packet), extra);
        return packet;
    }
}
