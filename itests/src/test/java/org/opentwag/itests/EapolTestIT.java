package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

/**
 * End to end through the running distribution with a real EAP peer we did not write: wpa_supplicant's eapol_test
 * with its simulated Milenage USIM, playing both the phone and the access point. The subscribers are those of
 * etc/hss-subscribers.csv in the test distribution (itests/src/test/resources/hss-subscribers.csv).
 */
public class EapolTestIT extends InsideDistribution.WithLinksOpen {

    public static final String KI = "465b5ce8b199b49faa5f0a2ee238a6bc";
    public static final String OPC = "cd63cb71954a9f4e48a5994e37a02baf";
    public static final String REALM = "@wlan.mnc001.mcc001.3gppnetwork.org";

    private static ExternalTool.Result eapolTest(String method, String identity, String password,
                                                 String... extra) throws Exception {
        return eapolTestWith(method, identity, password, "", extra);
    }

    /** Runs eapol_test with extra network-block lines (e.g. phase1, anonymous_identity). */
    private static ExternalTool.Result eapolTestWith(String method, String identity, String password,
                                                     String networkLines, String... extra) throws Exception {
        return Eapol.fromAccessPoint(method, identity, password, networkLines, extra);
    }

    private static void assertAuthenticated(ExternalTool.Result r) {
        assertEquals(r.output(), 0, r.exitCode());
        assertTrue(r.output(), r.output().contains("SUCCESS"));
        // eapol_test compares the MSK it derived with the MS-MPPE keys of the Access-Accept.
        assertTrue(r.output(), r.output().matches("(?s).*MPPE keys OK: [1-9][0-9]*  mismatch: 0.*"));
    }

    @Test
    public void eapAkaAuthenticatesWithMatchingKeys() throws Exception {
        assertAuthenticated(eapolTest("AKA", "0001010000000001" + REALM, KI + ":" + OPC + ":000000000020"));
    }

    @Test
    public void eapAkaPrimeAuthenticatesWithMatchingKeys() throws Exception {
        assertAuthenticated(eapolTest("AKA'", "6001010000000001" + REALM, KI + ":" + OPC + ":000000000020"));
    }

    @Test
    public void eapKeyNameIsReturnedWhenAsked() throws Exception {
        ExternalTool.Result r = eapolTest("AKA", "0001010000000001" + REALM, KI + ":" + OPC + ":000000000020", "-e");
        assertAuthenticated(r);
        assertTrue(r.output(), r.output().contains("Locally derived EAP Session-Id matches EAP-Key-Name from server"));
    }

    @Test
    public void aWrongKiIsRejected() throws Exception {
        ExternalTool.Result r = eapolTest("AKA", "0001010000000002" + REALM,
                "00112233445566778899aabbccddeeff:" + OPC + ":000000000020");
        assertNotEquals(r.output(), 0, r.exitCode());
        assertTrue(r.output(), r.output().contains("Generating EAP-AKA Authentication-Reject"));
        assertTrue(r.output(), r.output().contains("FAILURE"));
    }

    @Test
    public void anSqnAheadInTheUsimIsResynchronised() throws Exception {
        // The USIM has seen a far higher SQN than the HSS's file says: it answers Synchronization-Failure with
        // AT_AUTS, the TWAG resynchronises the HSS, and the second challenge succeeds.
        ExternalTool.Result r = eapolTest("AKA", "0001010000000003" + REALM, KI + ":" + OPC + ":0000ff000000");
        assertAuthenticated(r);
        assertTrue(r.output(), r.output().contains("Generating EAP-AKA Synchronization-Failure"));
    }

    @Test
    public void fastReauthenticationRepeats() throws Exception {
        ExternalTool.Result r = eapolTest("AKA", "0001010000000004" + REALM, KI + ":" + OPC + ":000000000020",
                "-r", "2");
        assertAuthenticated(r);
        assertTrue(r.output(), r.output().contains("MPPE keys OK: 3  mismatch: 0"));
        assertTrue(r.output(), r.output().contains("Generating EAP-AKA Reauthentication"));
    }

    @Test
    public void protectedSuccessIndicationIsHonoured() throws Exception {
        // result_ind=1: the peer asks for AKA-Notification "Success" protected by AT_MAC before EAP-Success.
        ExternalTool.Result r = eapolTestWith("AKA", "0001010000000001" + REALM, KI + ":" + OPC + ":000000000020",
                "  phase1=\"result_ind=1\"\n");
        assertAuthenticated(r);
        assertTrue(r.output(), r.output().contains("EAP-AKA: subtype Notification"));
    }

    @Test
    public void anUnknownReauthIdentityLeadsToAnIdentityRoundProtectedByCheckcode() throws Exception {
        // The phone first offers a fast re-auth identity we do not know: we ask for its full identity
        // (AT_FULLAUTH_ID_REQ), and AT_CHECKCODE in the challenge covers that round.
        ExternalTool.Result r = eapolTestWith("AKA'", "6001010000000001" + REALM, KI + ":" + OPC + ":000000000020",
                "  anonymous_identity=\"8deadbeef" + REALM + "\"\n");
        assertAuthenticated(r);
        assertTrue(r.output(), r.output().contains("AT_FULLAUTH_ID_REQ"));
        assertTrue(r.output(), r.output().contains("AT_CHECKCODE"));
    }

    @Test
    public void theLogNeverHoldsSecretsOrKeys() throws Exception {
        ExternalTool.Result r = eapolTest("AKA", "0001010000000001" + REALM, KI + ":" + OPC + ":000000000020");
        assertAuthenticated(r);
        List<String> secrets = new ArrayList<>(List.of(KI, OPC, OpenTwagDistribution.SECRET));
        // The keys this very authentication produced, as the peer printed them: CK, IK, RES, MSK halves.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(?:EAP-AKA: (?:CK|IK|RES)|MS-MPPE-(?:Send|Recv)-Key \\((?:sign|crypt)\\)) - hexdump\\(len=\\d+\\): ([0-9a-f ]+)")
                .matcher(r.output());
        int found = 0;
        while (m.find()) {
            String spaced = m.group(1).trim();
            secrets.add(spaced);
            secrets.add(spaced.replace(" ", ""));
            found++;
        }
        assertTrue("expected CK, IK and both MPPE keys in eapol_test's output", found >= 4);
        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        String text = Files.readString(log, StandardCharsets.UTF_8).toLowerCase();
        for (String secret : secrets) {
            assertTrue("the log contains a secret or key: " + secret.substring(0, 6) + "...",
                    !text.contains(secret.toLowerCase()));
        }
    }

    @Test
    public void everyDiameterPacketDecodesInTsharkAndTheVectorsCameOverSwx() throws Exception {
        int port = OpenTwagDistribution.HSS_PORT;
        try (ExternalTool.Capture capture = new ExternalTool.Capture("tcp port " + port,
                List.of("tcp.port==" + port + ",diameter"), 60)) {
            assertAuthenticated(eapolTest("AKA", "0001010000000001" + REALM, KI + ":" + OPC + ":000000000020"));
            assertAuthenticated(eapolTest("AKA'", "6001010000000001" + REALM, KI + ":" + OPC + ":000000000020"));
            List<String> result = capture.stopAndCheck();
            String all = result.get(0);
            // MAR/MAA (cmd 303) for both schemes and SAR/SAA (cmd 301) after success, decoded by Wireshark's SWx dictionary.
            assertTrue("no MAR/MAA decoded: " + all, all.contains("cmd=Multimedia-Auth"));
            assertTrue("no SAR/SAA decoded: " + all, all.contains("cmd=Server-Assignment"));
            assertEquals("malformed or error packets:\n" + result.get(1), "", result.get(1).lines()
                    .filter(l -> !l.contains("Running as user")).collect(java.util.stream.Collectors.joining("\n")));
        }
    }

    @Test
    public void everyRadiusPacketDecodesInTsharkWithoutMalformedFields() throws Exception {
        int port = OpenTwagDistribution.AUTH_PORT;
        try (ExternalTool.Capture capture = new ExternalTool.Capture("udp port " + port,
                List.of("udp.port==" + port + ",radius"), 60)) {
            assertAuthenticated(eapolTest("AKA", "0001010000000001" + REALM, KI + ":" + OPC + ":000000000020", "-e"));
            assertAuthenticated(eapolTest("AKA'", "6001010000000001" + REALM, KI + ":" + OPC + ":000000000020"));
            List<String> result = capture.stopAndCheck();
            String all = result.get(0);
            assertTrue("captured: " + all, all.contains("Access-Challenge") && all.contains("Access-Accept"));
            assertTrue("Wireshark found no EAP-AKA/AKA' inside RADIUS: " + all,
                    result.get(2).lines().filter(l -> l.contains("RADIUS")).count() >= 4);
            assertEquals("malformed or error packets:\n" + result.get(1), "", result.get(1).lines()
                    .filter(l -> !l.contains("Running as user")).collect(java.util.stream.Collectors.joining("\n")));
        }
    }
}
