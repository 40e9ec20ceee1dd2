package org.opentwag.diameter.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A decoded message reads its AVPs in place from the received bytes (find, the typed getters, the member getters of
 * a Grouped AVP): they must give what the AVP objects of {@link DiameterMessage#avps()} give, and on bad bytes the
 * same {@link DiameterDecodeException}, never an index exception.
 */
class InPlaceReadingTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] message(String avpsHex) {
        int length = 20 + avpsHex.length() / 2;
        return HEX.parseHex("01" + String.format("%06x", length) + "80" + "000130" + "01000031" + "00000001" + "00000002"
                + avpsHex);
    }

    private static DiameterMessage maa() {
        DiameterMessage mar = DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH)
                .add(Avp.utf8(BaseProtocol.SESSION_ID, "twag;1;2"))
                .add(Avp.grouped(BaseProtocol.PROXY_INFO, Avp.identity(BaseProtocol.PROXY_HOST, "dra.example"),
                        Avp.octets(BaseProtocol.PROXY_STATE, new byte[]{1, 2, 3})))
                .build();
        byte[] rand = new byte[32];
        Arrays.fill(rand, (byte) 0x5a);
        return DiameterMessage.answerTo(mar).resultCode(ResultCodes.DIAMETER_SUCCESS)
                .add(Avp.identity(BaseProtocol.ORIGIN_HOST, "hss.example"))
                .add(Avp.grouped(SwxApplication.SIP_AUTH_DATA_ITEM, Avp.unsigned32(SwxApplication.SIP_ITEM_NUMBER, 2),
                        Avp.utf8(SwxApplication.SIP_AUTHENTICATION_SCHEME, "EAP-AKA"),
                        Avp.octets(SwxApplication.SIP_AUTHENTICATE, rand)))
                .add(Avp.grouped(SwxApplication.SIP_AUTH_DATA_ITEM, Avp.unsigned32(SwxApplication.SIP_ITEM_NUMBER, 1)))
                .add(Avp.grouped(BaseProtocol.EXPERIMENTAL_RESULT, Avp.unsigned32(BaseProtocol.VENDOR_ID, 10415),
                        Avp.unsigned32(BaseProtocol.EXPERIMENTAL_RESULT_CODE, 2001)))
                .add(Avp.unsigned64(CreditControlApplication.CC_TOTAL_OCTETS, -2L))
                .add(Avp.enumerated(SwxApplication.RAT_TYPE, 0))
                .add(Avp.utf8(BaseProtocol.USER_NAME, "\u00e9t\u00e9"))
                .build();
    }

    @Test
    void gettersGiveWhatTheAvpObjectsGive() {
        DiameterMessage built = maa();
        DiameterMessage decoded = DiameterMessage.decode(built.encode());
        for (DiameterMessage m : List.of(built, decoded)) {
            assertThat(m.utf8(BaseProtocol.SESSION_ID)).isEqualTo("twag;1;2");
            assertThat(m.sessionId()).contains("twag;1;2");
            assertThat(m.utf8(BaseProtocol.USER_NAME)).isEqualTo("\u00e9t\u00e9");
            assertThat(m.utf8(BaseProtocol.DESTINATION_HOST)).isNull();
            assertThat(m.unsigned32(BaseProtocol.RESULT_CODE, -1)).isEqualTo(2001);
            assertThat(m.unsigned32(BaseProtocol.ORIGIN_STATE_ID, -1)).isEqualTo(-1);
            assertThat(m.enumerated(SwxApplication.RAT_TYPE, -1)).isZero();
            assertThat(m.unsigned64(CreditControlApplication.CC_TOTAL_OCTETS, 7)).isEqualTo(-2L);
            assertThat(m.octets(BaseProtocol.ORIGIN_HOST)).isEqualTo("hss.example".getBytes());
            assertThat(m.octets(BaseProtocol.ORIGIN_REALM)).isNull();
            assertThat(m.experimentalResultCode(-1)).isEqualTo(2001);
            assertThat(m.outcome(-1)).isEqualTo(2001);
            assertThat(m.has(BaseProtocol.PROXY_INFO)).isTrue();
            assertThat(m.has(BaseProtocol.ORIGIN_REALM)).isFalse();

            List<Avp> items = m.findAll(SwxApplication.SIP_AUTH_DATA_ITEM);
            assertThat(items).hasSize(2);
            Avp first = items.get(0);
            assertThat(first.memberUnsigned32(SwxApplication.SIP_ITEM_NUMBER, 0)).isEqualTo(2);
            assertThat(first.memberUtf8(SwxApplication.SIP_AUTHENTICATION_SCHEME)).isEqualTo("EAP-AKA");
            assertThat(first.memberOctets(SwxApplication.SIP_AUTHENTICATE)).hasSize(32).containsOnly(0x5a);
            assertThat(first.memberOctets(SwxApplication.SIP_AUTHORIZATION)).isNull();
            assertThat(first.memberEnumerated(SwxApplication.RAT_TYPE, -5)).isEqualTo(-5);
            assertThat(first.has(SwxApplication.SIP_AUTHENTICATE)).isTrue();
            assertThat(first.findAll(SwxApplication.SIP_ITEM_NUMBER)).hasSize(1);
            assertThat(items.get(1).memberUtf8(SwxApplication.SIP_AUTHENTICATION_SCHEME)).isNull();
        }
        // A view equals the AVP object the full list holds, members included.
        assertThat(decoded.findAll(SwxApplication.SIP_AUTH_DATA_ITEM))
                .isEqualTo(built.findAll(SwxApplication.SIP_AUTH_DATA_ITEM));
        assertThat(decoded.find(SwxApplication.SIP_AUTH_DATA_ITEM).orElseThrow().children())
                .isEqualTo(decoded.avps().get(3).children());
        assertThat(decoded.avps()).isEqualTo(built.avps());
        assertThat(decoded).isEqualTo(built);
        // An answer to a decoded request carries its Session-Id and Proxy-Info (RFC 6733 6.2).
        DiameterMessage request = DiameterMessage.decode(DiameterMessage.request(1, 2)
                .add(Avp.utf8(BaseProtocol.SESSION_ID, "s"))
                .add(Avp.grouped(BaseProtocol.PROXY_INFO, Avp.identity(BaseProtocol.PROXY_HOST, "p"))).build().encode());
        DiameterMessage answer = DiameterMessage.answerTo(request).resultCode(2001).build();
        assertThat(answer.sessionId()).contains("s");
        assertThat(answer.findAll(BaseProtocol.PROXY_INFO)).isEqualTo(request.findAll(BaseProtocol.PROXY_INFO));
    }

    @Test
    void aDecodedMessageEncodesAsItsAvpsWould() {
        DiameterMessage decoded = DiameterMessage.decode(maa().encode());
        DiameterMessage stamped = decoded.withIdentifiers(0x11223344, 0x55667788).withRetransmittedFlag();
        byte[] wire = stamped.encode();
        assertThat(wire).isEqualTo(DiameterMessage.decode(wire).toBuilder().build().encode());
        assertThat(stamped.hopByHop()).isEqualTo(0x11223344);
        assertThat(DiameterMessage.decode(wire).isRetransmitted()).isTrue();
        assertThat(stamped.encodedLength()).isEqualTo(wire.length);

        // Padding octets a peer left non-zero go out as zeros, as re-encoding the AVPs writes them.
        byte[] dirty = message("00000001" + "40" + "00000b" + "616263" + "ff");
        assertThat(DiameterMessage.decode(dirty).encode()).endsWith(0x61, 0x62, 0x63, 0);
        // The 'V' bit with Vendor-Id 0: written back as the Avp writes it (without the Vendor-Id field).
        byte[] vendorZero = message("00000001" + "c0" + "00000f" + "00000000" + "616263" + "00");
        DiameterMessage odd = DiameterMessage.decode(vendorZero);
        assertThat(odd.encode()).hasSize(odd.encodedLength()).isEqualTo(odd.toBuilder().build().encode());
    }

    /**
     * An AVP the dictionary does not know is not checked when decoded: reading it as Grouped checks it then, and a
     * truncated or overlapping member is a DiameterDecodeException, as for the full list.
     */
    @Test
    void membersOfAnUncheckedGroupAreCheckedWhenRead() {
        // Unknown AVP 9999 whose data is a member claiming 16 octets in 12 (overlapping what follows)
        String overlapping = "0000270f" + "40" + "000014" + "00000001" + "40" + "000010" + "61626364" + "0000010c"
                + "40" + "00000c" + "000007d1";
        // ... and one whose data ends inside a member header
        String truncated = "0000270f" + "40" + "00000c" + "00000001";
        for (String hex : List.of(overlapping, truncated)) {
            DiameterMessage m = DiameterMessage.decode(message(hex));
            Avp unknown = m.find(9999, 0).orElseThrow();
            for (Runnable read : List.<Runnable>of(() -> unknown.find(BaseProtocol.USER_NAME),
                    () -> unknown.memberUtf8(BaseProtocol.USER_NAME), () -> unknown.memberOctets(BaseProtocol.USER_NAME),
                    () -> unknown.memberUnsigned32(BaseProtocol.RESULT_CODE, 0), () -> unknown.findAll(BaseProtocol.USER_NAME),
                    () -> unknown.has(BaseProtocol.USER_NAME), unknown::children)) {
                DiameterDecodeException e = catchThrowableOfType(DiameterDecodeException.class, read::run);
                assertThat(e).isNotNull();
                assertThat(e.resultCode()).isEqualTo(ResultCodes.DIAMETER_INVALID_AVP_LENGTH);
            }
        }
        // Result-Code (268) after the overlapping one is still read from its own header.
        assertThat(DiameterMessage.decode(message(overlapping)).unsigned32(BaseProtocol.RESULT_CODE, 0)).isEqualTo(2001);
    }

    /** Known Grouped AVPs are checked when decoded: a bad member refuses the message before any getter runs. */
    @Test
    void aBadMemberOfAKnownGroupRefusesTheMessage() {
        // SIP-Auth-Data-Item holding SIP-Item-Number whose length runs into the next top-level AVP
        String item = "00000264" + "c0" + "000018" + "000028af" + "00000265" + "c0" + "000014" + "000028af";
        DiameterDecodeException e = catchThrowableOfType(DiameterDecodeException.class,
                () -> DiameterMessage.decode(message(item + "0000010c" + "40" + "00000c" + "000007d1")));
        assertThat(e.getMessage()).contains("SIP-Item-Number(613/10415)", "SIP-Auth-Data-Item(612/10415)");
        // ... and one whose member header is cut by the end of the group
        String cut = "00000264" + "c0" + "000010" + "000028af" + "00000265";
        e = catchThrowableOfType(DiameterDecodeException.class, () -> DiameterMessage.decode(message(cut)));
        assertThat(e.getMessage()).contains("truncated AVP header");
    }

    /** A typed getter on a value of the wrong size throws what the Avp accessor throws. */
    @Test
    void aValueOfTheWrongSizeThrowsAsTheAvpAccessorDoes() {
        DiameterMessage m = DiameterMessage.decode(message("00000001" + "40" + "00000b" + "616263" + "00"));
        AvpDefinition userNameAsNumber = new AvpDefinition("User-Name", 1, 0, AvpFormat.UNSIGNED32, true);
        DiameterDecodeException lazy = catchThrowableOfType(DiameterDecodeException.class,
                () -> m.unsigned32(userNameAsNumber, 0));
        DiameterDecodeException eager = catchThrowableOfType(DiameterDecodeException.class,
                () -> m.avps().get(0).unsigned32());
        assertThat(lazy.getMessage()).isEqualTo(eager.getMessage());
        assertThat(lazy.resultCode()).isEqualTo(ResultCodes.DIAMETER_INVALID_AVP_LENGTH);
        assertThat(catchThrowableOfType(DiameterDecodeException.class, () -> m.unsigned64(userNameAsNumber, 0)))
                .isNotNull();
        assertThat(catchThrowableOfType(DiameterDecodeException.class, () -> m.enumerated(userNameAsNumber, 0)))
                .isNotNull();
    }

    /** Random corruption: whatever decodes reads the same in place as from the AVP objects; nothing else escapes. */
    @Test
    void corruptedMessagesReadTheSameInPlace() {
        byte[] valid = maa().encode();
        Random random = new Random(4006);
        int decoded = 0;
        for (int i = 0; i < 3_000; i++) {
            byte[] m = valid.clone();
            for (int f = 1 + random.nextInt(3); f > 0; f--) {
                m[20 + random.nextInt(m.length - 20)] = (byte) random.nextInt(256);
            }
            DiameterMessage message;
            try {
                message = DiameterMessage.decode(m);
            } catch (DiameterDecodeException expected) {
                continue;
            }
            decoded++;
            for (Avp avp : message.avps()) {
                Avp view = message.find(avp.code(), avp.vendorId()).orElseThrow();
                Avp first = message.avps().stream()
                        .filter(a -> a.code() == avp.code() && a.vendorId() == avp.vendorId()).findFirst().orElseThrow();
                assertThat(view).isEqualTo(first);
                compareMembers(view, first);
            }
            assertThat(message.encode()).isEqualTo(message.toBuilder().build().encode());
        }
        assertThat(decoded).isPositive();
    }

    /** Each member read through the view's in-place getters equals the object's member (or fails alike). */
    private static void compareMembers(Avp view, Avp object) {
        List<Avp> members;
        try {
            members = object.children();
        } catch (DiameterDecodeException | IllegalStateException notGrouped) {
            return;
        }
        for (Avp member : members) {
            AvpDefinition def = new AvpDefinition("m", member.code(), member.vendorId(), AvpFormat.OCTET_STRING, false);
            Avp first = members.stream().filter(a -> a.is(def)).findFirst().orElseThrow();
            assertThat(view.memberOctets(def)).isEqualTo(first.octets());
            assertThat(view.find(def).orElseThrow()).isEqualTo(first);
            try {
                long expected = first.unsigned32();
                assertThat(view.memberUnsigned32(def, -1)).isEqualTo(expected);
            } catch (DiameterDecodeException e) {
                assertThat(catchThrowableOfType(DiameterDecodeException.class, () -> view.memberUnsigned32(def, -1))
                        .getMessage()).isEqualTo(e.getMessage());
            } catch (IllegalStateException grouped) {
                // a Grouped member has no value of its own
            }
            compareMembers(view.find(def).orElseThrow(), first);
        }
    }
}
