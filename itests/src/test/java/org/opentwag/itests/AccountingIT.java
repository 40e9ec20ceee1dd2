package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.api.accounting.AccountingStatus;
import org.opentwag.api.state.AuthorizedSession;
import org.opentwag.api.state.StateStore;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.codec.RadiusRequestEncoder;

/**
 * RADIUS accounting through the running distribution, driven by FreeRADIUS' radclient (a client we did not write):
 * an authenticated phone's session is stored with its usage and tied to its IMSI by the Class attribute; a wrong
 * secret and an unknown client get no answer and are counted; a retransmission is answered from the cache and
 * stored once; every accounting packet decodes in tshark without a malformed field.
 */
public class AccountingIT extends InsideDistribution.WithLinksOpen {

    private static final String NAS = "10.7.15.72";

    @Inject
    private AccountingQueries accounting;

    @Inject
    private StateStore store;

    private static String acct(String status, String session, String classHex, long in, long inGiga, long out,
                               long time) {
        return "Acct-Status-Type = " + status + "\nAcct-Session-Id = \"" + session + "\"\n"
                + "User-Name = \"0001010000000005" + EapolTestIT.REALM + "\"\n"
                + "NAS-IP-Address = " + NAS + "\nNAS-Identifier = \"ap-lobby\"\nNAS-Port-Type = Wireless-802.11\n"
                + "Called-Station-Id = \"64-D9-89-1D-A4-20:ONS\"\nCalling-Station-Id = \"86-81-69-A7-B4-B2\"\n"
                + "Framed-MTU = 1400\nFramed-IP-Address = 10.45.0.9\n"
                + (classHex == null ? "" : "Class = 0x" + classHex + "\n")
                + "Acct-Input-Octets = " + in + "\nAcct-Input-Gigawords = " + inGiga + "\n"
                + "Acct-Output-Octets = " + out + "\nAcct-Session-Time = " + time + "\n";
    }

    private String authenticateAndFindToken() throws Exception {
        String identity = "0001010000000005" + Eapol.REALM;
        ExternalTool.Result r = Eapol.akaWithin(30_000, "001010000000005", "-M", "86:81:69:a7:b4:b2");
        assertEquals(r.output(), 0, r.exitCode());
        // eapol_test does not show the Class it got: read it where access-session keeps it (its private map).
        return store.snapshot("authorized-sessions", AuthorizedSession.class).values().stream()
                .filter(s -> s.identity().equals(identity))
                .max(java.util.Comparator.comparingLong(AuthorizedSession::acceptedAtMillis))
                .map(AuthorizedSession::token).orElseThrow(() -> new AssertionError("no authorized session"));
    }

    @Test
    public void aSessionFromRadclientIsStoredWithItsUsageAndTiedToTheSubscriber() throws Exception {
        String token = authenticateAndFindToken();
        String classHex = HexFormat.of().formatHex((AuthorizedSession.CLASS_PREFIX + token)
                .getBytes(StandardCharsets.US_ASCII));
        String session = "ACCT-IT-" + System.nanoTime();
        try (ExternalTool.Capture capture = new ExternalTool.Capture("udp port " + OpenTwagDistribution.ACCT_PORT,
                List.of("udp.port==" + OpenTwagDistribution.ACCT_PORT + ",radius"), 60)) {
            for (String status : List.of("Start", "Interim-Update", "Stop")) {
                boolean start = status.equals("Start");
                ExternalTool.Result r = ExternalTool.accountingRequest(OpenTwagDistribution.SECRET, acct(status,
                        session, classHex, start ? 0 : 1000, start ? 0 : 2, start ? 0 : 3000, start ? 0 : 120));
                assertEquals(r.output(), 0, r.exitCode());
                assertTrue(r.output(), r.output().contains("Received Accounting-Response"));
            }
            List<String> decoded = capture.stopAndCheck();
            String malformed = decoded.get(1).lines().filter(l -> !l.contains("Running as user"))
                    .collect(java.util.stream.Collectors.joining("\n"));
            assertEquals("malformed packets:\n" + malformed, "", malformed.trim());
            assertEquals(decoded.get(0), 6, decoded.get(0).lines().filter(l -> l.contains("RADIUS")).count());
        }
        // Acknowledged means stored: the records are in the database the moment radclient got its answers.
        List<AccountingRecord> history = accounting.history(NAS, session);
        assertEquals(history.toString(), List.of(AccountingStatus.START, AccountingStatus.INTERIM,
                AccountingStatus.STOP), history.stream().map(AccountingRecord::status).toList());
        AccountingRecord stop = history.get(2);
        assertEquals(2L * (1L << 32) + 1000, stop.usage().inputOctets());
        assertEquals(3000, stop.usage().outputOctets());
        assertEquals(120, stop.usage().sessionTimeSeconds());
        assertEquals("001010000000005", stop.imsi());
        assertEquals(token, stop.authSessionId());
        assertEquals("10.45.0.9", stop.framedIp());

        AccountingSession s = waitFor(() -> accounting.session(NAS, session).filter(x -> !x.open()).orElse(null));
        assertEquals("001010000000005", s.imsi());
        AccessPoint ap = accounting.accessPoint(NAS).orElseThrow();
        assertEquals("64-D9-89-1D-A4-20", ap.apMac());
        assertEquals("ONS", ap.ssid());
        assertEquals(1400, ap.framedMtu());
        assertEquals(RadiusDictionary.NAS_PORT_TYPE_WIRELESS_802_11, ap.nasPortType());
        assertTrue(Metrics.scrape().get("radius_access_points_count") >= 1);
    }

    @Test
    public void aWrongSecretGetsNoAnswerNothingStoredAndACountedDrop() throws Exception {
        double before = Metrics.scrape().getOrDefault("radius_dropped_count{reason=\"bad_authenticator\"}", 0.0);
        String session = "WRONG-SECRET-" + System.nanoTime();
        ExternalTool.Result r = ExternalTool.accountingRequest("not-the-secret",
                acct("Start", session, null, 0, 0, 0, 0));
        assertNotEquals(r.output(), 0, r.exitCode());
        assertTrue(accounting.history(NAS, session).isEmpty());
        assertTrue(Metrics.scrape().get("radius_dropped_count{reason=\"bad_authenticator\"}") >= before + 1);
    }

    private static byte[] accountingStart(String session) {
        return RadiusRequestEncoder.encode(RadiusCode.ACCOUNTING_REQUEST, 42, List.of(
                RadiusAttribute.ofInt(RadiusDictionary.ACCT_STATUS_TYPE, RadiusDictionary.ACCT_STATUS_START),
                RadiusAttribute.ofString(RadiusDictionary.ACCT_SESSION_ID, session),
                RadiusAttribute.ofString(RadiusDictionary.NAS_IDENTIFIER, "ap-java")),
                OpenTwagDistribution.SECRET.getBytes(StandardCharsets.US_ASCII), false);
    }

    @Test
    public void anUnknownClientGetsNoAnswerNothingStoredAndACountedDrop() throws Exception {
        // The test client group is 127.0.0.1/32: a datagram from 127.0.0.2 comes from no configured client.
        double before = Metrics.scrape().getOrDefault("radius_dropped_count{reason=\"unknown_client\"}", 0.0);
        String session = "UNKNOWN-" + System.nanoTime();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            socket.setSoTimeout(2_000);
            byte[] request = accountingStart(session);
            socket.send(new DatagramPacket(request, request.length, InetAddress.getByName("127.0.0.1"),
                    OpenTwagDistribution.ACCT_PORT));
            try {
                socket.receive(new DatagramPacket(new byte[4096], 4096));
                throw new AssertionError("an unknown client was answered");
            } catch (java.net.SocketTimeoutException expected) {
                // silence is the answer (RFC 2865 section 3: unknown clients are silently discarded)
            }
        }
        assertTrue(accounting.history("127.0.0.2", session).isEmpty());
        assertTrue(Metrics.scrape().get("radius_dropped_count{reason=\"unknown_client\"}") >= before + 1);
    }

    @Test
    public void aRetransmissionIsAnsweredFromTheCacheAndStoredOnce() throws Exception {
        double before = Metrics.scrape().getOrDefault("radius_duplicate_answered_count", 0.0);
        String session = "RETRANSMIT-" + System.nanoTime();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(5_000);
            byte[] request = accountingStart(session);
            byte[][] answers = new byte[2][];
            for (int i = 0; i < 2; i++) {
                socket.send(new DatagramPacket(request, request.length, InetAddress.getByName("127.0.0.1"),
                        OpenTwagDistribution.ACCT_PORT));
                DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
                socket.receive(p);
                answers[i] = Arrays.copyOf(p.getData(), p.getLength());
            }
            assertEquals(RadiusCode.ACCOUNTING_RESPONSE, RadiusPacket.decode(answers[0]).code());
            assertTrue("the cached answer is the same datagram", Arrays.equals(answers[0], answers[1]));
        }
        assertEquals(1, accounting.history("127.0.0.1", session).size());
        assertTrue(Metrics.scrape().get("radius_duplicate_answered_count") >= before + 1);
    }

    private static <T> T waitFor(java.util.function.Supplier<T> probe) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        T value;
        while ((value = probe.get()) == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertNotNull("not reached within 5 s", value);
        return value;
    }
}
