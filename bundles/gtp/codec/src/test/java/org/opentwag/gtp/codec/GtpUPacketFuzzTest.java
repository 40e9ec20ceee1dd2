package org.opentwag.gtp.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of the GTP-U decoder. The documented outcomes are a packet or a
 * {@link GtpDecodeException}; anything else thrown is a finding.
 */
class GtpUPacketFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void decode(byte[] bytes) {
        GtpUPacket p;
        try {
            p = GtpUPacket.decode(bytes);
        } catch (GtpDecodeException expected) {
            return;
        }
        // what decoded encodes again (extension headers are not re-encoded: a TWAN sends none)
        GtpUPacket.decode(p.encode());
    }
}
