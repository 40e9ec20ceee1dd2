package org.opentwag.diameter.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of the Diameter message decoder with the base, SWx and Gy dictionaries, and of the
 * typed AVP readers the applications call. Seeds:
 * {@code src/test/resources/org/opentwag/diameter/codec/DiameterMessageFuzzTestInputs/}. The documented outcomes are
 * a message or a {@link DiameterDecodeException} (which carries the Result-Code for the answer); anything else
 * thrown is a finding.
 */
class DiameterMessageFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void decode(byte[] bytes) {
        DiameterMessage message;
        try {
            message = DiameterMessage.decode(bytes);
        } catch (DiameterDecodeException expected) {
            // The stack answers with this exception's Result-Code and Failed-AVP: they must be usable.
            expected.resultCode();
            expected.failedAvp().ifPresent(Avp::encode);
            return;
        }
        message.sessionId();
        message.originHost();
        message.resultCode();
        message.experimentalResultCode();
        readAll(message.avps());
        // What decoded re-encodes to the same octets (the padding of a last grouped member aside), and the
        // re-encoded form decodes to an equal message.
        byte[] again = message.encode();
        DiameterMessage redecoded = DiameterMessage.decode(again);
        if (!Arrays.equals(again, redecoded.encode())) {
            throw new AssertionError("re-encoding is not stable");
        }
    }

    private static void readAll(List<Avp> avps) {
        for (Avp avp : avps) {
            avp.octets();
            AvpDefinition def = avp.definition().orElse(null);
            if (def == null) {
                continue;
            }
            try {
                switch (def.format()) {
                    case UTF8_STRING, DIAMETER_IDENTITY, DIAMETER_URI -> avp.utf8();
                    case UNSIGNED32 -> avp.unsigned32();
                    case INTEGER32 -> avp.integer32();
                    case ENUMERATED -> avp.enumerated();
                    case INTEGER64 -> avp.integer64();
                    case UNSIGNED64 -> avp.unsigned64();
                    case FLOAT32 -> avp.float32();
                    case FLOAT64 -> avp.float64();
                    case ADDRESS -> avp.address();
                    case TIME -> avp.time();
                    case GROUPED -> readAll(avp.children());
                    default -> {
                    }
                }
            } catch (DiameterDecodeException expected) {
                // a typed reader may refuse a value the framing accepted (e.g. invalid UTF-8)
            }
        }
    }
}
