package org.opentwag.eap.simaka.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.api.eap.EapPacket.EapDecodeException;
import org.opentwag.eap.simaka.protocol.SimAkaMessage.SimAkaDecodeException;

/**
 * Coverage-guided fuzzing (Jazzer) of what a peer's EAP-Response goes through before any state is touched: the EAP
 * packet decoder (RFC 3748), the EAP-SIM/AKA/AKA' attribute decoder (RFC 4186/4187 8.1) and the attribute readers the
 * authenticator applies (AT_RES, AT_IDENTITY, AT_COUNTER, AT_MAC, AT_IV + AT_ENCR_DATA and the attributes inside).
 * Seeds: {@code src/test/resources/org/opentwag/eap/simaka/protocol/SimAkaFuzzTestInputs/}. The documented outcomes
 * are a value, {@link EapDecodeException} or {@link SimAkaDecodeException}; anything else thrown is a finding.
 */
class SimAkaFuzzTest {

    private static final byte[] K_AUT = new byte[32];
    private static final byte[] K_ENCR = new byte[16];

    @FuzzTest(maxDuration = "10m")
    void eapResponse(byte[] bytes) {
        try {
            EapPacket eap = EapPacket.decode(bytes);
            if (SimAkaMethod.ofEapType(eap.type()) == null) {
                return;
            }
            SimAkaMessage message = SimAkaMessage.decode(eap.typeData());
            readAttributes(message, bytes, eap.type() == EapPacket.TYPE_AKA_PRIME);
            // The encoder must reproduce the Type-Data it decoded (the reserved octets aside).
            byte[] again = message.encode();
            byte[] original = eap.typeData().clone();
            original[1] = 0;
            original[2] = 0;
            if (!Arrays.equals(again, original)) {
                throw new AssertionError("EAP-AKA Type-Data does not re-encode to itself");
            }
        } catch (EapDecodeException | SimAkaDecodeException expected) {
            // documented rejection of a malformed packet
        }
    }

    @FuzzTest(maxDuration = "10m")
    void akaTypeData(byte[] typeData) {
        try {
            readAttributes(SimAkaMessage.decode(typeData), null, typeData.length % 2 == 0);
        } catch (SimAkaDecodeException expected) {
            // documented rejection
        }
    }

    /** Applies to every attribute the reader the authenticator uses for its type. */
    private static void readAttributes(SimAkaMessage message, byte[] wholePacket, boolean akaPrime) {
        for (SimAkaMessage.Attribute a : message.attributes()) {
            switch (a.type()) {
                case SimAkaMessage.AT_RES -> SimAkaMessage.resOf(a);
                case SimAkaMessage.AT_IDENTITY, SimAkaMessage.AT_KDF_INPUT, SimAkaMessage.AT_NEXT_PSEUDONYM,
                     SimAkaMessage.AT_NEXT_REAUTH_ID -> SimAkaMessage.lengthPrefixedData(a);
                case SimAkaMessage.AT_COUNTER, SimAkaMessage.AT_NOTIFICATION, SimAkaMessage.AT_KDF,
                     SimAkaMessage.AT_CLIENT_ERROR_CODE, SimAkaMessage.AT_BIDDING -> SimAkaMessage.shortOf(a);
                case SimAkaMessage.AT_CHECKCODE, SimAkaMessage.AT_NONCE_S, SimAkaMessage.AT_AUTN,
                     SimAkaMessage.AT_NONCE_MT -> SimAkaMessage.afterReserved(a);
                case SimAkaMessage.AT_RAND -> SimAkaMessage.rands(a);
                case SimAkaMessage.AT_VERSION_LIST -> SimAkaMessage.versionsOf(a);
                case SimAkaMessage.AT_SELECTED_VERSION -> SimAkaMessage.shortOf(a);
                default -> {
                }
            }
        }
        if (wholePacket != null && wholePacket.length > 5) {
            byte[] typeData = Arrays.copyOfRange(wholePacket, 5, wholePacket.length);
            int mac = SimAkaMessage.valueOffset(typeData, SimAkaMessage.AT_MAC);
            SimAkaCrypto.verify(akaPrime, K_AUT, wholePacket, mac < 0 ? -1 : 5 + mac + 2, null);
        }
        SimAkaMessage.Attribute iv = message.attribute(SimAkaMessage.AT_IV).orElse(null);
        SimAkaMessage.Attribute encr = message.attribute(SimAkaMessage.AT_ENCR_DATA).orElse(null);
        if (iv != null && encr != null) {
            SimAkaMessage inner = SimAkaCrypto.decryptedAttributes(
                    SimAkaCrypto.decrypt(K_ENCR, SimAkaMessage.afterReserved(iv), SimAkaMessage.afterReserved(encr)));
            inner.attribute(SimAkaMessage.AT_COUNTER).ifPresent(SimAkaMessage::shortOf);
            inner.attribute(SimAkaMessage.AT_NEXT_PSEUDONYM).ifPresent(SimAkaMessage::lengthPrefixedData);
        }
    }
}
