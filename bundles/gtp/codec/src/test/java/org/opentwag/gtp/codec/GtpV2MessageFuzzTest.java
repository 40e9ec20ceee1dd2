package org.opentwag.gtp.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing (Jazzer) of the GTPv2-C decoder and the typed readers S2a calls on what a PGW sends. Seeds:
 * {@code src/test/resources/org/opentwag/gtp/codec/GtpV2MessageFuzzTestInputs/}. The documented outcomes are a
 * message or a {@link GtpDecodeException}; anything else thrown is a finding.
 */
class GtpV2MessageFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void decode(byte[] bytes) {
        GtpV2Message message;
        try {
            message = GtpV2Message.decode(bytes);
        } catch (GtpDecodeException expected) {
            return;
        }
        try {
            switch (message.type()) {
                case MessageType.CREATE_SESSION_RESPONSE -> CreateSessionResponse.from(message);
                case MessageType.DELETE_BEARER_REQUEST -> S2aMessages.DeleteBearerRequest.from(message);
                default -> message.cause();
            }
            for (InformationElement ie : message.ies()) {
                switch (ie.type()) {
                    case IeType.BEARER_CONTEXT -> ie.children();
                    case IeType.TWAN_IDENTIFIER -> Ies.TwanIdentifier.from(ie);
                    case IeType.IMSI, IeType.MSISDN -> Ies.digits(ie);
                    case IeType.APN -> Ies.apn(ie);
                    case IeType.F_TEID -> Ies.FTeid.from(ie);
                    case IeType.SERVING_NETWORK -> Ies.Plmn.decode(ie.value(), 0);
                    default -> {
                    }
                }
            }
        } catch (GtpDecodeException expected) {
            // a typed reader may refuse an IE the framing accepted
            return;
        }
        byte[] again = message.encode();
        if (!Arrays.equals(again, GtpV2Message.decode(again).encode())) {
            throw new AssertionError("re-encoding is not stable");
        }
    }
}
