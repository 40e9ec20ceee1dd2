package org.opentwag.radius.server.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusAuthenticators;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.codec.RadiusResponseEncoder;
import org.opentwag.radius.server.DynamicAuthorizationResult;
import org.opentwag.radius.server.DynamicAuthorizationResult.Outcome;

/** The RFC 5176 client against a fake AP DAS on loopback that checks what it receives. */
class DasClientTest {
    private static final byte[] SECRET = "das-shared-secret-0123".getBytes(US_ASCII);

    private final AccessPointGroups registry = new AccessPointGroups();
    private DatagramSocket das;
    private DasClient client;
    private final List<byte[]> received = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        das = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        das.setSoTimeout(200);
        registry.put("aps", new AccessPointGroup("aps", List.of(Subnet.parse("127.0.0.1/32")), SECRET, true, das.getLocalPort()));
        client = new DasClient(registry, "127.0.0.1", Duration.ofMillis(300), 3);
        client.start();
    }

    @AfterEach
    void stop() {
        client.close();
        das.close();
    }

    /** Serves requests for {@code millis}, answering with what {@code answer} builds (null = stay silent). */
    private CompletableFuture<Void> serve(long millis, Function<RadiusPacket, byte[]> answer) {
        return CompletableFuture.runAsync(() -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (System.nanoTime() < deadline) {
                try {
                    byte[] buffer = new byte[4096];
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    das.receive(packet);
                    byte[] wire = java.util.Arrays.copyOf(buffer, packet.getLength());
                    synchronized (received) {
                        received.add(wire);
                    }
                    byte[] reply = answer.apply(RadiusPacket.decode(wire));
                    if (reply != null) {
                        das.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                    }
                } catch (SocketTimeoutException e) {
                    // keep polling until the deadline
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    @Test
    void disconnectIsSignedCarriesEventTimestampAndGetsAck() throws Exception {
        CompletableFuture<Void> server = serve(1500, request -> RadiusResponseEncoder.encode(request, SECRET,
                RadiusCode.DISCONNECT_ACK, List.of()));
        DynamicAuthorizationResult result = client.disconnect("127.0.0.1", List.of(
                RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "0001010000000001@wlan"),
                RadiusAttribute.ofString(RadiusDictionary.ACCT_SESSION_ID, "90234567")))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(result.outcome()).isEqualTo(Outcome.ACK);
        server.get(5, TimeUnit.SECONDS);
        byte[] wire = received.get(0);
        RadiusPacket request = RadiusPacket.decode(wire);
        assertThat(request.code()).isEqualTo(RadiusCode.DISCONNECT_REQUEST);
        assertThat(RadiusAuthenticators.verifySignedRequestAuthenticator(wire, SECRET)).isTrue();
        assertThat(RadiusAuthenticators.verifyRequestMessageAuthenticator(wire, SECRET)).isEqualTo(RadiusAuthenticators.Check.VALID);
        long timestamp = request.integer(RadiusDictionary.EVENT_TIMESTAMP).orElseThrow();
        assertThat(Math.abs(timestamp - System.currentTimeMillis() / 1000)).isLessThan(10);
        assertThat(request.string(RadiusDictionary.ACCT_SESSION_ID)).contains("90234567");
        assertThat(received).hasSize(1);
    }

    @Test
    void coaNakCarriesErrorCause() throws Exception {
        serve(1500, request -> RadiusResponseEncoder.encode(request, SECRET, RadiusCode.COA_NAK,
                List.of(RadiusAttribute.ofInt(RadiusDictionary.ERROR_CAUSE, 503))));
        DynamicAuthorizationResult result = client.changeOfAuthorization("127.0.0.1", List.of(
                RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "someone"),
                RadiusAttribute.ofInt(RadiusDictionary.SESSION_TIMEOUT, 60)))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(result.outcome()).isEqualTo(Outcome.NAK);
        assertThat(result.errorCause()).hasValue(503);
        assertThat(RadiusPacket.decode(received.get(0)).code()).isEqualTo(RadiusCode.COA_REQUEST);
    }

    @Test
    void silentOrForgedAnswersEndInTimeoutAfterRetries() throws Exception {
        byte[] wrongSecret = "not-the-secret".getBytes(US_ASCII);
        serve(2000, request -> RadiusResponseEncoder.encode(request, wrongSecret, RadiusCode.DISCONNECT_ACK, List.of()));
        DynamicAuthorizationResult result = client.disconnect("127.0.0.1",
                List.of(RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "x")))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
        Thread.sleep(300);
        synchronized (received) {
            assertThat(received).hasSize(3);
            assertThat(received.get(1)).isEqualTo(received.get(0)); // a retransmission is the same datagram
        }
    }

    @Test
    void unknownNasIsReportedWithoutSending() throws Exception {
        DynamicAuthorizationResult result = client.disconnect("192.0.2.1", List.of())
                .toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN_NAS);
        assertThat(client.disconnect("ap.example.com", List.of()).toCompletableFuture().get(1, TimeUnit.SECONDS).outcome())
                .isEqualTo(Outcome.FAILED);
    }
}
