package org.opentwag.diameter.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opentwag.diameter.codec.BaseProtocol.AUTH_APPLICATION_ID;
import static org.opentwag.diameter.codec.BaseProtocol.FIRMWARE_REVISION;
import static org.opentwag.diameter.codec.BaseProtocol.HOST_IP_ADDRESS;
import static org.opentwag.diameter.codec.BaseProtocol.ORIGIN_HOST;
import static org.opentwag.diameter.codec.BaseProtocol.ORIGIN_REALM;
import static org.opentwag.diameter.codec.BaseProtocol.PRODUCT_NAME;
import static org.opentwag.diameter.codec.BaseProtocol.VENDOR_ID;
import static org.opentwag.diameter.codec.BaseProtocol.VENDOR_SPECIFIC_APPLICATION_ID;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Byte layouts written by hand from RFC 6733 sections 3, 4.1, 4.3 and 4.4.1, compared with the codec. */
class WireFormatTest {
    private static final HexFormat HEX = HexFormat.of();

    /** A CER laid out octet by octet per RFC 6733 section 3 (header) and 4.1 (AVP header, padding). */
    private static final String CER_HEX = String.join("",
            // version 1, length 176, flags R (0x80), command 257, application 0, hop-by-hop, end-to-end
            "01", "0000b0", "80", "000101", "00000000", "12345678", "9abcdef0",
            // Origin-Host 264, flags M, length 8+16, "twag.localdomain" (no padding needed)
            "00000108", "40", "000018", hex("twag.localdomain"),
            // Origin-Realm 296, flags M, length 8+33=41, then 3 octets of padding
            "00000128", "40", "000029", hex("epc.mnc001.mcc001.3gppnetwork.org"), "000000",
            // Host-IP-Address 257, flags M, length 14: family 1 (IPv4) 127.0.0.1, 2 octets of padding
            "00000101", "40", "00000e", "0001", "7f000001", "0000",
            // Vendor-Id 266, flags M, length 12, 10415
            "0000010a", "40", "00000c", "000028af",
            // Product-Name 269, no flags (M is "MUST NOT" in RFC 6733 4.5), length 16, "OpenTWAG"
            "0000010d", "00", "000010", hex("OpenTWAG"),
            // Vendor-Specific-Application-Id 260, flags M, length 8+12+12 = 32
            "00000104", "40", "000020",
            "0000010a", "40", "00000c", "000028af", // Vendor-Id 10415
            "00000102", "40", "00000c", "01000031", // Auth-Application-Id 16777265
            // Firmware-Revision 267, no flags, length 12, 1
            "0000010b", "00", "00000c", "00000001");

    private static String hex(String ascii) {
        return HEX.formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void decodesAHandBuiltCer() {
        DiameterMessage cer = DiameterMessage.decode(HEX.parseHex(CER_HEX));
        assertThat(cer.isRequest()).isTrue();
        assertThat(cer.isProxiable()).isFalse();
        assertThat(cer.commandCode()).isEqualTo(BaseProtocol.CAPABILITIES_EXCHANGE);
        assertThat(cer.applicationId()).isZero();
        assertThat(cer.hopByHop()).isEqualTo(0x12345678);
        assertThat(cer.endToEnd()).isEqualTo(0x9abcdef0);
        assertThat(cer.originHost()).contains("twag.localdomain");
        assertThat(cer.originRealm()).contains("epc.mnc001.mcc001.3gppnetwork.org");
        assertThat(cer.find(HOST_IP_ADDRESS).orElseThrow().address().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(cer.find(VENDOR_ID).orElseThrow().unsigned32()).isEqualTo(10415);
        assertThat(cer.find(PRODUCT_NAME).orElseThrow().utf8()).isEqualTo("OpenTWAG");
        assertThat(cer.find(PRODUCT_NAME).orElseThrow().isMandatory()).isFalse();
        Avp vsai = cer.find(VENDOR_SPECIFIC_APPLICATION_ID).orElseThrow();
        assertThat(vsai.children()).hasSize(2);
        assertThat(vsai.find(AUTH_APPLICATION_ID).orElseThrow().unsigned32()).isEqualTo(SwxApplication.APPLICATION_ID);
        assertThat(cer.find(FIRMWARE_REVISION).orElseThrow().unsigned32()).isEqualTo(1);
        assertThat(cer.summary()).startsWith("CER app=0");
    }

    @Test
    void encodesTheSameCerOctetForOctet() throws Exception {
        DiameterMessage cer = DiameterMessage.request(BaseProtocol.COMMON_MESSAGES_APPLICATION, BaseProtocol.CAPABILITIES_EXCHANGE)
                .proxiable(false)
                .hopByHop(0x12345678).endToEnd(0x9abcdef0)
                .add(Avp.identity(ORIGIN_HOST, "twag.localdomain"))
                .add(Avp.identity(ORIGIN_REALM, "epc.mnc001.mcc001.3gppnetwork.org"))
                .add(Avp.address(HOST_IP_ADDRESS, InetAddress.getByName("127.0.0.1")))
                .add(Avp.unsigned32(VENDOR_ID, 10415))
                .add(Avp.utf8(PRODUCT_NAME, "OpenTWAG"))
                .add(Avp.grouped(VENDOR_SPECIFIC_APPLICATION_ID,
                        Avp.unsigned32(VENDOR_ID, 10415), Avp.unsigned32(AUTH_APPLICATION_ID, 16777265)))
                .add(Avp.unsigned32(FIRMWARE_REVISION, 1))
                .build();
        assertThat(HEX.formatHex(cer.encode())).isEqualTo(CER_HEX);
        assertThat(cer.encodedLength()).isEqualTo(176);
    }

    /** RFC 6733 4.4.1: the Example-AVP with Origin-Host, two Session-Ids and two unknown AVPs is 496 octets. */
    @Test
    void groupedLengthsAndPaddingFollowTheRfcExample() {
        AvpDefinition example = new AvpDefinition("Example-AVP", 999999, 0, AvpFormat.GROUPED, false);
        Avp originHost = Avp.identity(ORIGIN_HOST, "example.com");
        Avp session1 = Avp.utf8(BaseProtocol.SESSION_ID, "grump.example.com:33041;23432;893;0AF3B81");
        Avp session2 = Avp.utf8(BaseProtocol.SESSION_ID, "grump.example.com:33054;23561;2358;0AF3B82");
        Avp recoveryPolicy = Avp.raw(8341, 0, 0, new byte[223 - 8]);
        Avp futuristic = Avp.raw(15930, 0, 0, new byte[137 - 8]);
        Avp group = Avp.grouped(example, originHost, session1, session2, recoveryPolicy, futuristic);

        assertThat(originHost.encodedLength()).isEqualTo(19);
        assertThat(session1.encodedLength()).isEqualTo(49);
        assertThat(session2.encodedLength()).isEqualTo(50);
        assertThat(group.encodedLength()).isEqualTo(496);
        byte[] wire = group.encode();
        assertThat(wire).hasSize(496);
        // offsets from the RFC figure: Session-Id headers at 28 and 80, Recovery-Policy at 132, Futuristic at 356
        assertThat(Bytes.i32(wire, 28)).isEqualTo(263);
        assertThat(Bytes.u24(wire, 28 + 5)).isEqualTo(49);
        assertThat(Bytes.i32(wire, 80)).isEqualTo(263);
        assertThat(Bytes.i32(wire, 132)).isEqualTo(8341);
        assertThat(Bytes.u24(wire, 132 + 5)).isEqualTo(223);
        assertThat(Bytes.i32(wire, 356)).isEqualTo(15930);
        assertThat(Bytes.u24(wire, 356 + 5)).isEqualTo(137);
        // padding octets are zero: 'c','o','m' end at 27, padding at 27
        assertThat(wire[27]).isZero();
    }

    /** RFC 868 / RFC 5905: 1970-01-01 is 2,208,988,800 s after 1900-01-01; era 1 starts 2036-02-07T06:28:16Z. */
    @Test
    void timeUsesNtpSecondsWithTheEraRuleOfRfc4330() {
        AvpDefinition ts = BaseProtocol.EVENT_TIMESTAMP;
        assertThat(HEX.formatHex(Avp.time(ts, Instant.EPOCH).octets())).isEqualTo(Long.toHexString(2_208_988_800L));
        Instant era1 = Instant.parse("2036-02-07T06:28:16Z");
        assertThat(Avp.time(ts, era1).octets()).containsExactly(0, 0, 0, 0);
        Avp decodedEra1 = Avp.raw(55, Avp.FLAG_MANDATORY, 0, new byte[] {0, 0, 0, 10});
        assertThat(decodedEra1.time()).isEqualTo(era1.plusSeconds(10));
        Avp decodedEra0 = Avp.raw(55, Avp.FLAG_MANDATORY, 0, HEX.parseHex("83aa7e80"));
        assertThat(decodedEra0.time()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void vendorSpecificAvpHeaderCarriesTheVendorId() {
        Avp scheme = Avp.utf8(SwxApplication.SIP_AUTHENTICATION_SCHEME, "EAP-AKA'");
        // code 608, flags V|M, length 12 + 8, vendor 10415, "EAP-AKA'" (8 octets, no padding)
        assertThat(HEX.formatHex(scheme.encode())).isEqualTo("00000260" + "c0" + "000014" + "000028af" + hex("EAP-AKA'"));
    }
}
