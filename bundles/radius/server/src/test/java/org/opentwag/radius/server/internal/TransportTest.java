package org.opentwag.radius.server.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusAuthenticators;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusRequestEncoder;

/**
 * The listeners on either transport (native epoll, NIO): which one is chosen, and that the answers of a whole batch
 * completed at once from another thread (as the accounting acknowledger does) reach each sender, each exactly once,
 * with a valid Response Authenticator; with epoll they leave in one flush (sendmmsg), and requests arriving together
 * are read several per call (recvmmsg).
 */
class TransportTest {
    private static final byte[] SECRET = "transport-test-secret-1".getBytes(US_ASCII);
    private static final int CLIENTS = 4;
    private static final int PER_CLIENT = 50;

    @Test
    void epollIsChosenOnLinuxX86_64AndNioWhenAskedFor() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        boolean linuxX86 = os.contains("linux") && ("amd64".equals(arch) || "x86_64".equals(arch));
        // The native fragment ships for Linux x86_64 only (CI's machine): there epoll must load; elsewhere NIO.
        assertThat(Transport.choose()).isEqualTo(linuxX86 ? Transport.EPOLL : Transport.NIO);
        String before = System.getProperty(Transport.PROPERTY);
        System.setProperty(Transport.PROPERTY, "nio");
        try {
            assertThat(Transport.choose()).isEqualTo(Transport.NIO);
        } finally {
            restore(before);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aBatchCompletedAtOnceIsAnsweredToEachSenderOnce(Transport transport) throws Exception {
        AccessPointGroups groups = new AccessPointGroups();
        groups.put("loopback", new AccessPointGroup("loopback", List.of(Subnet.parse("127.0.0.1/32")), SECRET, false, 3799));
        List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
        String before = System.getProperty(Transport.PROPERTY);
        System.setProperty(Transport.PROPERTY, transport == Transport.NIO ? "nio" : "");
        RadiusServer server;
        try {
            server = new RadiusServer(new ServerSettings("127.0.0.1", false, 0, 0, Duration.ofSeconds(30), 10_000,
                    1000, 2, Duration.ofSeconds(30), 0), groups, new RadiusCounters(), () -> null, () -> request -> {
                        CompletableFuture<Void> durable = new CompletableFuture<>();
                        held.add(durable);
                        return durable;
                    });
        } finally {
            restore(before);
        }
        try (server) {
            server.start();
            assertThat(server.transport()).isEqualTo(transport);
            List<DatagramSocket> sockets = new ArrayList<>();
            Map<String, byte[]> authenticators = new HashMap<>();
            try {
                for (int c = 0; c < CLIENTS; c++) {
                    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    socket.setSoTimeout(20_000);
                    sockets.add(socket);
                    for (int id = 0; id < PER_CLIENT; id++) {
                        byte[] request = RadiusRequestEncoder.encode(RadiusCode.ACCOUNTING_REQUEST, id, List.of(
                                RadiusAttribute.ofInt(RadiusDictionary.ACCT_STATUS_TYPE, RadiusDictionary.ACCT_STATUS_START),
                                RadiusAttribute.ofString(RadiusDictionary.ACCT_SESSION_ID, "s" + c + "-" + id),
                                RadiusAttribute.ofAddress(RadiusDictionary.NAS_IP_ADDRESS, InetAddress.getLoopbackAddress())),
                                SECRET, false);
                        authenticators.put(c + "/" + id, java.util.Arrays.copyOfRange(request, 4, 20));
                        socket.send(new DatagramPacket(request, request.length,
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), server.acctPort())));
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (held.size() < CLIENTS * PER_CLIENT && System.nanoTime() < deadline) {
                    Thread.sleep(10); // polling a count, bounded: not a synchronisation by sleeping
                }
                assertThat(held).as("every request reached the handler, none answered yet").hasSize(CLIENTS * PER_CLIENT);
                for (CompletableFuture<Void> f : held) { // one "durable batch", completed from this thread
                    f.complete(null);
                }
                for (int c = 0; c < CLIENTS; c++) {
                    boolean[] seen = new boolean[PER_CLIENT];
                    for (int n = 0; n < PER_CLIENT; n++) {
                        byte[] buffer = new byte[4096];
                        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                        sockets.get(c).receive(p);
                        byte[] answer = java.util.Arrays.copyOf(buffer, p.getLength());
                        int id = answer[1] & 0xff;
                        assertThat(answer[0] & 0xff).isEqualTo(RadiusCode.ACCOUNTING_RESPONSE);
                        assertThat(seen[id]).as("answer to id %d of client %d twice", id, c).isFalse();
                        seen[id] = true;
                        assertThat(RadiusAuthenticators.verifyResponseAuthenticator(answer, authenticators.get(c + "/" + id),
                                SECRET)).as("answer to id %d of client %d signed for its request", id, c).isTrue();
                    }
                }
            } finally {
                for (DatagramSocket s : sockets) {
                    s.close();
                }
            }
        }
    }

    private static void restore(String before) {
        if (before == null) {
            System.clearProperty(Transport.PROPERTY);
        } else {
            System.setProperty(Transport.PROPERTY, before);
        }
    }
}
