package org.opentwag.radius.codec;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Encoders checked with the verifiers the RFC vectors validate (RfcVectorTest), so a wrong signature here cannot be
 * hidden by a matching wrong verifier.
 */
class RadiusEncoderTest {
    private final byte[] secret = "testing123-long-secret".getBytes(US_ASCII);
    private final Random random = new Random(5176);

    private RadiusPacket accessRequestWithProxyStates() throws RadiusDecodeException {
        byte[] wire = RadiusRequestEncoder.encode(RadiusCode.ACCESS_REQUEST, 42, List.of(
                RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org"),
                RadiusAttribute.of(RadiusDictionary.PROXY_STATE, "ps-one".getBytes(US_ASCII)),
                RadiusAttribute.of(RadiusDictionary.EAP_MESSAGE, new byte[] {2, 0, 0, 5, 1}),
                RadiusAttribute.of(RadiusDictionary.PROXY_STATE, "ps-two".getBytes(US_ASCII))), secret, true);
        return RadiusPacket.decode(wire);
    }

    @Test
    void responseHasMessageAuthenticatorFirstProxyStateCopiedAndValidSignatures() throws Exception {
        RadiusPacket request = accessRequestWithProxyStates();
        byte[] msk = RadiusPacketDecodeTest.randomBytes(random, 64);
        byte[] recvKey = Arrays.copyOfRange(msk, 0, 32);
        byte[] sendKey = Arrays.copyOfRange(msk, 32, 64);
        byte[] wire = RadiusResponseEncoder.encode(request, secret, RadiusCode.ACCESS_ACCEPT, List.of(
                RadiusAttribute.of(RadiusDictionary.EAP_MESSAGE, new byte[] {3, 0, 0, 4}),
                RadiusAttribute.vendor(RadiusDictionary.VENDOR_MICROSOFT, RadiusDictionary.MS_MPPE_RECV_KEY, recvKey),
                RadiusAttribute.vendor(RadiusDictionary.VENDOR_MICROSOFT, RadiusDictionary.MS_MPPE_SEND_KEY, sendKey),
                RadiusAttribute.of(RadiusDictionary.MESSAGE_AUTHENTICATOR, new byte[16])));
        RadiusPacket response = RadiusPacket.decode(wire);

        assertThat(response.code()).isEqualTo(RadiusCode.ACCESS_ACCEPT);
        assertThat(response.identifier()).isEqualTo(42);
        assertThat(response.attributes().get(0).type()).isEqualTo(RadiusDictionary.MESSAGE_AUTHENTICATOR);
        assertThat(response.attributes(RadiusDictionary.MESSAGE_AUTHENTICATOR)).hasSize(1);
        assertThat(response.attributes(RadiusDictionary.PROXY_STATE)).extracting(RadiusAttribute::asString)
                .containsExactly("ps-one", "ps-two");
        assertThat(RadiusAuthenticators.verifyResponseAuthenticator(wire, request.authenticator(), secret)).isTrue();
        assertThat(RadiusAuthenticators.verifyResponseMessageAuthenticator(wire, request.authenticator(), secret))
                .isEqualTo(RadiusAuthenticators.Check.VALID);

        byte[] recvValue = response.vendorAttribute(311, RadiusDictionary.MS_MPPE_RECV_KEY).orElseThrow().value();
        byte[] sendValue = response.vendorAttribute(311, RadiusDictionary.MS_MPPE_SEND_KEY).orElseThrow().value();
        assertThat(recvValue).hasSize(2 + 48);
        assertThat(recvValue[0] & 0x80).isNotZero();
        assertThat(Arrays.copyOf(recvValue, 2)).isNotEqualTo(Arrays.copyOf(sendValue, 2));
        assertThat(MppeKeys.decrypt(recvValue, request.authenticator(), secret)).isEqualTo(recvKey);
        assertThat(MppeKeys.decrypt(sendValue, request.authenticator(), secret)).isEqualTo(sendKey);
    }

    @Test
    void accountingRequestIsSignedAndItsMessageAuthenticatorUsesZeroAuthenticator() throws Exception {
        byte[] wire = RadiusRequestEncoder.encode(RadiusCode.ACCOUNTING_REQUEST, 7, List.of(
                RadiusAttribute.ofInt(RadiusDictionary.ACCT_STATUS_TYPE, RadiusDictionary.ACCT_STATUS_START),
                RadiusAttribute.ofString(RadiusDictionary.ACCT_SESSION_ID, "s1")), secret, true);
        assertThat(RadiusAuthenticators.verifySignedRequestAuthenticator(wire, secret)).isTrue();
        assertThat(RadiusAuthenticators.verifySignedRequestAuthenticator(wire, "other".getBytes(US_ASCII))).isFalse();
        assertThat(RadiusAuthenticators.verifyRequestMessageAuthenticator(wire, secret)).isEqualTo(RadiusAuthenticators.Check.VALID);
        byte[] ma = RadiusPacket.decode(wire).octets(RadiusDictionary.MESSAGE_AUTHENTICATOR).orElseThrow();
        assertThat(RadiusAuthenticators.messageAuthenticator(wire, new byte[16], secret)).isEqualTo(ma);

        byte[] withoutMa = RadiusRequestEncoder.encode(RadiusCode.DISCONNECT_REQUEST, 8, List.of(
                RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "mchiba")), secret, false);
        assertThat(RadiusAuthenticators.verifySignedRequestAuthenticator(withoutMa, secret)).isTrue();
        assertThat(RadiusAuthenticators.verifyRequestMessageAuthenticator(withoutMa, secret)).isEqualTo(RadiusAuthenticators.Check.ABSENT);
    }

    @Test
    void accessRequestHidesPasswordAndAlwaysCarriesMessageAuthenticator() throws Exception {
        byte[] wire = RadiusRequestEncoder.encode(RadiusCode.ACCESS_REQUEST, 1, List.of(
                RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "nemo"),
                RadiusAttribute.ofString(RadiusDictionary.USER_PASSWORD, "arctangent")), secret, false);
        RadiusPacket packet = RadiusPacket.decode(wire);
        assertThat(packet.attributes().get(0).type()).isEqualTo(RadiusDictionary.MESSAGE_AUTHENTICATOR);
        assertThat(RadiusAuthenticators.verifyRequestMessageAuthenticator(wire, secret)).isEqualTo(RadiusAuthenticators.Check.VALID);
        assertThat(UserPassword.reveal(packet.octets(RadiusDictionary.USER_PASSWORD).orElseThrow(), packet.authenticator(), secret))
                .isEqualTo("arctangent".getBytes(US_ASCII));
        assertThatThrownBy(() -> RadiusRequestEncoder.encode(RadiusCode.ACCESS_ACCEPT, 1, List.of(), secret, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void userPasswordAndMppeKeysRoundTripForAllLengths() throws Exception {
        byte[] authenticator = RadiusPacketDecodeTest.randomBytes(random, 16);
        for (int length = 1; length <= UserPassword.MAX_LENGTH; length++) {
            byte[] password = new byte[length];
            for (int i = 0; i < length; i++) {
                password[i] = (byte) (1 + random.nextInt(255)); // no NUL: NULs are the padding
            }
            byte[] hidden = UserPassword.hide(password, authenticator, secret);
            assertThat(hidden.length % 16).isZero();
            assertThat(UserPassword.reveal(hidden, authenticator, secret)).isEqualTo(password);
        }
        for (int length = 0; length <= MppeKeys.MAX_KEY_LENGTH; length++) {
            byte[] key = RadiusPacketDecodeTest.randomBytes(random, length);
            byte[] value = MppeKeys.encrypt(key, authenticator, secret, 0x8000 | random.nextInt(0x8000));
            assertThat(value.length).isLessThanOrEqualTo(RadiusAttribute.MAX_VENDOR_VALUE_LENGTH);
            assertThat(MppeKeys.decrypt(value, authenticator, secret)).isEqualTo(key);
        }
        assertThatThrownBy(() -> UserPassword.reveal(new byte[17], authenticator, secret))
                .isInstanceOf(RadiusDecodeException.class).hasMessageContaining("User-Password");
        assertThatThrownBy(() -> MppeKeys.decrypt(new byte[18], authenticator, secret))
                .isInstanceOf(RadiusDecodeException.class).hasMessageContaining("most significant bit");
    }

    @Test
    void accountingResponseIsSignedWithoutMessageAuthenticator() throws Exception {
        byte[] requestWire = RadiusRequestEncoder.encode(RadiusCode.ACCOUNTING_REQUEST, 9, List.of(
                RadiusAttribute.ofInt(RadiusDictionary.ACCT_STATUS_TYPE, RadiusDictionary.ACCT_STATUS_STOP),
                RadiusAttribute.of(RadiusDictionary.PROXY_STATE, new byte[] {1})), secret, false);
        RadiusPacket request = RadiusPacket.decode(requestWire);
        byte[] wire = RadiusResponseEncoder.encode(request, secret, RadiusCode.ACCOUNTING_RESPONSE, List.of());
        RadiusPacket response = RadiusPacket.decode(wire);
        assertThat(response.attributes()).containsExactly(RadiusAttribute.of(RadiusDictionary.PROXY_STATE, new byte[] {1}));
        assertThat(RadiusAuthenticators.verifyResponseAuthenticator(wire, request.authenticator(), secret)).isTrue();
    }

    @Test
    void largeEapReplySplitsAndStaysSigned() throws Exception {
        RadiusPacket request = accessRequestWithProxyStates();
        byte[] eap = RadiusPacketDecodeTest.randomBytes(random, 1400);
        List<RadiusAttribute> attributes = new ArrayList<>(EapMessages.split(eap));
        attributes.add(RadiusAttribute.of(RadiusDictionary.STATE, new byte[] {1, 2, 3}));
        byte[] wire = RadiusResponseEncoder.encode(request, secret, RadiusCode.ACCESS_CHALLENGE, attributes);
        RadiusPacket response = RadiusPacket.decode(wire);
        assertThat(response.eapMessage()).hasValueSatisfying(joined -> assertThat(joined).isEqualTo(eap));
        assertThat(RadiusAuthenticators.verifyResponseAuthenticator(wire, request.authenticator(), secret)).isTrue();
        assertThat(RadiusAuthenticators.verifyResponseMessageAuthenticator(wire, request.authenticator(), secret))
                .isEqualTo(RadiusAuthenticators.Check.VALID);
    }
}
