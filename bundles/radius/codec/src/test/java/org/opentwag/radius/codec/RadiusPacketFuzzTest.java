package org.opentwag.radius.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of the RADIUS decoder (Jazzer). A plain {@code mvn install} replays the seeds under
 * {@code src/test/resources/org/opentwag/radius/codec/RadiusPacketFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes
 * (see docs/bad-input.md). The only acceptable outcomes on arbitrary bytes are a packet or a
 * {@link RadiusDecodeException}; anything else thrown is a finding.
 */
class RadiusPacketFuzzTest {

    private static final byte[] SECRET = "xyzzy5461".getBytes(StandardCharsets.US_ASCII);

    @FuzzTest(maxDuration = "10m")
    void decode(byte[] datagram) {
        RadiusPacket packet;
        try {
            packet = RadiusPacket.decode(datagram);
        } catch (RadiusDecodeException expected) {
            return;
        }
        // What the dispatcher does next with a packet that decoded: authenticator checks and the EAP payload.
        RadiusAuthenticators.verifyRequestMessageAuthenticator(datagram, SECRET);
        RadiusAuthenticators.verifySignedRequestAuthenticator(datagram, SECRET);
        Optional<byte[]> eap = packet.eapMessage();
        eap.ifPresent(bytes -> assertThat(bytes.length).isLessThanOrEqualTo(datagram.length));
        RadiusDictionary dictionary = RadiusDictionary.standard();
        for (RadiusAttribute attribute : packet.attributes()) {
            dictionary.format(attribute); // logging and the shell print every attribute
        }
        // A decoded packet re-encodes to something that decodes to the same packet (unless splitting
        // a multi-attribute Vendor-Specific pushed it past 4096 octets).
        if (packet.encodedLength() <= 4096) {
            try {
                assertThat(RadiusPacket.decode(packet.encode())).isEqualTo(packet);
            } catch (RadiusDecodeException e) {
                throw new AssertionError("re-encoded packet does not decode: " + e.getMessage(), e);
            }
        }
    }
}
