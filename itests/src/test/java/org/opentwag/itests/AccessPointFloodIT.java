package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.After;
import org.junit.Test;
import org.opentwag.api.eap.EapPacket;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusRequestEncoder;

/**
 * An access point gone mad (or an attacker with its secret) floods the authentication port with new EAP
 * conversations for subscribers nobody knows, far faster than the HSS answers. The server must keep its memory
 * bounded, count what it drops, and still let a real phone in right after.
 */
public class AccessPointFloodIT {

    private static final int AUTH_PORT = 23012;
    private static final int ACCT_PORT = 23013;
    private static final String SECRET = "flood-test-secret";
    private static final long FLOOD_MILLIS = 8_000;
    private static final int SOCKETS = 4;

    private StandaloneDistribution karaf;

    @After
    public void stop() {
        if (karaf != null) {
            karaf.close();
        }
    }

    private static byte[] identityResponse(int id) {
        String identity = "0001010" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000))
                + "@wlan.mnc001.mcc001.3gppnetwork.org";
        byte[] eap = new EapPacket(EapPacket.RESPONSE, 1, EapPacket.TYPE_IDENTITY,
                identity.getBytes(StandardCharsets.US_ASCII)).encode();
        return RadiusRequestEncoder.encode(RadiusCode.ACCESS_REQUEST, id, List.of(
                RadiusAttribute.ofString(RadiusDictionary.USER_NAME, identity),
                RadiusAttribute.of(RadiusDictionary.EAP_MESSAGE, eap),
                RadiusAttribute.ofString(RadiusDictionary.CALLING_STATION_ID, "02-00-00-00-00-66")),
                SECRET.getBytes(StandardCharsets.US_ASCII), true);
    }

    @Test
    public void aFloodIsDroppedAndCountedWithBoundedMemoryAndARealPhoneStillGetsIn() throws Exception {
        karaf = StandaloneDistribution.start("flood", AUTH_PORT, ACCT_PORT, SECRET, Map.of(
                "org.opentwag.radius.cfg:maxPendingRequests", "500",
                "org.opentwag.state.cfg:maxEntriesPerMap", "20000"));
        karaf.awaitLog("state OPEN", 30);
        AtomicLong sent = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        long end = System.currentTimeMillis() + FLOOD_MILLIS;
        List<Thread> aps = new ArrayList<>();
        for (int s = 0; s < SOCKETS; s++) {
            Thread t = new Thread(() -> {
                try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                    socket.setSoTimeout(1);
                    InetAddress server = InetAddress.getByName("127.0.0.1");
                    DatagramPacket answer = new DatagramPacket(new byte[4096], 4096);
                    int id = 0;
                    while (System.currentTimeMillis() < end) {
                        byte[] request = identityResponse(id);
                        id = (id + 1) & 0xff;
                        socket.send(new DatagramPacket(request, request.length, server, AUTH_PORT));
                        sent.incrementAndGet();
                        try {
                            socket.receive(answer);
                            answered.incrementAndGet();
                        } catch (SocketTimeoutException none) {
                            // a flood does not wait for answers
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "flooding-ap-" + s);
            t.start();
            aps.add(t);
        }
        for (Thread t : aps) {
            t.join(FLOOD_MILLIS + 10_000);
        }
        double heapMax = Metrics.value(karaf.metricsPort(), "jvm_memory_heap_max_bytes");
        double heapUsed = Metrics.value(karaf.metricsPort(), "jvm_memory_heap_used_bytes");
        double overload = Metrics.value(karaf.metricsPort(), "radius_dropped_count{reason=\"overload\"}");
        double requests = Metrics.value(karaf.metricsPort(), "radius_access_request_count");
        System.out.printf("AP flood: sent %d Access-Requests in %d ms, %,.0f counted by the server, %d answers "
                        + "seen, %,.0f dropped as overload; heap %.0f MB of %.0f MB%n", sent.get(), FLOOD_MILLIS,
                requests, answered.get(), overload, heapUsed / 1e6, heapMax / 1e6);
        assertTrue("the flood exceeded the in-flight bound and drops were counted", overload > 0);
        assertTrue("heap stays well below its maximum: " + heapUsed, heapUsed < heapMax * 0.8);

        // A real phone gets in right after (retrying as an AP would while the backlog drains, bounded).
        Path conf = Files.createTempFile("eapol", ".conf");
        try {
            Files.writeString(conf, "network={\n  ssid=\"test\"\n  key_mgmt=WPA-EAP\n  eap=AKA\n  identity=\"0001010000000001"
                    + Eapol.REALM + "\"\n  password=\"" + Eapol.KI + ":" + Eapol.OPC + ":000000000020\"\n}\n");
            long deadline = System.currentTimeMillis() + 30_000;
            ExternalTool.Result r;
            do {
                r = ExternalTool.run(List.of(ExternalTool.eapolTest(), "-c", conf.toString(), "-a", "127.0.0.1",
                        "-p", String.valueOf(AUTH_PORT), "-s", SECRET, "-t", "10"), null, 60);
            } while (!r.succeeded() && System.currentTimeMillis() < deadline);
            assertEquals(r.output(), 0, r.exitCode());
        } finally {
            Files.deleteIfExists(conf);
        }
    }
}
