package org.opentwag.radius.server.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.codec.RadiusRequestEncoder;

/** ipv6=true with bindAddress 0.0.0.0: one dual-stack socket serving IPv4 and IPv6 APs, each by its own client group. */
class Ipv6ListenerTest {
    private static final byte[] V4_SECRET = "ipv4-access-points-secret".getBytes(US_ASCII);
    private static final byte[] V6_SECRET = "ipv6-access-points-secret".getBytes(US_ASCII);

    @Test
    void dualStackListenerMatchesIpv4AndIpv6ClientGroups() throws Exception {
        AccessPointGroups registry = new AccessPointGroups();
        registry.put("v4", new AccessPointGroup("v4", List.of(Subnet.parse("127.0.0.0/8")), V4_SECRET, true, 3799));
        registry.put("v6", new AccessPointGroup("v6", List.of(Subnet.parse("::1/128")), V6_SECRET, true, 3799));
        RadiusCounters counters = new RadiusCounters();
        ServerSettings settings = new ServerSettings("0.0.0.0", true, 0, 0, Duration.ofSeconds(30), 100, 100, 1,
                Duration.ofSeconds(5), 90);
        try (RadiusServer server = new RadiusServer(settings, registry, counters, () -> null, () -> null)) {
            server.start();
            assertThat(server.bindAddresses()).containsExactly(InetAddress.getByName("::"));
            assertThat(statusServer("127.0.0.1", server.authPort(), V4_SECRET)).isEqualTo(RadiusCode.ACCESS_ACCEPT);
            assertThat(statusServer("::1", server.authPort(), V6_SECRET)).isEqualTo(RadiusCode.ACCESS_ACCEPT);
            assertThat(statusServer("::1", server.acctPort(), V6_SECRET)).isEqualTo(RadiusCode.ACCOUNTING_RESPONSE);
        }
        assertThat(counters.statusServerRequests()).isEqualTo(3);
    }

    private static int statusServer(String address, int port, byte[] secret) throws Exception {
        InetAddress target = InetAddress.getByName(address);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(target, 0))) {
            socket.setSoTimeout(2000);
            byte[] request = RadiusRequestEncoder.encode(RadiusCode.STATUS_SERVER, 1,
                    List.of(RadiusAttribute.ofString(RadiusDictionary.NAS_IDENTIFIER, "ap")), secret, true);
            socket.send(new DatagramPacket(request, request.length, new InetSocketAddress(target, port)));
            byte[] buffer = new byte[4096];
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            socket.receive(answer);
            return RadiusPacket.decode(java.util.Arrays.copyOf(buffer, answer.getLength())).code();
        }
    }
}
