package org.opentwag.radius.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Malformed input is rejected with a message naming the fault; random packets survive a round trip. */
class RadiusPacketDecodeTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String HEADER_AUTH = "0f403f9473978057bd83d5cb98f4227a";

    private static byte[] packet(int code, String attributesHex) {
        byte[] attributes = HEX.parseHex(attributesHex);
        int length = 20 + attributes.length;
        return HEX.parseHex(String.format("%02x01%04x", code, length) + HEADER_AUTH + attributesHex);
    }

    @Test
    void rejectsTooShortAndBadLengthFields() {
        assertThatThrownBy(() -> RadiusPacket.decode(new byte[19])).isInstanceOf(RadiusDecodeException.class)
                .hasMessageContaining("shorter than the 20-octet");
        byte[] wire = packet(1, "");
        wire[3] = 19;
        assertThatThrownBy(() -> RadiusPacket.decode(wire)).hasMessageContaining("Length field 19 outside 20..4096");
        byte[] longer = packet(1, "");
        longer[3] = 40;
        assertThatThrownBy(() -> RadiusPacket.decode(longer)).hasMessageContaining("exceeds the 20 octets received");
        byte[] huge = new byte[5000];
        huge[2] = 0x13;
        huge[3] = (byte) 0x89; // 5001
        assertThatThrownBy(() -> RadiusPacket.decode(huge)).hasMessageContaining("outside 20..4096");
    }

    @Test
    void ignoresPaddingBeyondTheLengthField() throws Exception {
        byte[] wire = packet(1, "01066e656d6f");
        byte[] padded = java.util.Arrays.copyOf(wire, wire.length + 10);
        assertThat(RadiusPacket.decode(padded).string(RadiusDictionary.USER_NAME)).contains("nemo");
    }

    @Test
    void namesTheOffendingAttribute() {
        assertThatThrownBy(() -> RadiusPacket.decode(packet(1, "0101")))
                .isInstanceOf(RadiusDecodeException.class)
                .hasMessageContaining("User-Name (1)").hasMessageContaining("invalid Length 1");
        assertThatThrownBy(() -> RadiusPacket.decode(packet(1, "0410c0a8")))
                .hasMessageContaining("NAS-IP-Address (4)").hasMessageContaining("running past the packet end");
        assertThatThrownBy(() -> RadiusPacket.decode(packet(1, "0505000003")))
                .hasMessageContaining("NAS-Port").hasMessageContaining("3-octet value, expected 4");
        assertThatThrownBy(() -> RadiusPacket.decode(packet(1, "50060000000")))
                .isInstanceOf(Exception.class);
        assertThatThrownBy(() -> RadiusPacket.decode(packet(1, "5006" + "00000000")))
                .hasMessageContaining("Message-Authenticator").hasMessageContaining("expected 16");
        assertThatThrownBy(() -> RadiusPacket.decode(packet(1, "4f")))
                .hasMessageContaining("EAP-Message (79)").hasMessageContaining("truncated");
        assertThatThrownBy(() -> RadiusPacket.decode(packet(1, "1a05000001")))
                .hasMessageContaining("Vendor-Specific").hasMessageContaining("too short for a Vendor-Id");
        assertThatThrownBy(() -> RadiusPacket.decode(packet(1, "0003ff")))
                .hasMessageContaining("type 0");
        try {
            RadiusPacket.decode(packet(1, "0505000003"));
            fail("accepted a 3-octet NAS-Port");
        } catch (RadiusDecodeException e) {
            assertThat(e.attributeType()).isEqualTo(RadiusDictionary.NAS_PORT);
        }
    }

    @Test
    void vendorSpecificInRecommendedFormatIsSplitElseKeptRaw() throws Exception {
        // WISPr (14122 = 0x372a): Bandwidth-Max-Down 8 = 1000000, Location-Name 2 = "cafe", in one VSA.
        RadiusPacket two = RadiusPacket.decode(packet(2, "1a12" + "0000372a" + "0806000f4240" + "020663616665"));
        assertThat(two.vendorAttribute(RadiusDictionary.VENDOR_WISPR, RadiusDictionary.WISPR_BANDWIDTH_MAX_DOWN)
                .orElseThrow().asUnsignedInt()).isEqualTo(1_000_000L);
        assertThat(two.vendorAttribute(RadiusDictionary.VENDOR_WISPR, RadiusDictionary.WISPR_LOCATION_NAME)
                .orElseThrow().asString()).isEqualTo("cafe");
        // Sub-attribute length running past the VSA: not the recommended format, so kept opaque.
        RadiusPacket raw = RadiusPacket.decode(packet(2, "1a0a" + "00000009" + "01ff0102"));
        assertThat(raw.attributes()).hasSize(1);
        assertThat(raw.attributes().get(0).isVendorSpecific()).isFalse();
        assertThat(raw.encode()).isEqualTo(packet(2, "1a0a" + "00000009" + "01ff0102"));
        // A known vendor integer with the wrong size is an error naming it.
        assertThatThrownBy(() -> RadiusPacket.decode(packet(2, "1a0b" + "0000372a" + "080500000f")))
                .hasMessageContaining("WISPr-Bandwidth-Max-Down");
    }

    @Test
    void randomMutationsOnlyEverRaiseRadiusDecodeException() {
        Random random = new Random(2865);
        byte[] base = HEX.parseHex("01030043b122556d428a13d0d6253807c457ecf001076d6f7073790212692c1f205fc081b919b95195f561a5810406c0a8011005060000000718103332373639343330");
        int rejected = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] wire = java.util.Arrays.copyOf(base, base.length - random.nextInt(6));
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                wire[random.nextInt(wire.length)] = (byte) random.nextInt(256);
            }
            try {
                RadiusPacket packet = RadiusPacket.decode(wire);
                packet.toString();
                RadiusAuthenticators.verifyRequestMessageAuthenticator(wire, "s".getBytes());
            } catch (RadiusDecodeException expected) {
                rejected++;
            } catch (RuntimeException e) {
                fail("round " + round + " " + HEX.formatHex(wire) + " escaped " + e);
            }
        }
        assertThat(rejected).isGreaterThan(1000);
    }

    @Test
    void randomPacketsRoundTrip() throws Exception {
        Random random = new Random(3579);
        for (int round = 0; round < 2_000; round++) {
            List<RadiusAttribute> attributes = new ArrayList<>();
            int budget = 4096 - 20;
            int count = random.nextInt(30);
            for (int i = 0; i < count; i++) {
                RadiusAttribute attribute = switch (random.nextInt(4)) {
                    case 0 -> RadiusAttribute.ofInt(RadiusDictionary.NAS_PORT, random.nextInt() & 0xFFFFFFFFL);
                    case 1 -> RadiusAttribute.of(RadiusDictionary.EAP_MESSAGE, randomBytes(random, random.nextInt(254)));
                    case 2 -> RadiusAttribute.vendor(1 + random.nextInt(100_000), random.nextInt(256),
                            randomBytes(random, random.nextInt(248)));
                    default -> RadiusAttribute.of(RadiusDictionary.CLASS, randomBytes(random, random.nextInt(254)));
                };
                if (attribute.encodedLength() > budget) {
                    break;
                }
                budget -= attribute.encodedLength();
                attributes.add(attribute);
            }
            RadiusPacket packet = new RadiusPacket(random.nextInt(256), random.nextInt(256), randomBytes(random, 16), attributes);
            byte[] wire = packet.encode();
            assertThat(wire.length).isEqualTo(packet.encodedLength());
            assertThat(RadiusPacket.decode(wire)).isEqualTo(packet);
        }
    }

    @Test
    void encodeRefusesMoreThan4096Octets() {
        List<RadiusAttribute> attributes = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            attributes.add(RadiusAttribute.of(RadiusDictionary.CLASS, new byte[253]));
        }
        assertThatThrownBy(() -> RadiusPacket.of(2, 1, attributes).encode()).hasMessageContaining("exceeds the RADIUS maximum");
    }

    @Test
    void attributeValueLimits() {
        assertThatThrownBy(() -> RadiusAttribute.of(1, new byte[254])).hasMessageContaining("exceeds 253");
        assertThatThrownBy(() -> RadiusAttribute.vendor(311, 16, new byte[248])).hasMessageContaining("exceeds 247");
        assertThatThrownBy(() -> RadiusAttribute.of(0, new byte[1])).hasMessageContaining("outside 1..255");
    }

    @Test
    void toStringHidesSecrets() {
        RadiusAttribute password = RadiusAttribute.of(RadiusDictionary.USER_PASSWORD, HEX.parseHex("0dbe708d93d413ce3196e43f782a0aee"));
        RadiusAttribute key = RadiusAttribute.vendor(311, RadiusDictionary.MS_MPPE_RECV_KEY, HEX.parseHex("00112233445566778899aabbccddeeff"));
        String text = RadiusPacket.of(2, 1, List.of(password, key)).toString();
        assertThat(text).contains("User-Password = <hidden 16 octets>", "MS-MPPE-Recv-Key = <hidden 16 octets>")
                .doesNotContain("0dbe708d", "00112233");
    }

    @Test
    void eapMessageSplitsAt253AndJoinsBack() {
        byte[] eap = randomBytes(new Random(79), 1000);
        List<RadiusAttribute> parts = EapMessages.split(eap);
        assertThat(parts).extracting(RadiusAttribute::length).containsExactly(253, 253, 253, 241);
        List<RadiusAttribute> mixed = new ArrayList<>(parts);
        mixed.add(2, RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "x"));
        assertThat(EapMessages.join(mixed)).hasValueSatisfying(joined -> assertThat(joined).isEqualTo(eap));
        assertThat(EapMessages.split(new byte[253])).hasSize(1);
        assertThat(EapMessages.join(List.of())).isEmpty();
    }

    static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /**
     * Found by Jazzer (RadiusPacketFuzzTest, crash-992d5f46...): a Vendor-Specific whose Vendor-Id has the high bit
     * set made the decoder throw IllegalArgumentException instead of returning a packet or RadiusDecodeException.
     */
    @Test
    void vendorSpecificWithHighOrderVendorIdOctetStaysOpaque() throws RadiusDecodeException {
        // Vendor-Specific (26), Length 12, Vendor-Id 0xda33fe76, then a well-formed looking sub-attribute 5/6.
        byte[] wire = packet(1, "1a0cda33fe76050600000007");
        RadiusPacket packet = RadiusPacket.decode(wire);
        assertThat(packet.attributes()).hasSize(1);
        RadiusAttribute vsa = packet.attributes().get(0);
        assertThat(vsa.type()).isEqualTo(26);
        assertThat(vsa.isVendorSpecific()).isFalse();
        assertThat(HEX.formatHex(vsa.value())).isEqualTo("da33fe76050600000007");
        assertThat(RadiusPacket.decode(packet.encode())).isEqualTo(packet);
        // The same with the recommended 24-bit enterprise code (311 = Microsoft) is still split.
        RadiusAttribute ms = RadiusPacket.decode(packet(1, "1a0c00000137050600000007")).attributes().get(0);
        assertThat(ms.isVendor(311, 5)).isTrue();
    }
}
