package org.opentwag.diameter.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opentwag.diameter.codec.BaseProtocol.AUTH_SESSION_STATE;
import static org.opentwag.diameter.codec.BaseProtocol.DESTINATION_REALM;
import static org.opentwag.diameter.codec.BaseProtocol.ORIGIN_HOST;
import static org.opentwag.diameter.codec.BaseProtocol.PROXY_HOST;
import static org.opentwag.diameter.codec.BaseProtocol.PROXY_INFO;
import static org.opentwag.diameter.codec.BaseProtocol.PROXY_STATE;
import static org.opentwag.diameter.codec.BaseProtocol.SESSION_ID;
import static org.opentwag.diameter.codec.BaseProtocol.USER_NAME;
import static org.opentwag.diameter.codec.SwxApplication.CONFIDENTIALITY_KEY;
import static org.opentwag.diameter.codec.SwxApplication.INTEGRITY_KEY;
import static org.opentwag.diameter.codec.SwxApplication.SIP_AUTHENTICATE;
import static org.opentwag.diameter.codec.SwxApplication.SIP_AUTHENTICATION_SCHEME;
import static org.opentwag.diameter.codec.SwxApplication.SIP_AUTHORIZATION;
import static org.opentwag.diameter.codec.SwxApplication.SIP_AUTH_DATA_ITEM;
import static org.opentwag.diameter.codec.SwxApplication.SIP_ITEM_NUMBER;

import java.net.InetAddress;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MessageRoundTripTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] CK = HEX.parseHex("b40ba9a3c58b2a05bbf0d987b21bf8cb");
    private static final byte[] IK = HEX.parseHex("f769bcd751044604127672711c6d3441");

    private static DiameterMessage mar() {
        return DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH)
                .add(Avp.utf8(SESSION_ID, "twag.localdomain;1;2"))
                .add(Avp.enumerated(AUTH_SESSION_STATE, BaseProtocol.AuthSessionState.NO_STATE_MAINTAINED))
                .add(Avp.identity(ORIGIN_HOST, "twag.localdomain"))
                .add(Avp.identity(DESTINATION_REALM, "epc.mnc001.mcc001.3gppnetwork.org"))
                .add(Avp.utf8(USER_NAME, "001010000000001"))
                .add(Avp.unsigned32(SwxApplication.SIP_NUMBER_AUTH_ITEMS, 1))
                .add(Avp.grouped(SIP_AUTH_DATA_ITEM, Avp.utf8(SIP_AUTHENTICATION_SCHEME, "EAP-AKA'")))
                .add(Avp.enumerated(SwxApplication.RAT_TYPE, SwxApplication.RatType.WLAN))
                .add(Avp.utf8(SwxApplication.ANID, "WLAN"))
                .add(Avp.grouped(PROXY_INFO, Avp.identity(PROXY_HOST, "dra.example"), Avp.octets(PROXY_STATE, new byte[] {1, 2, 3})))
                .hopByHop(7).endToEnd(9)
                .build();
    }

    @Test
    void marRoundTrips() {
        DiameterMessage mar = mar();
        byte[] wire = mar.encode();
        assertThat(wire.length % 4).isZero();
        DiameterMessage back = DiameterMessage.decode(wire);
        assertThat(back).isEqualTo(mar);
        assertThat(back.encode()).isEqualTo(wire);
        assertThat(back.find(SIP_AUTH_DATA_ITEM).orElseThrow().find(SIP_AUTHENTICATION_SCHEME).orElseThrow().utf8())
                .isEqualTo("EAP-AKA'");
        assertThat(back.find(SwxApplication.RAT_TYPE).orElseThrow().isMandatory()).isFalse();
        assertThat(back.find(SwxApplication.ANID).orElseThrow().isVendorSpecific()).isTrue();
    }

    @Test
    void answerCopiesIdentifiersSessionIdAndProxyInfo() {
        DiameterMessage mar = mar();
        DiameterMessage maa = DiameterMessage.answerTo(mar)
                .add(Avp.identity(ORIGIN_HOST, "hss.example"))
                .experimentalResult(Vendors.THREE_GPP, ResultCodes.ThreeGpp.DIAMETER_ERROR_USER_UNKNOWN)
                .build();
        assertThat(maa.isRequest()).isFalse();
        assertThat(maa.isProxiable()).isTrue();
        assertThat(maa.hopByHop()).isEqualTo(7);
        assertThat(maa.endToEnd()).isEqualTo(9);
        assertThat(maa.avps().get(0).is(SESSION_ID)).isTrue();
        assertThat(maa.sessionId()).contains("twag.localdomain;1;2");
        assertThat(maa.avps().get(maa.avps().size() - 1).is(PROXY_INFO)).isTrue();
        assertThat(maa.experimentalResultCode()).hasValue(5001);
        assertThat(maa.experimentalResultVendorId()).hasValue(10415);
        assertThat(maa.resultCode()).isEmpty();
        assertThat(maa.outcome()).hasValue(5001);
        DiameterMessage decoded = DiameterMessage.decode(maa.encode());
        assertThat(decoded.experimentalResultCode()).hasValue(5001);
    }

    @Test
    void protocolErrorAnswersCarryTheEBit() {
        DiameterMessage answer = DiameterMessage.answerTo(mar()).resultCode(ResultCodes.DIAMETER_COMMAND_UNSUPPORTED).build();
        assertThat(answer.isError()).isTrue();
        assertThat(DiameterMessage.answerTo(mar()).resultCode(ResultCodes.DIAMETER_SUCCESS).build().isError()).isFalse();
        assertThatThrownBy(() -> DiameterMessage.answerTo(answer)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maaWithKeysRoundTripsAndHidesThemInToString() {
        DiameterMessage maa = DiameterMessage.answerTo(mar())
                .resultCode(ResultCodes.DIAMETER_SUCCESS)
                .add(Avp.grouped(SIP_AUTH_DATA_ITEM,
                        Avp.unsigned32(SIP_ITEM_NUMBER, 1),
                        Avp.utf8(SIP_AUTHENTICATION_SCHEME, "EAP-AKA"),
                        Avp.octets(SIP_AUTHENTICATE, new byte[32]),
                        Avp.octets(SIP_AUTHORIZATION, HEX.parseHex("a54211d5e3ba50bf")),
                        Avp.octets(CONFIDENTIALITY_KEY, CK),
                        Avp.octets(INTEGRITY_KEY, IK)))
                .build();
        DiameterMessage back = DiameterMessage.decode(maa.encode());
        Avp item = back.find(SIP_AUTH_DATA_ITEM).orElseThrow();
        assertThat(item.find(CONFIDENTIALITY_KEY).orElseThrow().octets()).isEqualTo(CK);
        assertThat(item.find(INTEGRITY_KEY).orElseThrow().octets()).isEqualTo(IK);
        String text = back.toString();
        assertThat(text).contains("Confidentiality-Key=<16 octets>", "MAA", "Result-Code=2001", "SIP-Item-Number=1");
        assertThat(text.toLowerCase()).doesNotContain("b40ba9a3", "f769bcd7", "a54211d5");
    }

    @Test
    void everyFormatRoundTrips() throws Exception {
        AvpDefinition i32 = new AvpDefinition("I32", 9001, 0, AvpFormat.INTEGER32, false);
        AvpDefinition f32 = new AvpDefinition("F32", 9002, 0, AvpFormat.FLOAT32, false);
        AvpDefinition f64 = new AvpDefinition("F64", 9003, 0, AvpFormat.FLOAT64, false);
        DiameterDictionary dictionary = DiameterDictionary.standard().with(java.util.List.of(i32, f32, f64));
        Instant when = Instant.parse("2026-11-05T10:15:30Z");
        DiameterMessage m = DiameterMessage.request(4, 272)
                .add(Avp.unsigned64(CreditControlApplication.CC_TOTAL_OCTETS, -1L)) // 2^64-1
                .add(Avp.integer64(CreditControlApplication.VALUE_DIGITS, -123456789012L))
                .add(Avp.unsigned32(CreditControlApplication.VALIDITY_TIME, 0xffffffffL))
                .add(Avp.integer32(i32, -5))
                .add(Avp.float32(f32, 1.5f))
                .add(Avp.float64(f64, -2.25))
                .add(Avp.address(BaseProtocol.HOST_IP_ADDRESS, InetAddress.getByName("2001:db8::1")))
                .add(Avp.time(CreditControlApplication.TARIFF_TIME_CHANGE, when))
                .add(Avp.utf8(USER_NAME, "zoë"))
                .build();
        DiameterMessage back = DiameterMessage.decode(m.encode(), dictionary);
        assertThat(Long.toUnsignedString(back.find(CreditControlApplication.CC_TOTAL_OCTETS).orElseThrow().unsigned64()))
                .isEqualTo("18446744073709551615");
        assertThat(back.find(CreditControlApplication.VALUE_DIGITS).orElseThrow().integer64()).isEqualTo(-123456789012L);
        assertThat(back.find(CreditControlApplication.VALIDITY_TIME).orElseThrow().unsigned32()).isEqualTo(4294967295L);
        assertThat(back.find(i32).orElseThrow().integer32()).isEqualTo(-5);
        assertThat(back.find(f32).orElseThrow().float32()).isEqualTo(1.5f);
        assertThat(back.find(f64).orElseThrow().float64()).isEqualTo(-2.25);
        assertThat(back.find(BaseProtocol.HOST_IP_ADDRESS).orElseThrow().address()).isEqualTo(InetAddress.getByName("2001:db8::1"));
        assertThat(back.find(CreditControlApplication.TARIFF_TIME_CHANGE).orElseThrow().time()).isEqualTo(when);
        assertThat(back.find(USER_NAME).orElseThrow().utf8()).isEqualTo("zoë");
    }

    @Test
    void factoriesRefuseAValueOfTheWrongFormat() {
        assertThatThrownBy(() -> Avp.unsigned32(ORIGIN_HOST, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Origin-Host");
        assertThatThrownBy(() -> Avp.unsigned32(BaseProtocol.RESULT_CODE, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Avp.grouped(USER_NAME)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retransmissionCopiesKeepTheAvps() {
        DiameterMessage mar = mar();
        DiameterMessage again = mar.withRetransmittedFlag().withHopByHop(42);
        assertThat(again.isRetransmitted()).isTrue();
        assertThat(again.hopByHop()).isEqualTo(42);
        assertThat(again.endToEnd()).isEqualTo(mar.endToEnd());
        assertThat(again.avps()).isSameAs(mar.avps());
        assertThat(DiameterMessage.decode(again.encode()).isRetransmitted()).isTrue();
    }

    @Test
    void answerFromAHeaderAlone() {
        DiameterHeader header = DiameterHeader.read(mar().encode(), 0, 20);
        DiameterMessage answer = DiameterMessage.answerTo(header).resultCode(ResultCodes.DIAMETER_INVALID_AVP_LENGTH).build();
        assertThat(answer.isRequest()).isFalse();
        assertThat(answer.hopByHop()).isEqualTo(7);
        assertThat(answer.endToEnd()).isEqualTo(9);
        assertThat(answer.commandCode()).isEqualTo(SwxApplication.MULTIMEDIA_AUTH);
    }

    @Test
    void toBuilderKeepsHeaderAndAvps() {
        DiameterMessage mar = mar();
        DiameterMessage more = mar.toBuilder().add(Avp.identity(BaseProtocol.ORIGIN_REALM, "r")).build();
        assertThat(more.avps()).hasSize(mar.avps().size() + 1);
        assertThat(more.hopByHop()).isEqualTo(mar.hopByHop());
        assertThat(more.flags()).isEqualTo(mar.flags());
        assertThat(more.originRealm()).contains("r");
    }
}
