package org.opentwag.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.opentwag.radius.codec.RadiusAuthenticators;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;

/** --acct-order: which UE's Accounting-Request comes next, checked against a loopback accounting server. */
class AccountingOrderTest {

    private static final String SECRET = "order-test-secret";

    @Test
    void theOptionIsSequentialOrRandom() {
        assertThat(LoadOptions.parse().acctRandomOrder).isFalse();
        assertThat(LoadOptions.parse("--acct-order", "random").acctRandomOrder).isTrue();
        assertThat(LoadOptions.parse("--acct-order", "sequential").acctRandomOrder).isFalse();
        assertThatThrownBy(() -> LoadOptions.parse("--acct-order", "sorted")).hasMessageContaining("sequential or random");
    }

    @Test
    void sequentialWalksTheImsisInOrderRandomDoesNot() throws Exception {
        List<String> sequential = userNamesSent("sequential");
        assertThat(sequential).hasSize(200).isSorted();
        List<String> random = userNamesSent("random");
        assertThat(random).hasSize(200).isNotEqualTo(random.stream().sorted().toList());
        // 200 draws from 1,000 subscribers: far more than the 10 the first 10 sequential records would cover.
        assertThat(random.stream().distinct().count()).isGreaterThan(150);
        assertThat(random.stream().map(u -> u.substring(1, 16)).filter(i -> i.compareTo("001010000000200") > 0))
                .as("IMSIs beyond the first 200").isNotEmpty();
    }

    /** Runs 200 Accounting-Requests, one in flight, against a responder that records each User-Name in order. */
    private static List<String> userNamesSent(String order) throws Exception {
        List<String> names = new CopyOnWriteArrayList<>();
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread responder = new Thread(() -> answer(server, names), "acct-responder");
            responder.setDaemon(true);
            responder.start();
            LoadOptions o = LoadOptions.parse("--server", "127.0.0.1:" + (server.getLocalPort() - 1),
                    "--acct-port", String.valueOf(server.getLocalPort()), "--secret", SECRET, "--mode", "acct",
                    "--acct-order", order, "--subscribers", "1000", "--count", "200", "--concurrency", "1",
                    "--duration", "30", "--timeout-ms", "2000", "--no-progress");
            LoadGenerator.Result r = new LoadGenerator(o, new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8)).run();
            assertThat(r.accountingOk()).isEqualTo(200);
        }
        return names;
    }

    private static void answer(DatagramSocket server, List<String> names) {
        byte[] buffer = new byte[4096];
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        while (!server.isClosed()) {
            try {
                DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                server.receive(in);
                RadiusPacket request = RadiusPacket.decode(Arrays.copyOf(in.getData(), in.getLength()));
                names.add(request.string(RadiusDictionary.USER_NAME).orElse("?"));
                byte[] wire = RadiusPacket.of(RadiusCode.ACCOUNTING_RESPONSE, request.identifier(), List.of()).encode();
                byte[] authenticator = RadiusAuthenticators.responseAuthenticator(wire, request.authenticator(), secret);
                System.arraycopy(authenticator, 0, wire, 4, authenticator.length);
                server.send(new DatagramPacket(wire, wire.length, in.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (Exception e) {
                names.add("error: " + e);
            }
        }
    }
}
