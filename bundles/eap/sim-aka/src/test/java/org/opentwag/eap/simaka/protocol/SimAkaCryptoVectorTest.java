package org.opentwag.eap.simaka.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Key derivation, AT_MAC and AT_ENCR_DATA against published vectors only. */
class SimAkaCryptoVectorTest {

    @Test
    void fips186PrfMatchesTheNistExample() throws Exception {
        JsonNode v = Vectors.set("eap-aka.json", "FIPS 186-2").get("vectors").get(0);
        byte[] out = Fips186Prf.generate(Vectors.hex(v, "XKEY"), 40);
        assertThat(out).isEqualTo(Vectors.hex(v, "x0_w0_w1"));
    }

    @Test
    void rfc4186KeysMacsEncryptionAndReauth() throws Exception {
        JsonNode set = Vectors.set("eap-aka.json", "RFC 4186 Appendix A");
        JsonNode d = set.get("derived");
        // EAP-SIM and EAP-AKA share the PRF, key split, AT_MAC, AT_ENCR_DATA and re-auth derivation (RFC 4187 7).
        JsonNode in = set.get("inputs");
        // EAP-SIM's own MK: SHA1(Identity|n*Kc|NONCE_MT|Version List|Selected Version) (RFC 4186 7, A.5).
        List<byte[]> kcs = new ArrayList<>();
        for (JsonNode t : in.get("triplets")) {
            kcs.add(Vectors.hex(t, "Kc"));
        }
        byte[] mk = SimAkaCrypto.simMasterKey(in.get("identity").asText(), kcs, Vectors.hex(in, "NONCE_MT"),
                Vectors.hex(in, "version_list"), Integer.parseInt(in.get("selected_version").asText(), 16));
        assertThat(mk).isEqualTo(Vectors.hex(d, "MK"));
        SimAkaCrypto.Keys keys = SimAkaCrypto.keysFromMasterKey(mk);
        assertThat(keys.kEncr()).isEqualTo(Vectors.hex(d, "K_encr"));
        assertThat(keys.kAut()).isEqualTo(Vectors.hex(d, "K_aut"));
        assertThat(keys.msk()).isEqualTo(Vectors.hex(d, "MSK"));
        assertThat(keys.emsk()).isEqualTo(Vectors.hex(d, "EMSK"));
        assertThat(keys.reauthKey()).isEqualTo(mk);

        SimAkaCrypto.SessionKeys reauth = SimAkaCrypto.fastReauthKeys(in.get("next_reauth_id").asText(),
                in.get("reauth_counter").asInt(), HexFormat.of().parseHex(in.get("NONCE_S").asText()), mk);
        assertThat(reauth.msk()).isEqualTo(Vectors.hex(d, "reauth_MSK"));
        assertThat(reauth.emsk()).isEqualTo(Vectors.hex(d, "reauth_EMSK"));

        // A.9: the re-authentication request's AT_MAC (no extra data) and its AT_ENCR_DATA.
        JsonNode a9 = Vectors.packet(set, "A.9 EAP-Request/SIM/Re-authentication");
        byte[] packet = Vectors.hex(a9, "hex");
        int macOff = indexOf(packet, Vectors.hex(a9, "AT_MAC"));
        assertThat(SimAkaCrypto.verify(false, Vectors.hex(d, "K_aut"), packet, macOff, null)).isTrue();
        packet[macOff] ^= 1;
        assertThat(SimAkaCrypto.verify(false, Vectors.hex(d, "K_aut"), packet, macOff, null)).isFalse();
        packet[macOff] ^= 1;

        SimAkaMessage m = SimAkaMessage.decode(Arrays.copyOfRange(packet, 5, packet.length));
        byte[] plain = SimAkaCrypto.decrypt(Vectors.hex(d, "K_encr"),
                SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_IV).orElseThrow()),
                SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_ENCR_DATA).orElseThrow()));
        assertThat(plain).isEqualTo(Vectors.hex(Vectors.packet(set, "A.9 EAP-Request/SIM/Re-authentication: AT_ENCR"),
                "hex"));
        SimAkaMessage inner = SimAkaCrypto.decryptedAttributes(plain);
        assertThat(SimAkaMessage.shortOf(inner.attribute(SimAkaMessage.AT_COUNTER).orElseThrow())).isEqualTo(1);
        assertThat(new String(SimAkaMessage.lengthPrefixedData(inner.attribute(SimAkaMessage.AT_NEXT_REAUTH_ID)
                .orElseThrow()), StandardCharsets.US_ASCII)).isEqualTo(in.get("reauth_next_reauth_id").asText());
        // Our encoder pads the same attributes to the same plaintext.
        assertThat(SimAkaCrypto.encryptedAttributes(inner.attributes().stream()
                .filter(a -> a.type() != SimAkaMessage.AT_PADDING).toArray(SimAkaMessage.Attribute[]::new)))
                .isEqualTo(plain);
    }

    /** The EAP-SIM exchange of RFC 4186 Appendix A read and checked with the layer alone, as EAP-SIM will. */
    @Test
    void rfc4186SimExchangeDecodesAndItsMacsVerify() throws Exception {
        JsonNode set = Vectors.set("eap-aka.json", "RFC 4186 Appendix A");
        JsonNode in = set.get("inputs");
        byte[] kAut = Vectors.hex(set.get("derived"), "K_aut");

        byte[] start = Vectors.hex(Vectors.packet(set, "A.3 EAP-Request/SIM/Start"), "hex");
        SimAkaMessage startRequest = SimAkaMessage.decode(Arrays.copyOfRange(start, 5, start.length));
        assertThat(startRequest.subtype()).isEqualTo(SimAkaMessage.SIM_START);
        assertThat(SimAkaMessage.versionsOf(startRequest.attribute(SimAkaMessage.AT_VERSION_LIST).orElseThrow()))
                .containsExactly(1);
        // Our encoder writes the same AT_VERSION_LIST.
        assertThat(new SimAkaMessage(SimAkaMessage.SIM_START, List.of(SimAkaMessage.versionList(1))).encode())
                .isEqualTo(Arrays.copyOfRange(start, 5, start.length));

        byte[] startResponse = Vectors.hex(Vectors.packet(set, "A.4 EAP-Response/SIM/Start"), "hex");
        SimAkaMessage r = SimAkaMessage.decode(Arrays.copyOfRange(startResponse, 5, startResponse.length));
        assertThat(SimAkaMessage.afterReserved(r.attribute(SimAkaMessage.AT_NONCE_MT).orElseThrow()))
                .isEqualTo(Vectors.hex(in, "NONCE_MT"));
        assertThat(SimAkaMessage.shortOf(r.attribute(SimAkaMessage.AT_SELECTED_VERSION).orElseThrow())).isEqualTo(1);
        assertThat(r.has(SimAkaMessage.AT_IDENTITY)).isFalse(); // the identity came in EAP-Response/Identity (A.2)

        // A.5: three RANDs in one AT_RAND; AT_MAC over the packet and NONCE_MT.
        JsonNode a5 = Vectors.packet(set, "A.5 EAP-Request/SIM/Challenge");
        byte[] challenge = Vectors.hex(a5, "hex");
        SimAkaMessage c = SimAkaMessage.decode(Arrays.copyOfRange(challenge, 5, challenge.length));
        assertThat(c.subtype()).isEqualTo(SimAkaMessage.SIM_CHALLENGE);
        List<byte[]> rands = SimAkaMessage.rands(c.attribute(SimAkaMessage.AT_RAND).orElseThrow());
        assertThat(rands).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(rands.get(i)).isEqualTo(Vectors.hex(in.get("triplets").get(i), "RAND"));
        }
        int off = SimAkaCrypto.macOffset(challenge);
        assertThat(Arrays.copyOfRange(challenge, off, off + 16)).isEqualTo(Vectors.hex(a5, "AT_MAC"));
        assertThat(SimAkaCrypto.verify(false, kAut, challenge, off, Vectors.hex(in, "NONCE_MT"))).isTrue();
        assertThat(SimAkaCrypto.verify(false, kAut, challenge, off, new byte[16])).isFalse();

        // A.6: AT_MAC over the packet and SRES1|SRES2|SRES3.
        byte[] response = Vectors.hex(Vectors.packet(set, "A.6 EAP-Response/SIM/Challenge"), "hex");
        java.io.ByteArrayOutputStream sres = new java.io.ByteArrayOutputStream();
        for (JsonNode t : in.get("triplets")) {
            sres.writeBytes(Vectors.hex(t, "SRES"));
        }
        assertThat(SimAkaCrypto.verify(false, kAut, response, SimAkaCrypto.macOffset(response), sres.toByteArray()))
                .isTrue();
    }

    @Test
    void identityPrefixesPerMethod() {
        assertThat(SimAkaMethod.SIM.kindOf(org.opentwag.support.simaka.PeerIdentity.parse("1244070100000001@eapsim.foo")))
                .isEqualTo(org.opentwag.support.simaka.PeerIdentity.Kind.PERMANENT);
        assertThat(SimAkaMethod.SIM.kindOf(org.opentwag.support.simaka.PeerIdentity.parse("3abc@eapsim.foo")))
                .isEqualTo(org.opentwag.support.simaka.PeerIdentity.Kind.PSEUDONYM);
        assertThat(SimAkaMethod.SIM.kindOf(org.opentwag.support.simaka.PeerIdentity.parse("5abc@eapsim.foo")))
                .isEqualTo(org.opentwag.support.simaka.PeerIdentity.Kind.FAST_REAUTH);
        assertThat(SimAkaMethod.AKA.kindOf(org.opentwag.support.simaka.PeerIdentity.parse("5abc@eapsim.foo")))
                .isEqualTo(org.opentwag.support.simaka.PeerIdentity.Kind.UNKNOWN);
        assertThat(SimAkaMethod.AKA_PRIME.kindOf(org.opentwag.support.simaka.PeerIdentity.parse("8abc@x.org")))
                .isEqualTo(org.opentwag.support.simaka.PeerIdentity.Kind.FAST_REAUTH);
        assertThat(SimAkaMethod.ofEapType(18)).isEqualTo(SimAkaMethod.SIM);
    }

    @Test
    void rfc4187KeyDerivationWithTs35208Set19() throws Exception {
        JsonNode v = Vectors.set("eap-aka.json", "EAP-AKA (RFC 4187 section 7)").get("vectors").get(0);
        SimAkaCrypto.Keys k = AkaCrypto.akaFull(v.get("identity").asText(), Vectors.hex(v, "IK"), Vectors.hex(v, "CK"));
        assertThat(k.kEncr()).isEqualTo(Vectors.hex(v, "K_encr"));
        assertThat(k.kAut()).isEqualTo(Vectors.hex(v, "K_aut"));
        assertThat(k.msk()).isEqualTo(Vectors.hex(v, "MSK"));
        assertThat(k.emsk()).isEqualTo(Vectors.hex(v, "EMSK"));
    }

    @Test
    void aospChallengeExchangesVerify() throws Exception {
        JsonNode set = Vectors.set("eap-aka.json", "EAP-AKA end-to-end");
        int checked = 0;
        for (JsonNode v : set.get("vectors")) {
            SimAkaCrypto.Keys k = AkaCrypto.akaFull(v.get("identity").asText(), Vectors.hex(v, "IK"),
                    Vectors.hex(v, "CK"));
            assertThat(k.reauthKey()).isEqualTo(Vectors.hex(v, "MK"));
            assertThat(k.kAut()).isEqualTo(Vectors.hex(v, "K_aut"));
            assertThat(k.msk()).isEqualTo(Vectors.hex(v, "MSK"));
            for (String field : new String[]{"eap_request_aka_challenge", "eap_response_aka_challenge"}) {
                if (v.has(field)) {
                    byte[] packet = Vectors.hex(v, field);
                    SimAkaMessage m = SimAkaMessage.decode(Arrays.copyOfRange(packet, 5, packet.length));
                    byte[] mac = SimAkaMessage.afterReserved(m.attribute(SimAkaMessage.AT_MAC).orElseThrow());
                    assertThat(SimAkaCrypto.verify(false, k.kAut(), packet, indexOf(packet, mac), null))
                            .as(field).isTrue();
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(2);
    }

    @Test
    void rfc5448AppendixCKeys() throws Exception {
        JsonNode vectors = Vectors.set("eap-aka-prime.json", "RFC 5448 Appendix C").get("vectors");
        for (JsonNode v : vectors) {
            SimAkaCrypto.Keys k = AkaCrypto.akaPrimeFull(v.get("Identity").asText(), Vectors.hex(v, "CK_prime"),
                    Vectors.hex(v, "IK_prime"));
            assertThat(k.kEncr()).as("K_encr case %s", v.get("case")).isEqualTo(Vectors.hex(v, "K_encr"));
            assertThat(k.kAut()).as("K_aut case %s", v.get("case")).isEqualTo(Vectors.hex(v, "K_aut"));
            assertThat(k.reauthKey()).as("K_re case %s", v.get("case")).isEqualTo(Vectors.hex(v, "K_re"));
            assertThat(k.msk()).as("MSK case %s", v.get("case")).isEqualTo(Vectors.hex(v, "MSK"));
            assertThat(k.emsk()).as("EMSK case %s", v.get("case")).isEqualTo(Vectors.hex(v, "EMSK"));
        }
    }

    @Test
    void akaPrimeFastReauthKeys() throws Exception {
        JsonNode v = Vectors.set("eap-aka-prime.json", "EAP-AKA' fast re-authentication").get("vectors").get(0);
        SimAkaCrypto.SessionKeys keys = AkaCrypto.akaPrimeReauth(v.get("identity").asText(), v.get("counter").asInt(),
                Vectors.hex(v, "NONCE_S"), Vectors.hex(v, "K_re"));
        assertThat(keys.msk()).isEqualTo(Vectors.hex(v, "MSK"));
        assertThat(keys.emsk()).isEqualTo(Vectors.hex(v, "EMSK"));
    }

    @Test
    void akaPrimeChallengeMacsVerify() throws Exception {
        JsonNode rfc = Vectors.set("eap-aka-prime.json", "RFC 5448 Appendix C").get("vectors").get(0);
        SimAkaCrypto.Keys k = AkaCrypto.akaPrimeFull(rfc.get("Identity").asText(), Vectors.hex(rfc, "CK_prime"),
                Vectors.hex(rfc, "IK_prime"));
        JsonNode v = Vectors.set("eap-aka-prime.json", "EAP-AKA' Challenge round trip").get("vectors").get(0);
        for (String field : new String[]{"eap_request_aka_prime_challenge", "eap_response_aka_prime_challenge"}) {
            byte[] packet = Vectors.hex(v, field);
            int off = indexOf(packet, Vectors.hex(v, field.startsWith("eap_request") ? "request_AT_MAC"
                    : "response_AT_MAC"));
            assertThat(SimAkaCrypto.verify(true, k.kAut(), packet, off, null)).as(field).isTrue();
        }
        assertThat(k.msk()).isEqualTo(Vectors.hex(v, "MSK_after_success"));
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("MAC not found in packet");
    }
}
