package org.opentwag.eap.aka.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Key derivation, AT_MAC and AT_ENCR_DATA against published vectors only. */
class AkaCryptoVectorTest {

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
        byte[] mk = Vectors.hex(d, "MK");
        byte[] x = Fips186Prf.generate(mk, 160);
        assertThat(Arrays.copyOfRange(x, 0, 16)).isEqualTo(Vectors.hex(d, "K_encr"));
        assertThat(Arrays.copyOfRange(x, 16, 32)).isEqualTo(Vectors.hex(d, "K_aut"));
        assertThat(Arrays.copyOfRange(x, 32, 96)).isEqualTo(Vectors.hex(d, "MSK"));
        assertThat(Arrays.copyOfRange(x, 96, 160)).isEqualTo(Vectors.hex(d, "EMSK"));

        JsonNode in = set.get("inputs");
        byte[][] reauth = AkaCrypto.akaReauth(in.get("next_reauth_id").asText(), in.get("reauth_counter").asInt(),
                HexFormat.of().parseHex(in.get("NONCE_S").asText()), mk);
        assertThat(reauth[0]).isEqualTo(Vectors.hex(d, "reauth_MSK"));
        assertThat(reauth[1]).isEqualTo(Vectors.hex(d, "reauth_EMSK"));

        // A.9: the re-authentication request's AT_MAC (no extra data) and its AT_ENCR_DATA.
        JsonNode a9 = Vectors.packet(set, "A.9 EAP-Request/SIM/Re-authentication");
        byte[] packet = Vectors.hex(a9, "hex");
        int macOff = indexOf(packet, Vectors.hex(a9, "AT_MAC"));
        assertThat(AkaCrypto.verify(false, Vectors.hex(d, "K_aut"), packet, macOff, null)).isTrue();
        packet[macOff] ^= 1;
        assertThat(AkaCrypto.verify(false, Vectors.hex(d, "K_aut"), packet, macOff, null)).isFalse();
        packet[macOff] ^= 1;

        AkaMessage m = AkaMessage.decode(Arrays.copyOfRange(packet, 5, packet.length));
        byte[] plain = AkaCrypto.decrypt(Vectors.hex(d, "K_encr"),
                AkaMessage.afterReserved(m.attribute(AkaMessage.AT_IV).orElseThrow()),
                AkaMessage.afterReserved(m.attribute(AkaMessage.AT_ENCR_DATA).orElseThrow()));
        assertThat(plain).isEqualTo(Vectors.hex(Vectors.packet(set, "A.9 EAP-Request/SIM/Re-authentication: AT_ENCR"),
                "hex"));
        AkaMessage inner = AkaCrypto.decryptedAttributes(plain);
        assertThat(AkaMessage.shortOf(inner.attribute(AkaMessage.AT_COUNTER).orElseThrow())).isEqualTo(1);
        assertThat(new String(AkaMessage.lengthPrefixedData(inner.attribute(AkaMessage.AT_NEXT_REAUTH_ID)
                .orElseThrow()), StandardCharsets.US_ASCII)).isEqualTo(in.get("reauth_next_reauth_id").asText());
        // Our encoder pads the same attributes to the same plaintext.
        assertThat(AkaCrypto.encryptedAttributes(inner.attributes().stream()
                .filter(a -> a.type() != AkaMessage.AT_PADDING).toArray(AkaMessage.Attribute[]::new)))
                .isEqualTo(plain);
    }

    @Test
    void rfc4187KeyDerivationWithTs35208Set19() throws Exception {
        JsonNode v = Vectors.set("eap-aka.json", "EAP-AKA (RFC 4187 section 7)").get("vectors").get(0);
        AkaCrypto.Keys k = AkaCrypto.akaFull(v.get("identity").asText(), Vectors.hex(v, "IK"), Vectors.hex(v, "CK"));
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
            AkaCrypto.Keys k = AkaCrypto.akaFull(v.get("identity").asText(), Vectors.hex(v, "IK"),
                    Vectors.hex(v, "CK"));
            assertThat(k.reauthKey()).isEqualTo(Vectors.hex(v, "MK"));
            assertThat(k.kAut()).isEqualTo(Vectors.hex(v, "K_aut"));
            assertThat(k.msk()).isEqualTo(Vectors.hex(v, "MSK"));
            for (String field : new String[]{"eap_request_aka_challenge", "eap_response_aka_challenge"}) {
                if (v.has(field)) {
                    byte[] packet = Vectors.hex(v, field);
                    AkaMessage m = AkaMessage.decode(Arrays.copyOfRange(packet, 5, packet.length));
                    byte[] mac = AkaMessage.afterReserved(m.attribute(AkaMessage.AT_MAC).orElseThrow());
                    assertThat(AkaCrypto.verify(false, k.kAut(), packet, indexOf(packet, mac), null))
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
            AkaCrypto.Keys k = AkaCrypto.akaPrimeFull(v.get("Identity").asText(), Vectors.hex(v, "CK_prime"),
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
        byte[][] keys = AkaCrypto.akaPrimeReauth(v.get("identity").asText(), v.get("counter").asInt(),
                Vectors.hex(v, "NONCE_S"), Vectors.hex(v, "K_re"));
        assertThat(keys[0]).isEqualTo(Vectors.hex(v, "MSK"));
        assertThat(keys[1]).isEqualTo(Vectors.hex(v, "EMSK"));
    }

    @Test
    void akaPrimeChallengeMacsVerify() throws Exception {
        JsonNode rfc = Vectors.set("eap-aka-prime.json", "RFC 5448 Appendix C").get("vectors").get(0);
        AkaCrypto.Keys k = AkaCrypto.akaPrimeFull(rfc.get("Identity").asText(), Vectors.hex(rfc, "CK_prime"),
                Vectors.hex(rfc, "IK_prime"));
        JsonNode v = Vectors.set("eap-aka-prime.json", "EAP-AKA' Challenge round trip").get("vectors").get(0);
        for (String field : new String[]{"eap_request_aka_prime_challenge", "eap_response_aka_prime_challenge"}) {
            byte[] packet = Vectors.hex(v, field);
            int off = indexOf(packet, Vectors.hex(v, field.startsWith("eap_request") ? "request_AT_MAC"
                    : "response_AT_MAC"));
            assertThat(AkaCrypto.verify(true, k.kAut(), packet, off, null)).as(field).isTrue();
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
