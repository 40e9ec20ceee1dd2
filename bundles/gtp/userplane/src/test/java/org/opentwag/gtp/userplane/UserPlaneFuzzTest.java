package org.opentwag.gtp.userplane;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.opentwag.api.s2a.UserPlaneBearers;

/**
 * Coverage-guided fuzzing (Jazzer) of what arrives from the network on the user plane: an Ethernet frame from the
 * access side (Ethernet, ARP, IPv4, UDP, DHCP readers and the DHCP server) and a datagram on the GTP-U port. Every
 * MAC and every TEID is bound, so that every path behind the lookups is reached. The documented outcome is a frame or
 * datagram sent or a counted drop; anything thrown is a finding.
 */
class UserPlaneFuzzTest {

    private static final InetSocketAddress PGW_U = new InetSocketAddress("127.0.0.7", 2152);

    private final UserPlane plane = new UserPlane(new UserPlaneBearers() {
        @Override
        public Optional<Bearer> byMac(long mac) {
            return Optional.of(bearer(mac, 0x1234));
        }

        @Override
        public Optional<Bearer> byLocalTeid(long teid) {
            return Optional.of(bearer(TestFrames.PHONE, teid));
        }
    }, new UserPlane.Settings(0, 0xffffff00, new int[] {0x08080808}, 3600, 1400), TestFrames.TWAG,
            Frames.inet(0x7f000001), f -> true, (d, to) -> true);

    private static UserPlaneBearers.Bearer bearer(long mac, long teid) {
        return new UserPlaneBearers.Bearer("001010000000002", mac, Frames.inet(0x0a2d0002), List.of(), teid, 0x77,
                PGW_U);
    }

    @FuzzTest(maxDuration = "10m")
    void accessFrame(byte[] frame) {
        plane.fromAccess(frame, frame.length);
    }

    @FuzzTest(maxDuration = "10m")
    void tunnelDatagram(byte[] datagram) {
        plane.fromTunnel(datagram, PGW_U);
    }
}
