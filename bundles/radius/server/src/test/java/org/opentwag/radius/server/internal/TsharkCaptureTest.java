package org.opentwag.radius.server.internal;

import org.opentwag.support.test.Tshark;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusRequestEncoder;
import org.opentwag.radius.server.RadiusReply;

/**
 * Wireshark's RADIUS dissector as an independent decoder: a captured exchange (radclient PAP with MPPE keys, EAP with
 * a reply split over several EAP-Message attributes, accounting, Status-Server) must show no malformed packet and no
 * error-level expert info, and with the secret Wireshark must find every authenticator correct.
 */
class TsharkCaptureTest {
    private static final String SECRET = "tshark-check-secret-42";

    @Test
    void capturedExchangeDecodesCleanlyInWireshark(@TempDir Path dir) throws Exception {
        assumeTrue(new File("/usr/bin/tshark").canExecute() && Radclient.available(), "tshark or radclient missing");
        AccessPointGroups registry = new AccessPointGroups();
        registry.put("lo", new AccessPointGroup("lo", List.of(Subnet.parse("127.0.0.1/32")), SECRET.getBytes(US_ASCII), true, 3799));
        RadiusCounters counters = new RadiusCounters();
        // A well-formed 600-octet EAP-Request/Notification (type 2, text), so that Wireshark's EAP dissector has
        // nothing to complain about and only the RADIUS framing (three EAP-Message attributes) is under test.
        byte[] bigEap = new byte[600];
        java.util.Arrays.fill(bigEap, (byte) 'a');
        bigEap[0] = 1;
        bigEap[1] = 1;
        bigEap[2] = (byte) (bigEap.length >> 8);
        bigEap[3] = (byte) bigEap.length;
        bigEap[4] = 2;
        try (RadiusServer server = new RadiusServer(new ServerSettings("127.0.0.1", false, 0, 0, Duration.ofSeconds(30),
                1000, 100, 2, Duration.ofSeconds(5), 90), registry, counters,
                () -> request -> CompletableFuture.completedFuture(request.eapMessage().isPresent()
                        ? RadiusReply.withEap(RadiusCode.ACCESS_CHALLENGE, bigEap, List.of(RadiusAttribute.of(RadiusDictionary.STATE, new byte[] {1, 2, 3, 4})))
                        : RadiusReply.accept(List.of(
                                RadiusAttribute.vendor(RadiusDictionary.VENDOR_MICROSOFT, RadiusDictionary.MS_MPPE_RECV_KEY, new byte[32]),
                                RadiusAttribute.vendor(RadiusDictionary.VENDOR_MICROSOFT, RadiusDictionary.MS_MPPE_SEND_KEY, new byte[32])))),
                () -> request -> CompletableFuture.completedFuture(null))) {
            server.start();
            int auth = server.authPort();
            int acct = server.acctPort();
            Path pcap = dir.resolve("radius.pcap");
            Process capture = new ProcessBuilder("timeout", "30", "tshark", "-i", "lo", "-f",
                    "udp port " + auth + " or udp port " + acct, "-w", pcap.toString()).redirectErrorStream(true).start();
            try {
                awaitCaptureStarted(capture);
                assertThat(Radclient.run(auth, "auth", SECRET, "User-Name = \"nemo\"\nUser-Password = \"arctangent\"\nMessage-Authenticator = 0x00\n", 2)
                        .answered("Access-Accept")).isTrue();
                assertThat(Radclient.run(acct, "acct", SECRET, "Acct-Status-Type = Start\nAcct-Session-Id = \"s1\"\nNAS-IP-Address = 127.0.0.1\n", 2)
                        .answered("Accounting-Response")).isTrue();
                assertThat(Radclient.run(auth, "status", SECRET, "Message-Authenticator = 0x00\n", 2).answered("Access-Accept")).isTrue();
                byte[] eapRequest = RadiusRequestEncoder.encode(RadiusCode.ACCESS_REQUEST, 77, List.of(
                        RadiusAttribute.ofString(RadiusDictionary.USER_NAME, "0001010000000001@wlan"),
                        RadiusAttribute.of(RadiusDictionary.EAP_MESSAGE, new byte[] {2, 0, 0, 6, 1, 0x30})),
                        SECRET.getBytes(US_ASCII), true);
                try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                    socket.setSoTimeout(2000);
                    socket.send(new DatagramPacket(eapRequest, eapRequest.length, new InetSocketAddress("127.0.0.1", auth)));
                    socket.receive(new DatagramPacket(new byte[4096], 4096));
                }
                Thread.sleep(500); // let tshark write the last packets
            } finally {
                capture.destroy(); // SIGTERM: tshark closes the file cleanly
                capture.waitFor(10, TimeUnit.SECONDS);
            }
            String decode = "udp.port==" + auth + ",radius";
            String decodeAcct = "udp.port==" + acct + ",radius";
            List<String> problems = Tshark.run("-r", pcap.toString(), "-d", decode, "-d", decodeAcct,
                    "-Y", "_ws.malformed || _ws.expert.severity >= \"error\"");
            assertThat(problems).as("malformed or error packets").isEmpty();
            List<String> rows = Tshark.run("-r", pcap.toString(), "-d", decode, "-d", decodeAcct,
                    "-o", "radius.shared_secret:" + SECRET, "-o", "radius.validate_authenticator:TRUE",
                    "-Y", "radius", "-T", "fields", "-e", "radius.code", "-e", "radius.authenticator.valid",
                    "-e", "radius.authenticator.invalid", "-e", "radius.User_Password");
            String table = String.join("\n", rows);
            assertThat(rows).as(table).hasSize(8);
            assertThat(rows).as(table).noneMatch(row -> row.split("\t", -1)[2].equals("1"));
            // Wireshark pairs Accept, Accounting-Response and Challenge with their requests and finds them correct.
            assertThat(rows.stream().filter(row -> row.split("\t", -1)[1].equals("1"))).as(table).hasSizeGreaterThanOrEqualTo(3);
            assertThat(table).contains("arctangent"); // it also reveals radclient's User-Password with our secret
        }
    }

    private static void awaitCaptureStarted(Process capture) throws Exception {
        BufferedReader output = new BufferedReader(new InputStreamReader(capture.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Boolean> started = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = output.readLine()) != null; ) {
                    if (line.contains("Capturing on")) {
                        return true;
                    }
                }
            } catch (java.io.IOException e) {
                return false;
            }
            return false;
        });
        assumeTrue(started.get(15, TimeUnit.SECONDS), "tshark could not capture on lo");
        Thread.sleep(500);
        // Keep draining so tshark never blocks on a full pipe.
        CompletableFuture.runAsync(() -> {
            try {
                while (output.readLine() != null) {
                    // discard
                }
            } catch (java.io.IOException ignored) {
                // capture ended
            }
        });
    }

}
