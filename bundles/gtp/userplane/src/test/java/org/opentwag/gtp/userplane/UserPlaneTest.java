package org.opentwag.gtp.userplane;

import org.opentwag.support.test.Tshark;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.api.s2a.UserPlaneBearers;
import org.opentwag.gtp.codec.GtpUPacket;

/**
 * The user plane between a phone's frames and GTP-U, with the access and tunnel sides captured: DHCP gives the PAA
 * and the PGW's DNS, ARP names the TWAG, a bound phone's packets become G-PDUs to the PGW-U's TEID and back, a MAC or
 * TEID without a PDN connection gets nothing (counted). tshark then dissects everything the TWAG sent.
 */
class UserPlaneTest {

    static final int PAA = 0x0a2d0002; // 10.45.0.2
    static final int UPF_GATEWAY = 0x0a2d0001;
    static final InetSocketAddress PGW_U = new InetSocketAddress("127.0.0.7", 2152);

    final Map<Long, UserPlaneBearers.Bearer> bound = new ConcurrentHashMap<>();
    final List<byte[]> toPhones = new ArrayList<>();
    final List<byte[]> toPgw = new ArrayList<>();
    final UserPlaneBearers bearers = new UserPlaneBearers() {
        @Override
        public Optional<Bearer> byMac(long mac) {
            return Optional.ofNullable(bound.get(mac));
        }

        @Override
        public Optional<Bearer> byLocalTeid(long teid) {
            return bound.values().stream().filter(b -> b.localTeid() == teid).findFirst();
        }
    };
    final UserPlane plane = new UserPlane(bearers, new UserPlane.Settings(0, 0xffffff00, new int[] {0x01010101},
            3600, 1400), TestFrames.TWAG, Frames.inet(0x7f000001), f -> toPhones.add(f), (d, to) -> {
                assertThat(to).isEqualTo(PGW_U);
                return toPgw.add(d);
            });

    void bind() {
        bound.put(TestFrames.PHONE, new UserPlaneBearers.Bearer("001010000000002", TestFrames.PHONE,
                Frames.inet(PAA), List.of(Frames.inet(0x08080808), Frames.inet(0x08080404)), 0xabcdL, 0x1234L,
                PGW_U));
    }

    void fromPhone(byte[] frame) {
        plane.fromAccess(frame, frame.length);
    }

    DhcpMessage lastDhcp() {
        byte[] f = toPhones.get(toPhones.size() - 1);
        assertThat(Frames.destinationMac(f)).isEqualTo(TestFrames.PHONE);
        assertThat(Frames.sourceMac(f)).isEqualTo(TestFrames.TWAG);
        assertThat(Frames.u16(f, 14 + 20)).isEqualTo(67);
        assertThat(Frames.u16(f, 14 + 22)).isEqualTo(68);
        return DhcpMessage.decode(f, 42, f.length - 42);
    }

    @Test
    void aBoundPhoneGetsThePaaByDhcpWithTheGatewayAndThePgwsDns() {
        bind();
        fromPhone(TestFrames.discover(TestFrames.PHONE, 7, DhcpMessage.DISCOVER, 0, 0));
        DhcpMessage offer = lastDhcp();
        assertThat(offer.messageType()).isEqualTo(DhcpMessage.OFFER);
        assertThat(offer.yiaddr()).isEqualTo(PAA);
        assertThat(offer.xid()).isEqualTo(7);
        assertThat(offer.addressOption(DhcpMessage.OPT_ROUTER)).isEqualTo(UPF_GATEWAY); // the /24's first address
        assertThat(offer.addressOption(DhcpMessage.OPT_SERVER_ID)).isEqualTo(UPF_GATEWAY);
        assertThat(offer.options().get(DhcpMessage.OPT_DNS)).containsExactly(8, 8, 8, 8, 8, 8, 4, 4);
        assertThat(offer.options().get(DhcpMessage.OPT_LEASE_TIME)).containsExactly(0, 0, 0x0e, 0x10);

        fromPhone(TestFrames.discover(TestFrames.PHONE, 8, DhcpMessage.REQUEST, PAA, UPF_GATEWAY));
        DhcpMessage ack = lastDhcp();
        assertThat(ack.messageType()).isEqualTo(DhcpMessage.ACK);
        assertThat(ack.yiaddr()).isEqualTo(PAA);

        fromPhone(TestFrames.discover(TestFrames.PHONE, 9, DhcpMessage.REQUEST, 0x0a2d0063, UPF_GATEWAY));
        assertThat(lastDhcp().messageType()).isEqualTo(DhcpMessage.NAK);

        int before = toPhones.size();
        fromPhone(TestFrames.discover(TestFrames.PHONE, 10, DhcpMessage.REQUEST, PAA, 0xc0a80001));
        assertThat(toPhones).as("a REQUEST for another server's offer").hasSize(before);
        assertThat(plane.metrics().dhcpReplies("offer")).isEqualTo(1);
        assertThat(plane.metrics().dhcpReplies("ack")).isEqualTo(1);
        assertThat(plane.metrics().dhcpReplies("nak")).isEqualTo(1);
    }

    @Test
    void aMacWithoutPdnConnectionGetsNoAddressNoArpAndNoTunnel() {
        fromPhone(TestFrames.discover(TestFrames.PHONE, 7, DhcpMessage.DISCOVER, 0, 0));
        fromPhone(TestFrames.arpRequest(TestFrames.PHONE, PAA, UPF_GATEWAY));
        fromPhone(TestFrames.ethernet(TestFrames.TWAG, TestFrames.PHONE, 0x0800,
                TestFrames.icmpEcho(PAA, UPF_GATEWAY)));
        assertThat(toPhones).isEmpty();
        assertThat(toPgw).isEmpty();
        assertThat(plane.metrics().drops("unknown_mac")).isEqualTo(3);
    }

    @Test
    void arpForAnyAddressButThePhonesOwnNamesTheTwag() {
        bind();
        fromPhone(TestFrames.arpRequest(TestFrames.PHONE, PAA, UPF_GATEWAY));
        assertThat(toPhones).hasSize(1);
        byte[] r = toPhones.get(0);
        assertThat(Frames.destinationMac(r)).isEqualTo(TestFrames.PHONE);
        assertThat(Frames.u16(r, 14 + 6)).isEqualTo(Arp.REPLY);
        assertThat(Frames.mac(r, 14 + 8)).isEqualTo(TestFrames.TWAG); // sender hardware address
        assertThat(Frames.ipv4(r, 14 + 14)).isEqualTo(UPF_GATEWAY); // sender protocol address
        assertThat(Frames.mac(r, 14 + 18)).isEqualTo(TestFrames.PHONE);
        assertThat(Frames.ipv4(r, 14 + 24)).isEqualTo(PAA);

        fromPhone(TestFrames.arpRequest(TestFrames.PHONE, 0, PAA)); // RFC 5227 probe of its own address
        assertThat(toPhones).hasSize(1);
    }

    @Test
    void packetsGoThroughTheTunnelBothWaysAndStrangersAreDropped() {
        bind();
        byte[] ping = TestFrames.icmpEcho(PAA, UPF_GATEWAY);
        byte[] padded = new byte[14 + 46]; // Ethernet minimum payload: 28 octets of IP + 18 of padding
        System.arraycopy(TestFrames.ethernet(TestFrames.TWAG, TestFrames.PHONE, 0x0800, ping), 0, padded, 0, 42);
        fromPhone(padded);
        assertThat(toPgw).hasSize(1);
        GtpUPacket up = GtpUPacket.decode(toPgw.get(0));
        assertThat(up.type()).isEqualTo(GtpUPacket.G_PDU);
        assertThat(up.teid()).isEqualTo(0x1234L);
        assertThat(up.payload()).as("the IP packet without the Ethernet padding").isEqualTo(ping);

        byte[] pong = TestFrames.icmpEcho(UPF_GATEWAY, PAA);
        plane.fromTunnel(GtpUPacket.gpdu(0xabcdL, pong).encode(), PGW_U);
        byte[] down = toPhones.get(toPhones.size() - 1);
        assertThat(Frames.destinationMac(down)).isEqualTo(TestFrames.PHONE);
        assertThat(Frames.sourceMac(down)).isEqualTo(TestFrames.TWAG);
        assertThat(Frames.etherType(down)).isEqualTo(0x0800);
        assertThat(java.util.Arrays.copyOfRange(down, 14, down.length)).isEqualTo(pong);

        plane.fromTunnel(GtpUPacket.gpdu(0x9999L, pong).encode(), PGW_U);
        assertThat(plane.metrics().drops("unknown_teid")).isEqualTo(1);
        byte[] error = toPgw.get(toPgw.size() - 1); // TS 29.281 7.3.1, octets checked by tshark below
        assertThat(error[1]).isEqualTo((byte) 26);
        assertThat(plane.metrics().errorIndications()).isEqualTo(1);
        fromPhone(TestFrames.ethernet(TestFrames.TWAG, TestFrames.PHONE, 0x0800,
                TestFrames.icmpEcho(0x0a2d0063, UPF_GATEWAY)));
        assertThat(plane.metrics().drops("source_address")).isEqualTo(1);
        plane.fromTunnel(new byte[] {0x30, (byte) 0xff, 0, 9}, PGW_U);
        assertThat(plane.metrics().drops("malformed_gtpu")).isEqualTo(1);
        assertThat(plane.metrics().uplinkPackets()).isEqualTo(1);
        assertThat(plane.metrics().downlinkPackets()).isEqualTo(1);

        plane.fromTunnel(GtpUPacket.echo(false, 42).encode(), PGW_U);
        GtpUPacket echo = GtpUPacket.decode(toPgw.get(toPgw.size() - 1));
        assertThat(echo.type()).isEqualTo(GtpUPacket.ECHO_RESPONSE);
        assertThat(echo.sequence()).isEqualTo(42);

        bound.clear(); // the PDN connection ended: the same packets go nowhere
        fromPhone(padded);
        plane.fromTunnel(GtpUPacket.gpdu(0xabcdL, pong).encode(), PGW_U);
        assertThat(plane.metrics().uplinkPackets()).isEqualTo(1);
        assertThat(plane.metrics().downlinkPackets()).isEqualTo(1);
    }

    @Test
    void wiresharkDissectsWhatTheTwagSendsToThePhone(@TempDir Path dir) throws Exception {
        bind();
        fromPhone(TestFrames.discover(TestFrames.PHONE, 0x1234, DhcpMessage.DISCOVER, 0, 0));
        fromPhone(TestFrames.discover(TestFrames.PHONE, 0x1234, DhcpMessage.REQUEST, PAA, UPF_GATEWAY));
        fromPhone(TestFrames.arpRequest(TestFrames.PHONE, PAA, UPF_GATEWAY));
        plane.fromTunnel(GtpUPacket.gpdu(0xabcdL, TestFrames.icmpEcho(UPF_GATEWAY, PAA)).encode(), PGW_U);
        Path pcap = dir.resolve("access.pcap");
        TestFrames.writePcap(pcap, toPhones);
        String file = pcap.toString();
        assertThat(Tshark.run("-r", file, "-o", "udp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
                "-Y", "_ws.malformed || _ws.expert.severity >= \"warning\"")).as("malformed, error or warning")
                .isEmpty();
        assertThat(Tshark.run("-r", file, "-Y", "dhcp", "-T", "fields", "-e", "dhcp.option.dhcp",
                "-e", "dhcp.ip.your", "-e", "dhcp.option.router", "-e", "dhcp.option.domain_name_server",
                "-e", "dhcp.option.dhcp_server_id", "-e", "dhcp.hw.mac_addr", "-e", "ip.dst"))
                .containsExactly("2\t10.45.0.2\t10.45.0.1\t8.8.8.8,8.8.4.4\t10.45.0.1\t02:00:00:00:00:02\t10.45.0.2",
                        "5\t10.45.0.2\t10.45.0.1\t8.8.8.8,8.8.4.4\t10.45.0.1\t02:00:00:00:00:02\t10.45.0.2");
        assertThat(Tshark.run("-r", file, "-Y", "arp", "-T", "fields", "-e", "arp.opcode",
                "-e", "arp.src.hw_mac", "-e", "arp.src.proto_ipv4", "-e", "arp.dst.proto_ipv4"))
                .containsExactly("2\t02:aa:bb:cc:dd:01\t10.45.0.1\t10.45.0.2");
        assertThat(Tshark.run("-r", file, "-Y", "icmp", "-T", "fields", "-e", "eth.dst", "-e", "ip.dst"))
                .containsExactly("02:00:00:00:00:02\t10.45.0.2");
    }

    @Test
    void wiresharkDissectsWhatTheTwagSendsToThePgwU(@TempDir Path dir) throws Exception {
        bind();
        fromPhone(TestFrames.ethernet(TestFrames.TWAG, TestFrames.PHONE, 0x0800,
                TestFrames.icmpEcho(PAA, UPF_GATEWAY)));
        plane.fromTunnel(GtpUPacket.echo(false, 42).encode(), PGW_U);
        plane.fromTunnel(GtpUPacket.gpdu(0x9999L, TestFrames.icmpEcho(UPF_GATEWAY, PAA)).encode(), PGW_U);
        assertThat(toPgw).hasSize(3);
        List<byte[]> frames = new ArrayList<>();
        for (byte[] d : toPgw) {
            byte[] udp = Frames.udpInIpv4(0x7f000001, 0x7f000007, 2152, 2152, d);
            frames.add(Frames.ethernet(0x020000000007L, TestFrames.TWAG, 0x0800, udp, 0, udp.length));
        }
        Path pcap = dir.resolve("s2a-u.pcap");
        TestFrames.writePcap(pcap, frames);
        String file = pcap.toString();
        assertThat(Tshark.run("-r", file, "-Y", "_ws.malformed || _ws.expert.severity >= \"warning\""))
                .as("malformed, error or warning").isEmpty();
        assertThat(Tshark.run("-r", file, "-Y", "gtp", "-T", "fields", "-e", "gtp.message", "-e", "gtp.teid",
                "-e", "gtp.seq_number")).containsExactly("0xff\t0x00001234\t", "0x02\t0x00000000\t0x002a",
                "0x1a\t0x00000000\t0x0000");
        assertThat(Tshark.run("-r", file, "-Y", "gtp.message == 0x1a", "-T", "fields", "-e", "gtp.teid_data",
                "-e", "gtp.gsn_ipv4", "-e", "gtp.ext_hdr.udp_port"))
                .containsExactly("0x00009999\t127.0.0.1\t2152");
    }

    @Test
    void theGatewayIsTheFirstAddressOfThePhones24UnlessThePhoneHasIt() {
        assertThat(DhcpServer.gatewayFor(0x0a2d0002, 0)).isEqualTo(0x0a2d0001);
        assertThat(DhcpServer.gatewayFor(0x0a2d0101, 0)).isEqualTo(0x0a2d01fe);
        assertThat(DhcpServer.gatewayFor(0x0a2d0002, 0xc0a80001)).isEqualTo(0xc0a80001);
        assertThat(UserPlaneBearers.parseMac("02-00-00-00-00-02")).isEqualTo(TestFrames.PHONE);
        assertThat(UserPlaneBearers.parseMac("0200.0000.0002")).isEqualTo(TestFrames.PHONE);
        assertThat(UserPlaneBearers.parseMac("02:00:00:00:00")).isEqualTo(-1);
        assertThat(UserPlaneBearers.formatMac(TestFrames.PHONE)).isEqualTo("02:00:00:00:00:02");
    }

    @Test
    void aMacIsReadInEveryWritingApsUseAndAnythingElseIsNone() {
        assertThat(UserPlaneBearers.parseMac("02:00:00:00:00:02")).isEqualTo(TestFrames.PHONE);
        assertThat(UserPlaneBearers.parseMac("020000000002")).isEqualTo(TestFrames.PHONE);
        assertThat(UserPlaneBearers.parseMac("0A-1b-2C-3d-4E-5f")).isEqualTo(0x0a1b2c3d4e5fL);
        assertThat(UserPlaneBearers.parseMac("ff:ff:ff:ff:ff:ff")).isEqualTo(0xffffffffffffL);
        assertThat(UserPlaneBearers.parseMac("02:00:00:00:00:0g")).isEqualTo(-1);
        assertThat(UserPlaneBearers.parseMac("02:00:00:00:00:02:03")).isEqualTo(-1);
        assertThat(UserPlaneBearers.parseMac("02 00 00 00 00 02")).isEqualTo(-1);
        assertThat(UserPlaneBearers.parseMac("")).isEqualTo(-1);
        assertThat(UserPlaneBearers.parseMac(null)).isEqualTo(-1);
    }
}
