package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import javax.inject.Inject;

import org.junit.Test;
import org.opentwag.hsssim.api.HssSimulatorService;
import org.opentwag.radius.codec.RadiusAuthenticators;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;

/**
 * The HSS's word acted on at the access point, with eapol_test as the phone and the test as the AP's Dynamic
 * Authorization Server: a PPR barring a logged-in subscriber ends its access with a signed Disconnect-Request and a
 * deregistration SAR, and its next login is rejected because the SAA bars it; an RTR with NEW_SERVER_ASSIGNED
 * disconnects without any SAR back, even at the AP's accounting Stop; a PPR for a subscriber with no client here is
 * answered DIAMETER_ERROR_USER_UNKNOWN. Subscribers 12, 13 and 14 are used by no other test (the container is shared).
 */
public class SwxProfileIT extends InsideDistribution.WithLinksOpen {

    private static final int REGISTRATION = 1;
    private static final int USER_DEREGISTRATION = 5;
    private static final byte[] SECRET = OpenTwagDistribution.SECRET.getBytes(StandardCharsets.UTF_8);

    @Inject
    private HssSimulatorService hss;

    @Test
    public void aPprBarringALoggedInSubscriberDisconnectsItAndItsNextLoginIsRejected() throws Exception {
        String imsi = "001010000000012";
        int hssPort = OpenTwagDistribution.HSS_PORT;
        try (DatagramSocket das = das();
             ExternalTool.Capture swx = new ExternalTool.Capture("tcp port " + hssPort,
                     List.of("tcp.port==" + hssPort + ",diameter"), 120)) {
            ExternalTool.Result login = Eapol.akaWithin(30_000, imsi, "-M", "02:00:00:00:00:12");
            assertEquals(login.output(), 0, login.exitCode());
            // The SAR is awaited before the Access-Accept: the HSS has it when eapol_test is done.
            assertEquals("SAR REGISTRATION before the Accept", 1, hss.serverAssignments(imsi, REGISTRATION));

            long ppa = hss.sendPushProfile(imsi, true).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals("PPA Result-Code", 2001L, ppa);

            byte[] request = receiveFor(das, "0" + imsi + Eapol.REALM);
            RadiusPacket disconnect = RadiusPacket.decode(request);
            assertEquals(RadiusCode.DISCONNECT_REQUEST, disconnect.code());
            assertEquals("0" + imsi + Eapol.REALM, disconnect.string(RadiusDictionary.USER_NAME).orElse(null));
            assertEquals("02-00-00-00-00-12", disconnect.string(RadiusDictionary.CALLING_STATION_ID).orElse("")
                    .toLowerCase().replace(':', '-'));
            assertTrue("Request Authenticator signed with the secret (RFC 5176 3.5)",
                    RadiusAuthenticators.verifySignedRequestAuthenticator(request, SECRET));
            assertEquals("Message-Authenticator", RadiusAuthenticators.Check.VALID,
                    RadiusAuthenticators.verifyRequestMessageAuthenticator(request, SECRET));

            assertTrue("deregistration SAR after the bar", await(() -> hss.serverAssignments(imsi, USER_DEREGISTRATION), 1));
            assertTrue(Metrics.scrape().getOrDefault("hss_disconnect_count{cause=\"ppr\"}", 0.0) >= 1);
            assertTrue(Metrics.scrape().getOrDefault("swx_push_profile_count{outcome=\"updated\"}", 0.0) >= 1);

            double refusedBefore = Metrics.scrape().getOrDefault(
                    "hss_registration_count{kind=\"register\",result=\"refused\"}", 0.0);
            ExternalTool.Result barred = Eapol.aka(imsi, "-M", "02:00:00:00:00:12");
            assertNotEquals("a barred subscriber is rejected: " + barred.output(), 0, barred.exitCode());
            assertTrue(barred.output(), barred.output().contains("Access-Reject"));
            assertEquals("its SAA said barred", 2, hss.serverAssignments(imsi, REGISTRATION));
            assertTrue(Metrics.scrape().getOrDefault("hss_registration_count{kind=\"register\",result=\"refused\"}",
                    0.0) >= refusedBefore + 1);

            // tshark's SWx dictionary, not ours, reads every MAR/SAR/PPR and answer of this test.
            List<String> decoded = swx.stopAndCheck();
            String malformed = decoded.get(1).lines().filter(l -> !l.contains("Running as user"))
                    .collect(java.util.stream.Collectors.joining("\n"));
            assertEquals("malformed SWx packets:\n" + malformed, "", malformed.trim());
            List<String> ppr = swx.fields("diameter.cmd.code == 305", "diameter.flags.request");
            assertEquals("PPR and PPA on the wire:\n" + String.join("\n", ppr), 2, ppr.size());
            assertTrue(decoded.get(0), decoded.get(0).contains("Server-Assignment"));
        } finally {
            hss.setBarred(imsi, false);
        }
    }

    @Test
    public void anRtrNewServerAssignedDisconnectsWithoutAnySarBack() throws Exception {
        String imsi = "001010000000013";
        String identity = "0" + imsi + Eapol.REALM;
        try (DatagramSocket das = das()) {
            ExternalTool.Result login = Eapol.akaWithin(30_000, imsi, "-M", "02:00:00:00:00:13");
            assertEquals(login.output(), 0, login.exitCode());

            long rta = hss.sendRegistrationTermination(imsi, 1).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals("RTA Result-Code", 2001L, rta);
            byte[] request = receiveFor(das, identity);
            assertEquals(RadiusCode.DISCONNECT_REQUEST, RadiusPacket.decode(request).code());
            assertEquals(identity, RadiusPacket.decode(request).string(RadiusDictionary.USER_NAME).orElse(null));
            assertTrue(RadiusAuthenticators.verifySignedRequestAuthenticator(request, SECRET));

            // The AP reports the end of the session it was told to end.
            String stop = "Acct-Status-Type = Stop\nAcct-Session-Id = \"SWX-IT-" + System.nanoTime() + "\"\n"
                    + "User-Name = \"" + identity + "\"\nNAS-IP-Address = 127.0.0.1\n"
                    + "Calling-Station-Id = \"02-00-00-00-00-13\"\nAcct-Session-Time = 5\nAcct-Terminate-Cause = 6\n";
            ExternalTool.Result acct = ExternalTool.accountingRequest(OpenTwagDistribution.SECRET, stop);
            assertEquals(acct.output(), 0, acct.exitCode());
            // A SAR would follow the Stop within milliseconds: none in a second means none was sent.
            Thread.sleep(1_000);
            assertEquals("no deregistration SAR after NEW_SERVER_ASSIGNED (it would deregister the new server)", 0,
                    hss.serverAssignments(imsi, USER_DEREGISTRATION));
        }
    }

    @Test
    public void aPprForASubscriberWithNoClientHereIsUserUnknown() throws Exception {
        long ppa = hss.sendPushProfile("001010000000014", false).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals("Experimental-Result DIAMETER_ERROR_USER_UNKNOWN", 5001L, ppa);
    }

    private static DatagramSocket das() throws Exception {
        DatagramSocket das = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                OpenTwagDistribution.DAS_PORT));
        das.setSoTimeout(10_000);
        return das;
    }

    /**
     * The next Disconnect-Request naming this User-Name. This DAS does not answer, so the server retransmits: a
     * retransmission for another test's subscriber may still arrive and is skipped (bounded by the socket timeout).
     */
    private static byte[] receiveFor(DatagramSocket das, String userName) throws Exception {
        while (true) {
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            das.receive(p);
            byte[] bytes = Arrays.copyOf(p.getData(), p.getLength());
            if (userName.equals(RadiusPacket.decode(bytes).string(RadiusDictionary.USER_NAME).orElse(null))) {
                return bytes;
            }
        }
    }

    /** Waits (bounded, 10 s) for a count to reach {@code atLeast}. */
    private static boolean await(LongSupplier count, long atLeast) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (count.getAsLong() < atLeast && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        return count.getAsLong() >= atLeast;
    }
}
