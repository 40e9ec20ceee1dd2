package org.opentwag.gtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Messages published with their decoded values by an independent GTPv2-C codec (the Erlang project sebastiw/otc,
 * test/otc_gtpv2c_codec_tests.erl, create_session_request_test and create_session_response_test, which decode these
 * octets to the values asserted here and re-encode them to the same octets). The request carries a TWAN Identifier
 * with SSID, BSSID, civic address and PLMN, and IEs S2a does not use (MEI, ULI, APN rate control status), which must
 * survive decoding and re-encoding unchanged.
 */
class PublishedVectorsTest {

    static final byte[] CREATE_SESSION_REQUEST = HexFormat.of().parseHex((
            "482001860000000037B2EE000100080042829978563412F14C0006007409036606"
            + "454B000800733272311171350156000D001842F08928E742F08900041701530003"
            + "0042F089520001000A570009008A67B8031EAC10436F570009018700000000AC10"
            + "0899470026000F696E7465726E74696E7465726E6574027636066D6E6330393806"
            + "6D63633234300467707273800001000163000100014F00050001000000007F0001"
            + "000048000800003D0900003D09004E006F0080C2231501000015106C7357576C73"
            + "57576C7357576C735757C2233102000031104F58DE7396EDCF6266F4B6CF369C47"
            + "A96A544274444B55476D736E474863774D436F32516E6378467A46464280211001"
            + "000010810600000000830600000000000D00000300000A000005000010005D001F"
            + "004900010005500016006809000000000000000000000000000000000000000003"
            + "00010044720002006300A9001A0007090102030405060708091112131415160521"
            + "2223242542F089CC0014000000006400000000000000C8E02B90CC01020304").toLowerCase());

    static final byte[] CREATE_SESSION_RESPONSE = HexFormat.of().parseHex((
            "4821008405415EA10000620002000200100057000901878701000AB92737594F00"
            + "0500010A83AC117F000100004800080000000100000001004E00270080000D0408"
            + "080808000D04080804048021100300001081060808080883060808040400100205"
            + "DC5D002000490001000502000200100057000902858701000AB92737595E000400"
            + "03145955").toLowerCase());

    @Test
    void createSessionRequestDecodesToThePublishedValues() throws Exception {
        GtpV2Message m = GtpV2Message.decode(CREATE_SESSION_REQUEST);
        assertThat(m.type()).isEqualTo(MessageType.CREATE_SESSION_REQUEST);
        assertThat(m.teidPresent()).isTrue();
        assertThat(m.teid()).isZero();
        assertThat(m.sequence()).isEqualTo(3650286);
        assertThat(Ies.digits(m.ie(IeType.IMSI).orElseThrow())).isEqualTo("242899876543211");
        assertThat(Ies.digits(m.ie(IeType.MSISDN).orElseThrow())).isEqualTo("479030666054");
        assertThat(Ies.Plmn.decode(m.ie(IeType.SERVING_NETWORK).orElseThrow().value(), 0))
                .isEqualTo(new Ies.Plmn("240", "98"));
        Ies.FTeid sender = Ies.FTeid.from(m.ie(IeType.F_TEID, 0).orElseThrow());
        assertThat(sender.interfaceType()).isEqualTo(10); // S11 MME GTP-C
        assertThat(sender.teid()).isEqualTo(0x67b8031eL);
        assertThat(sender.ipv4()).isEqualTo(InetAddress.getByName("172.16.67.111"));
        Ies.FTeid pgw = Ies.FTeid.from(m.ie(IeType.F_TEID, 1).orElseThrow());
        assertThat(pgw.interfaceType()).isEqualTo(7); // S5/S8 PGW GTP-C
        assertThat(pgw.ipv4()).isEqualTo(InetAddress.getByName("172.16.8.153"));
        assertThat(Ies.apn(m.ie(IeType.APN).orElseThrow())).isEqualTo("interntinternet.v6.mnc098.mcc240.gprs");
        assertThat(m.ie(IeType.PDN_TYPE).orElseThrow().octet()).isEqualTo(Ies.PDN_IPV4);
        assertThat(Ies.paaIpv4(m.ie(IeType.PAA).orElseThrow())).contains(
                (java.net.Inet4Address) InetAddress.getByName("0.0.0.0"));
        assertThat(Ies.Ambr.from(m.ie(IeType.AMBR).orElseThrow())).isEqualTo(new Ies.Ambr(4_000_000, 4_000_000));
        assertThat(Ies.pco(m.ie(IeType.PCO).orElseThrow())).extracting(Ies.PcoContainer::id)
                .containsExactly(49699, 49699, 32801, 13, 3, 10, 5, 16);
        InformationElement bearer = m.ie(IeType.BEARER_CONTEXT).orElseThrow();
        assertThat(Ies.ebi(bearer.child(IeType.EBI, 0).orElseThrow())).isEqualTo(5);
        assertThat(bearer.child(IeType.BEARER_QOS, 0).orElseThrow().value()[1]).isEqualTo((byte) 9); // QCI
        assertThat(m.ie(IeType.RECOVERY).orElseThrow().octet()).isEqualTo(68);
        Ies.TwanIdentifier twan = Ies.TwanIdentifier.from(m.ie(IeType.TWAN_IDENTIFIER).orElseThrow());
        assertThat(twan.ssid().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(HexFormat.of().parseHex("010203040506070809"));
        assertThat(twan.bssid()).isEqualTo(HexFormat.of().parseHex("111213141516"));
        assertThat(m.encode()).isEqualTo(CREATE_SESSION_REQUEST);
    }

    @Test
    void createSessionResponseDecodesToThePublishedValues() throws Exception {
        GtpV2Message m = GtpV2Message.decode(CREATE_SESSION_RESPONSE);
        assertThat(m.teid()).isEqualTo(88170145L);
        assertThat(m.sequence()).isEqualTo(98);
        CreateSessionResponse r = CreateSessionResponse.from(m);
        assertThat(r.cause().value()).isEqualTo(Cause.REQUEST_ACCEPTED);
        assertThat(r.cause().accepted()).isTrue();
        assertThat(r.pgwControl().ipv4()).isEqualTo(InetAddress.getByName("185.39.55.89"));
        assertThat(r.pgwControl().teid()).isEqualTo(2264989706L);
        assertThat(r.pgwControl().interfaceType()).isEqualTo(7);
        assertThat(r.address()).isEqualTo(InetAddress.getByName("10.131.172.17"));
        assertThat(r.ambr()).isEqualTo(new Ies.Ambr(256, 256));
        assertThat(r.dnsServers()).containsExactly((java.net.Inet4Address) InetAddress.getByName("8.8.8.8"),
                (java.net.Inet4Address) InetAddress.getByName("8.8.4.4"));
        assertThat(r.ebi()).isEqualTo(5);
        assertThat(r.bearerCause()).isEqualTo(Cause.REQUEST_ACCEPTED);
        assertThat(r.pgwUserPlane().interfaceType()).isEqualTo(5); // S5/S8 PGW GTP-U, instance 2
        assertThat(r.pgwUserPlane().teid()).isEqualTo(2264989706L);
        assertThat(r.chargingId()).isEqualTo(0x03145955L);
        assertThat(m.encode()).isEqualTo(CREATE_SESSION_RESPONSE);
    }
}
