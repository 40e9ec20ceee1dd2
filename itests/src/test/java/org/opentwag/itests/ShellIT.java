package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;
import org.opentwag.radius.codec.RadiusAuthenticators;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.codec.RadiusResponseEncoder;

/**
 * Every twag:* command as an operator runs it: through bin/client over the node's ssh port, on a distribution running
 * as its own process, after a real phone (eapol_test with its USIM simulator) authenticated and its access point
 * (radclient) sent accounting Start and Interim-Update. Each command's output must name that phone, its IMSI, its AP
 * and its usage; twag:disconnect must reach the AP's Dynamic Authorization Server, played here by the test.
 */
public class ShellIT {

    private static final int AUTH_PORT = 24812;
    private static final int ACCT_PORT = 24813;
    private static final int DAS_PORT = 24799;
    private static final String SECRET = "shell-test-secret";
    private static final String IMSI = "001010000000001";
    private static final String IDENTITY = "0" + IMSI + Eapol.REALM;
    private static final String SESSION = "0000001A";
    private static final String HSS = "hss.epc.mnc001.mcc001.3gppnetwork.org";

    private StandaloneDistribution karaf;

    @After
    public void stop() {
        if (karaf != null) {
            karaf.close();
        }
    }

    private String run(String command) throws Exception {
        ExternalTool.Result r = karaf.console(command, 90);
        assertEquals(command + ":\n" + r.output(), 0, r.exitCode());
        return r.output();
    }

    private static void assertContains(String output, String... expected) {
        for (String e : expected) {
            assertTrue("expected '" + e + "' in:\n" + output, output.contains(e));
        }
    }

    /** A table row (one line) containing all the given cells. */
    private static void assertRow(String output, String... cells) {
        boolean found = output.lines().anyMatch(l -> Arrays.stream(cells).allMatch(l::contains));
        assertTrue("no line with all of " + Arrays.toString(cells) + " in:\n" + output, found);
    }

    /** Class of the Access-Accept, echoed by the AP in accounting (RFC 2865 5.25): ties the session to charging. */
    private String classHex;

    private ExternalTool.Result radclient(String status, long in, long out, long seconds) throws Exception {
        String attributes = "Acct-Status-Type = " + status + "\nClass = 0x" + classHex + "\nAcct-Session-Id = \"" + SESSION + "\"\n"
                + "User-Name = \"" + IDENTITY + "\"\nNAS-IP-Address = 127.0.0.1\nNAS-Identifier = \"ap-shell\"\n"
                + "NAS-Port-Type = Wireless-802.11\nCalled-Station-Id = \"64-D9-89-1D-A4-20:ONS\"\n"
                + "Calling-Station-Id = \"86-81-69-A7-B4-B2\"\nFramed-MTU = 1400\n"
                + "Acct-Input-Octets = " + in + "\nAcct-Output-Octets = " + out + "\nAcct-Session-Time = " + seconds
                + "\n";
        return ExternalTool.run(List.of("radclient", "-r", "2", "-t", "5", "127.0.0.1:" + ACCT_PORT, "acct", SECRET),
                attributes.getBytes(StandardCharsets.US_ASCII), 30);
    }

    @Test
    public void everyTwagCommandShowsThePhoneItsApAndItsUsage() throws Exception {
        karaf = StandaloneDistribution.start("shell", AUTH_PORT, ACCT_PORT, SECRET,
                Map.of("org.opentwag.radius.client-default.cfg:dasPort", String.valueOf(DAS_PORT)));
        karaf.awaitLog("state OPEN", 60);

        // A phone authenticates (bounded retries while the SWx and Gy links finish opening); tshark reads the Class
        // of the Access-Accept, which the AP (radclient below) echoes as a real AP would.
        ExternalTool.Result auth;
        try (ExternalTool.Capture capture = new ExternalTool.Capture("udp port " + AUTH_PORT,
                List.of("udp.port==" + AUTH_PORT + ",radius"), 120)) {
            long deadline = System.currentTimeMillis() + 60_000;
            do {
                auth = Eapol.runAt(AUTH_PORT, SECRET, "AKA", IDENTITY, "000000000020", "-M", "86:81:69:a7:b4:b2");
                if (!auth.succeeded()) {
                    Thread.sleep(1000);
                }
            } while (!auth.succeeded() && System.currentTimeMillis() < deadline);
            assertEquals(auth.output(), 0, auth.exitCode());
            List<String> accepts = capture.fields("radius.code == 2", "radius.Class");
            assertFalse("no Access-Accept with Class captured", accepts.isEmpty());
            classHex = accepts.get(accepts.size() - 1).trim().replace(":", "");
            assertTrue(classHex, new String(java.util.HexFormat.of().parseHex(classHex), StandardCharsets.US_ASCII)
                    .startsWith("OTWAG1:"));
        }
        // Its AP reports the session: Start, then usage in an Interim-Update.
        ExternalTool.Result start = radclient("Start", 0, 0, 0);
        assertEquals(start.output(), 0, start.exitCode());
        ExternalTool.Result interim = radclient("Interim-Update", 4_120_000, 193_300_000, 250);
        assertEquals(interim.output(), 0, interim.exitCode());

        String clients = run("twag:clients");
        assertContains(clients, "1 Accepted, 0 Authenticating, 0 Rejected");
        assertRow(clients, IDENTITY, IMSI, "Accepted", "EAP-AKA", "127.0.0.1", "86-81-69-A7-B4-B2");

        String client = run("twag:client " + IDENTITY);
        assertTrue(client, Pattern.compile("IMSI\\s+" + IMSI).matcher(client).find());
        assertTrue(client, Pattern.compile("Auth Status\\s+Accepted").matcher(client).find());
        assertTrue(client, Pattern.compile("EAP Method\\s+EAP-AKA").matcher(client).find());
        assertTrue(client, Pattern.compile("NAS IP Address\\s+127.0.0.1").matcher(client).find());
        // The Non-3GPP-User-Data of the SAA the login waited for, kept with the session.
        assertTrue(client, Pattern.compile("Non-3GPP Access \\(HSS\\)\\s+Allowed").matcher(client).find());
        // The embedded HSS pushes a profile that still allows access: answered, and the phone stays.
        String ppr = run("twag:hss-sim ppr-allow " + IMSI);
        assertTrue(ppr, ppr.contains("PPA (allowed): 2001"));

        String aps = run("twag:aps");
        assertContains(aps, "1 AP, 1 Total Clients");
        assertRow(aps, "127.0.0.1", "64-D9-89-1D-A4-20", "ONS", "Wireless-802.11", "1400", "ap-shell");

        String ap = run("twag:ap 127.0.0.1");
        assertTrue(ap, Pattern.compile("Called Station ID \\(AP MAC:SSID\\)\\s+64-D9-89-1D-A4-20:ONS").matcher(ap).find());
        assertTrue(ap, Pattern.compile("Client Count\\s+1").matcher(ap).find());
        assertTrue(ap, Pattern.compile("Framed MTU\\s+1400").matcher(ap).find());
        assertTrue(ap, Pattern.compile("NAS Port Type\\s+Wireless-802.11").matcher(ap).find());
        assertRow(ap, SESSION, IDENTITY, IMSI, "Active", "193.3 MB", "4.12 MB");
        assertContains(run("twag:ap 10.99.99.99"), "No access point 10.99.99.99");

        String sessions = run("twag:sessions");
        assertContains(sessions, "1 Session, 1 Active, Down 193.3 MB / Up 4.12 MB");
        assertRow(sessions, SESSION, IDENTITY, IMSI, "86-81-69-A7-B4-B2", "127.0.0.1", "ONS", "Active", "193.3 MB",
                "4.12 MB");
        assertFalse(run("twag:sessions 001019999999999").contains(SESSION));

        String usage = run("twag:usage " + IMSI);
        assertContains(usage, "Client Usage & Accounting: 1 Session, 1 Active, Down 193.3 MB / Up 4.12 MB");
        assertRow(usage, SESSION, IMSI, "Active");

        String peers = run("twag:peers");
        assertContains(peers, "Connected");
        assertRow(peers, HSS, "Connected", "16777265 (SWx)");
        String peer = run("twag:peers " + HSS);
        assertTrue(peer, Pattern.compile("Status\\s+Connected").matcher(peer).find());

        String methods = run("twag:methods");
        assertRow(methods, "EAP method", "EAP-AKA (type 23)");
        assertRow(methods, "EAP method", "EAP-AKA' (type 50)");
        assertRow(methods, "vector source", "swx");
        assertRow(methods, "charging", "online");

        String charging = run("twag:charging");
        assertContains(charging, "Mode: online");
        assertRow(charging, IMSI, "127.0.0.1", SESSION, "online");

        String mar = run("twag:mar " + IMSI);
        assertContains(mar, "success", "RAND", "AUTN");
        assertTrue(mar, Pattern.compile("XRES\\s+\\d+ bytes").matcher(mar).find());

        // twag:disconnect reaches the AP's DAS (this test) with a signed Disconnect-Request; the AP says ACK.
        try (DatagramSocket das = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), DAS_PORT))) {
            das.setSoTimeout(30_000);
            CompletableFuture<RadiusPacket> received = CompletableFuture.supplyAsync(() -> {
                try {
                    DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
                    das.receive(p);
                    byte[] bytes = Arrays.copyOf(p.getData(), p.getLength());
                    assertTrue("Disconnect-Request signed with the client group's secret",
                            RadiusAuthenticators.verifySignedRequestAuthenticator(bytes,
                                    SECRET.getBytes(StandardCharsets.UTF_8)));
                    RadiusPacket request = RadiusPacket.decode(bytes);
                    byte[] ack = RadiusResponseEncoder.encode(request, SECRET.getBytes(StandardCharsets.UTF_8),
                            RadiusCode.DISCONNECT_ACK, List.of());
                    das.send(new DatagramPacket(ack, ack.length, p.getSocketAddress()));
                    return request;
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("no Disconnect-Request reached the DAS");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String disconnect = run("twag:disconnect " + IDENTITY);
            RadiusPacket request = received.get(40, TimeUnit.SECONDS);
            assertEquals(RadiusCode.DISCONNECT_REQUEST, request.code());
            assertEquals(IDENTITY, request.string(RadiusDictionary.USER_NAME).orElse(null));
            assertEquals("86-81-69-a7-b4-b2", request.string(RadiusDictionary.CALLING_STATION_ID).orElse("")
                    .toLowerCase().replace(':', '-'));
            assertContains(disconnect, "Disconnect-Request to 127.0.0.1", "ACK");
        }

        // The AP ends the session: twag:sessions shows it no more, twag:usage shows it stopped with its final usage.
        ExternalTool.Result stop = radclient("Stop", 5_000_000, 200_000_000, 300);
        assertEquals(stop.output(), 0, stop.exitCode());
        String after = run("twag:sessions");
        assertContains(after, "0 Sessions, 0 Active");
        assertFalse(after, after.contains(SESSION));
        String usageAfter = run("twag:usage");
        assertContains(usageAfter, "1 Session, 0 Active, Down 200 MB / Up 5 MB");
        assertRow(usageAfter, SESSION, IMSI, "Stopped", "5m 0s", "200 MB", "5 MB");

        // The session's records as the database holds them, oldest first; the AP found from the session itself.
        String history = run("twag:history " + SESSION);
        assertContains(history, "Session " + SESSION + " at 127.0.0.1: 3 records");
        assertRow(history, "Start", IMSI, "0s");
        assertRow(history, "Interim-Update", IMSI, "4m 10s", "193.3 MB", "4.12 MB");
        assertRow(history, "Stop", IMSI, "5m 0s", "200 MB", "5 MB");
        assertTrue(history, history.indexOf("Start") < history.indexOf("Interim-Update")
                && history.indexOf("Interim-Update") < history.indexOf("Stop"));
        assertContains(run("twag:history --ap 127.0.0.9 " + SESSION), "at 127.0.0.9: 0 records");
    }
}
