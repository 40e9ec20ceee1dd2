package org.opentwag.diameter.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Malformed messages end in a DiameterDecodeException that names the problem, the AVP and the offset. */
class MalformedInputTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String HEADER_PREFIX = "01";
    private static final String HEADER_REST = "80" + "000130" + "01000031" + "00000001" + "00000002";

    private static byte[] message(String avpsHex) {
        int length = 20 + avpsHex.length() / 2;
        return HEX.parseHex(HEADER_PREFIX + String.format("%06x", length) + HEADER_REST + avpsHex);
    }

    @Test
    void shorterThanAHeader() {
        DiameterDecodeException e = catchThrowableOfType(DiameterDecodeException.class,
                () -> DiameterMessage.decode(new byte[12]));
        assertThat(e.resultCode()).isEqualTo(ResultCodes.DIAMETER_INVALID_MESSAGE_LENGTH);
        assertThat(e.getMessage()).contains("shorter than the 20-octet header");
        assertThat(e.header()).isEmpty();
    }

    @Test
    void lengthFieldDisagreesWithTheBytes() {
        byte[] m = message("00000001" + "40" + "00000c" + hex("abcd"));
        byte[] truncated = java.util.Arrays.copyOf(m, m.length - 4);
        DiameterDecodeException e = catchThrowableOfType(DiameterDecodeException.class, () -> DiameterMessage.decode(truncated));
        assertThat(e.resultCode()).isEqualTo(ResultCodes.DIAMETER_INVALID_MESSAGE_LENGTH);
        assertThat(e.getMessage()).contains("says 32", "has 28");
        assertThat(e.header()).isPresent();
        assertThat(e.header().get().hopByHop()).isEqualTo(1);
    }

    @Test
    void wrongVersion() {
        byte[] m = message("");
        m[0] = 2;
        DiameterDecodeException e = catchThrowableOfType(DiameterDecodeException.class, () -> DiameterMessage.decode(m));
        assertThat(e.resultCode()).isEqualTo(ResultCodes.DIAMETER_UNSUPPORTED_VERSION);
        assertThat(e.getMessage()).contains("version 2");
    }

    @Test
    void requestWithErrorBit() {
        byte[] m = message("");
        m[4] = (byte) 0xa0;
        assertThat(catchThrowableOfType(DiameterDecodeException.class, () -> DiameterMessage.decode(m)).resultCode())
                .isEqualTo(ResultCodes.DIAMETER_INVALID_HDR_BITS);
    }

    @Test
    void avpLengthShorterThanItsHeader() {
        // Result-Code 268 claiming length 4
        DiameterDecodeException e = catchThrowableOfType(DiameterDecodeException.class,
                () -> DiameterMessage.decode(message("0000010c" + "40" + "000004" + "000007d1")));
        assertThat(e.resultCode()).isEqualTo(ResultCodes.DIAMETER_INVALID_AVP_LENGTH);
        assertThat(e.avpCode()).isEqualTo(268);
        assertThat(e.offset()).isEqualTo(20);
        assertThat(e.getMessage()).contains("Result-Code(268)", "offset 20", "length 4");
        // RFC 6733 7.5: Failed-AVP holds the header and a zero-filled payload of the minimum length
        Avp failed = e.failedAvp().orElseThrow();
        assertThat(failed.code()).isEqualTo(268);
        assertThat(failed.octets()).containsExactly(0, 0, 0, 0);
        assertThat(e.header().orElseThrow().commandCode()).isEqualTo(0x130);
    }

    @Test
    void avpOverrunningTheMessage() {
        DiameterDecodeException e = catchThrowableOfType(DiameterDecodeException.class,
                () -> DiameterMessage.decode(message("00000001" + "40" + "000040" + hex("abcd"))));
        assertThat(e.resultCode()).isEqualTo(ResultCodes.DIAMETER_INVALID_AVP_LENGTH);
        assertThat(e.getMessage()).contains("User-Name(1)", "length 64", "only 12 octets are left in the message");
    }

    @Test
    void truncatedAvpHeader() {
        DiameterDecodeException e = catchThrowableOfType(DiameterDecodeException.class,
                () -> DiameterMessage.decode(message("00000001")));
        assertThat(e.getMessage()).contains("truncated AVP header at offset 20");
    }

    @Test
    void truncatedVendorId() {
        // V bit set but only 8 octets left: the vendor id does not fit
        DiameterDecodeException e = catchThrowableOfType(DiameterDecodeException.class,
                () -> DiameterMessage.decode(message("00000260" + "c0" + "000008")));
        assertThat(e.resultCode()).isEqualTo(ResultCodes.DIAMETER_INVALID_AVP_LENGTH);
        assertThat(e.getMessage()).contains("vendor id does not fit");
    }

    @Test
    void groupedMemberOverrunningItsGroup() {
        // SIP-Auth-Data-Item (612/10415) of length 24 holding SIP-Item-Number claiming length 16
        String item = "00000264" + "c0" + "000018" + "000028af"
                + "00000265" + "c0" + "000010" + "000028af";
        DiameterDecodeException e = catchThrowableOfType(DiameterDecodeException.class,
                () -> DiameterMessage.decode(message(item + "00000000")));
        assertThat(e.resultCode()).isEqualTo(ResultCodes.DIAMETER_INVALID_AVP_LENGTH);
        assertThat(e.avpCode()).isEqualTo(613);
        assertThat(e.vendorId()).isEqualTo(10415);
        assertThat(e.offset()).isEqualTo(32);
        assertThat(e.getMessage()).contains("SIP-Item-Number(613/10415)", "SIP-Auth-Data-Item(612/10415)");
    }

    @Test
    void fixedLengthFormatWithTheWrongSize() {
        // Result-Code with 3 octets of data (length 11, padded to 12)
        DiameterDecodeException e = catchThrowableOfType(DiameterDecodeException.class,
                () -> DiameterMessage.decode(message("0000010c" + "40" + "00000b" + "0007d100")));
        assertThat(e.getMessage()).contains("Result-Code(268)", "3 octets", "needs 4");
        assertThat(e.failedAvp().orElseThrow().dataLength()).isEqualTo(3);
    }

    @Test
    void addressWithALengthNotFittingItsFamily() {
        // Host-IP-Address 257, family 1 (IPv4) with 3 address octets
        DiameterDecodeException e = catchThrowableOfType(DiameterDecodeException.class,
                () -> DiameterMessage.decode(message("00000101" + "40" + "00000d" + "00017f0000" + "000000")));
        assertThat(e.getMessage()).contains("Host-IP-Address(257)", "3 address octets for family 1");
    }

    /**
     * Invalid UTF-8 in a text AVP is refused by the decoder with 5004 and the AVP in Failed-AVP. It used to decode
     * and throw later from Avp.utf8(), where the stack reads Session-Id or Origin-Host (found by Jazzer,
     * DiameterMessageFuzzTest): the peer connection was closed instead of answered.
     */
    @Test
    void invalidUtf8IsRefusedByTheDecoder() {
        DiameterDecodeException e = catchThrowableOfType(DiameterDecodeException.class,
                () -> DiameterMessage.decode(message("00000001" + "40" + "00000a" + "c328" + "0000")));
        assertThat(e.getMessage()).contains("User-Name(1)", "not valid UTF-8");
        assertThat(e.resultCode()).isEqualTo(ResultCodes.DIAMETER_INVALID_AVP_VALUE);
        assertThat(e.failedAvp()).hasValueSatisfying(a -> assertThat(a.code()).isEqualTo(1));
        // Session-Id (263) with a lone continuation octet, as the fuzzer found it
        assertThatThrownBy(() -> DiameterMessage.decode(message("00000107" + "40" + "00000b" + "61bf62" + "00")))
                .isInstanceOf(DiameterDecodeException.class).hasMessageContaining("Session-Id(263)");
        // valid non-ASCII UTF-8 still decodes
        assertThat(DiameterMessage.decode(message("00000001" + "40" + "00000a" + "c3a9" + "0000"))
                .find(BaseProtocol.USER_NAME).orElseThrow().utf8()).isEqualTo("\u00e9");
    }

    @Test
    void nestingIsBounded() {
        // 20 nested Proxy-Info (Grouped) AVPs, innermost empty
        String hexAvp = "";
        for (int i = 0; i < 20; i++) {
            int length = 8 + hexAvp.length() / 2;
            hexAvp = "0000011c" + "40" + String.format("%06x", length) + hexAvp;
        }
        String payload = hexAvp;
        assertThatThrownBy(() -> DiameterMessage.decode(message(payload)))
                .isInstanceOf(DiameterDecodeException.class).hasMessageContaining("nested deeper than 16");
    }

    /** Random corruption of a valid MAA: only DiameterDecodeException may escape, and every loop ends. */
    @Test
    void randomCorruptionNeverEscapesAsAnotherException() {
        byte[] valid = DiameterMessage.request(SwxApplication.APPLICATION_ID, SwxApplication.MULTIMEDIA_AUTH)
                .add(Avp.utf8(BaseProtocol.SESSION_ID, "a;b;c"))
                .add(Avp.grouped(SwxApplication.SIP_AUTH_DATA_ITEM,
                        Avp.unsigned32(SwxApplication.SIP_ITEM_NUMBER, 1),
                        Avp.octets(SwxApplication.SIP_AUTHENTICATE, new byte[32]),
                        Avp.grouped(BaseProtocol.PROXY_INFO, Avp.identity(BaseProtocol.PROXY_HOST, "x"))))
                .add(Avp.address(BaseProtocol.HOST_IP_ADDRESS, java.net.InetAddress.getLoopbackAddress()))
                .build().encode();
        Random random = new Random(6733);
        int rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] m = valid.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                m[20 + random.nextInt(m.length - 20)] = (byte) random.nextInt(256);
            }
            try {
                DiameterMessage decoded = DiameterMessage.decode(m);
                decoded.toString(); // reading every value must not throw either
            } catch (DiameterDecodeException expected) {
                rejected++;
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        assertThat(rejected).isPositive();
    }

    private static String hex(String ascii) {
        return HEX.formatHex(ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
