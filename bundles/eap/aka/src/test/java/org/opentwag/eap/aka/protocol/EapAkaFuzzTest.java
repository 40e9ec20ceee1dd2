package org.opentwag.eap.aka.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.api.eap.EapPacket.EapDecodeException;
import org.opentwag.eap.aka.protocol.AkaMessage.AkaDecodeException;

/**
 * Coverage-guided fuzzing (Jazzer) of what a peer's EAP-Response goes through before any state is touched: the EAP
 * packet decoder (RFC 3748), the EAP-AKA/AKA' attribute decoder (RFC 4187 8.1) and the attribute readers the
 * authenticator applies (AT_RES, AT_IDENTITY, AT_COUNTER, AT_MAC, AT_IV + AT_ENCR_DATA and the attributes inside).
 * Seeds: {@code src/test/resources/org/opentwag/eap/aka/protocol/EapAkaFuzzTestInputs/}. The documented outcomes
 * are a value, {@link EapDecodeException} or {@link AkaDecodeException}; anything else thrown is a finding.
 */
class EapAkaFuzzTest {

    private static final byte[] K_AUT = new byte[32];
    private static final byte[] K_ENCR = new byte[16];

    @FuzzTest(maxDuration = "10m")
    void eapResponse(byte[] bytes) {
        try {
            EapPacket eap = EapPacket.decode(bytes);
            if (eap.type() != EapPacket.TYPE_AKA && eap.type() != EapPacket.TYPE_AKA_PRIME) {
                return;
            }
            AkaMessage message = AkaMessage.decode(eap.typeData());
            readAttributes(message, bytes, eap.type() == EapPacket.TYPE_AKA_PRIME);
            // The encoder must reproduce the Type-Data it decoded (the reserved octets aside).
            byte[] again = message.encode();
            byte[] original = eap.typeData().clone();
            original[1] = 0;
            original[2] = 0;
            if (!Arrays.equals(again, original)) {
                throw new AssertionError("EAP-AKA Type-Data does not re-encode to itself");
            }
        } catch (EapDecodeException | AkaDecodeException expected) {
            // documented rejection of a malformed packet
        }
    }

    @FuzzTest(maxDuration = "10m")
    void akaTypeData(byte[] typeData) {
        try {
            readAttributes(AkaMessage.decode(typeData), null, typeData.length % 2 == 0);
        } catch (AkaDecodeException expected) {
            // documented rejection
        }
    }

    /** Applies to every attribute the reader the authenticator uses for its type. */
    private static void readAttributes(AkaMessage message, byte[] wholePacket, boolean akaPrime) {
        for (AkaMessage.Attribute a : message.attributes()) {
            switch (a.type()) {
                case AkaMessage.AT_RES -> AkaMessage.resOf(a);
                case AkaMessage.AT_IDENTITY, AkaMessage.AT_KDF_INPUT, AkaMessage.AT_NEXT_PSEUDONYM,
                     AkaMessage.AT_NEXT_REAUTH_ID -> AkaMessage.lengthPrefixedData(a);
                case AkaMessage.AT_COUNTER, AkaMessage.AT_NOTIFICATION, AkaMessage.AT_KDF,
                     AkaMessage.AT_CLIENT_ERROR_CODE, AkaMessage.AT_BIDDING -> AkaMessage.shortOf(a);
                case AkaMessage.AT_CHECKCODE, AkaMessage.AT_NONCE_S, AkaMessage.AT_RAND, AkaMessage.AT_AUTN ->
                        AkaMessage.afterReserved(a);
                default -> {
                }
            }
        }
        if (wholePacket != null && wholePacket.length > 5) {
            byte[] typeData = Arrays.copyOfRange(wholePacket, 5, wholePacket.length);
            int mac = AkaMessage.valueOffset(typeData, AkaMessage.AT_MAC);
            AkaCrypto.verify(akaPrime, K_AUT, wholePacket, mac < 0 ? -1 : 5 + mac + 2, null);
        }
        AkaMessage.Attribute iv = message.attribute(AkaMessage.AT_IV).orElse(null);
        AkaMessage.Attribute encr = message.attribute(AkaMessage.AT_ENCR_DATA).orElse(null);
        if (iv != null && encr != null) {
            AkaMessage inner = AkaCrypto.decryptedAttributes(
                    AkaCrypto.decrypt(K_ENCR, AkaMessage.afterReserved(iv), AkaMessage.afterReserved(encr)));
            inner.attribute(AkaMessage.AT_COUNTER).ifPresent(AkaMessage::shortOf);
            inner.attribute(AkaMessage.AT_NEXT_PSEUDONYM).ifPresent(AkaMessage::lengthPrefixedData);
        }
    }
}
