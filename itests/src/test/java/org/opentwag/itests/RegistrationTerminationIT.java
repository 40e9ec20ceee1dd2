package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Test;
import org.opentwag.hsssim.api.HssSimulatorService;
import org.opentwag.radius.codec.RadiusAuthenticators;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;

/**
 * An HSS-initiated deregistration (SWx RTR) reaches the access point: after eapol_test authenticated a phone, the
 * embedded HSS sends an RTR, and the test, playing the AP's Dynamic Authorization Server, receives a signed
 * Disconnect-Request naming that phone. Around it, the HSS registration access-session keeps: an accepted login
 * registers the subscriber at the HSS (SAR), the AP's accounting Stop deregisters it (SAR USER_DEREGISTRATION).
 */
public class RegistrationTerminationIT extends InsideDistribution.WithLinksOpen {

    @Inject
    private HssSimulatorService hss;

    @Test
    public void anRtrFromTheHssDisconnectsThePhoneAtItsAccessPoint() throws Exception {
        String identity = "0001010000000002" + EapolTestIT.REALM;
        Path conf = Files.createTempFile("eapol", ".conf");
        try (DatagramSocket das = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                OpenTwagDistribution.DAS_PORT))) {
            das.setSoTimeout(10_000);
            Files.writeString(conf, "network={\n  ssid=\"test\"\n  key_mgmt=WPA-EAP\n  eap=AKA\n  identity=\""
                    + identity + "\"\n  password=\"" + EapolTestIT.KI + ":" + EapolTestIT.OPC + ":000000000020\"\n}\n");
            long deadline = System.currentTimeMillis() + 30_000;
            ExternalTool.Result r;
            do {
                // Bounded retries: at boot the SWx link may still be opening.
                r = ExternalTool.run(List.of(ExternalTool.eapolTest(), "-c", conf.toString(), "-a", "127.0.0.1",
                        "-p", String.valueOf(OpenTwagDistribution.AUTH_PORT), "-s", OpenTwagDistribution.SECRET,
                        "-t", "10", "-M", "02:00:00:00:00:02"), null, 60);
                if (r.succeeded()) {
                    break;
                }
                Thread.sleep(500);
            } while (System.currentTimeMillis() < deadline);
            assertEquals(r.output(), 0, r.exitCode());
            // The accepted login registered this AAA server at the HSS (SAR REGISTRATION from access-session).
            assertTrue("SAR REGISTRATION seen at the HSS", awaitRegistration("001010000000002", true));

            long rta = hss.sendRegistrationTermination("001010000000002").toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertEquals("RTA Result-Code", 2001L, rta);

            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            das.receive(p);
            byte[] bytes = Arrays.copyOf(p.getData(), p.getLength());
            RadiusPacket disconnect = RadiusPacket.decode(bytes);
            assertEquals(RadiusCode.DISCONNECT_REQUEST, disconnect.code());
            assertEquals(identity, disconnect.string(RadiusDictionary.USER_NAME).orElse(null));
            assertEquals("02-00-00-00-00-02".toLowerCase(), disconnect.string(RadiusDictionary.CALLING_STATION_ID)
                    .orElse("").toLowerCase().replace(':', '-'));
            // Signed with the client group's secret (RFC 5176 Request Authenticator).
            assertTrue(RadiusAuthenticators.verifySignedRequestAuthenticator(bytes,
                    OpenTwagDistribution.SECRET.getBytes(StandardCharsets.UTF_8)));
        } finally {
            Files.deleteIfExists(conf);
        }
    }

    @Test
    public void anRtrForASubscriberNeverSeenHereIsUserUnknown() throws Exception {
        // No login of this IMSI in any IT: no client row, no registration (TS 29.273 8.1.2.2).
        long rta = hss.sendRegistrationTermination("001010000000098").toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals("RTA Experimental-Result DIAMETER_ERROR_USER_UNKNOWN", 5001L, rta);
    }

    @Test
    public void anAcceptedLoginRegistersAtTheHssAndTheAccountingStopDeregisters() throws Exception {
        String imsi = "001010000000004";
        String identity = "0" + imsi + Eapol.REALM;
        ExternalTool.Result r = Eapol.akaWithin(30_000, imsi, "-M", "02:00:00:00:00:04");
        assertEquals(r.output(), 0, r.exitCode());
        assertTrue("SAR REGISTRATION seen at the HSS", awaitRegistration(imsi, true));

        // The AP (eapol_test's NAS-IP-Address) reports the end of the phone's session.
        String stop = "Acct-Status-Type = Stop\nAcct-Session-Id = \"REG-IT-" + System.nanoTime() + "\"\n"
                + "User-Name = \"" + identity + "\"\nNAS-IP-Address = 127.0.0.1\n"
                + "Calling-Station-Id = \"02-00-00-00-00-04\"\nAcct-Session-Time = 60\nAcct-Terminate-Cause = 1\n";
        ExternalTool.Result acct = ExternalTool.accountingRequest(OpenTwagDistribution.SECRET, stop);
        assertEquals(acct.output(), 0, acct.exitCode());
        assertTrue("SAR USER_DEREGISTRATION seen at the HSS", awaitRegistration(imsi, false));
        // The HSS notes the deregistration before its SAA is back and counted here: wait for the count, bounded.
        String deregistered = "hss_registration_count{kind=\"deregister\",result=\"ok\"}";
        long deadline = System.currentTimeMillis() + 10_000;
        while (Metrics.scrape().getOrDefault(deregistered, 0.0) < 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(deregistered + " stayed 0", Metrics.scrape().getOrDefault(deregistered, 0.0) >= 1);
    }

    /** The SAR is sent after the Access-Accept, off the request path: wait (bounded) for the HSS to see it. */
    private boolean awaitRegistration(String imsi, boolean registered) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (hss.registeredAt(imsi).isPresent() == registered) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
