package org.opentwag.itests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A phone and its access point in one: wpa_supplicant's eapol_test with its Milenage USIM simulator, pointed at the
 * test distribution. Every subscriber of itests' hss-subscribers.csv has the same Ki/OPc.
 */
final class Eapol {

    static final String KI = "465b5ce8b199b49faa5f0a2ee238a6bc";
    static final String OPC = "cd63cb71954a9f4e48a5994e37a02baf";
    static final String REALM = "@wlan.mnc001.mcc001.3gppnetwork.org";

    private Eapol() {
    }

    /** One eapol_test run: method AKA or AKA', the NAI, the USIM's SQN (hex), extra eapol_test options. */
    static ExternalTool.Result run(String method, String identity, String sqn, String... extra) throws Exception {
        return runAt(OpenTwagDistribution.AUTH_PORT, OpenTwagDistribution.SECRET, method, identity, sqn, extra);
    }

    /** The same against another server (a {@link StandaloneDistribution}): its RADIUS port and secret. */
    static ExternalTool.Result runAt(int authPort, String secret, String method, String identity, String sqn,
                                     String... extra) throws Exception {
        Path conf = Files.createTempFile("eapol", ".conf");
        try {
            Files.writeString(conf, "network={\n  ssid=\"test\"\n  key_mgmt=WPA-EAP\n  eap=" + method + "\n"
                    + "  identity=\"" + identity + "\"\n  password=\"" + KI + ":" + OPC + ":" + sqn + "\"\n}\n",
                    StandardCharsets.US_ASCII);
            List<String> cmd = new ArrayList<>(List.of(ExternalTool.eapolTest(), "-c", conf.toString(),
                    "-a", "127.0.0.1", "-p", String.valueOf(authPort), "-s", secret, "-t", "10"));
            cmd.addAll(Arrays.asList(extra));
            return ExternalTool.run(cmd, null, 60);
        } finally {
            Files.deleteIfExists(conf);
        }
    }

    /** EAP-AKA for a subscriber's permanent identity ("0" + IMSI + realm). */
    static ExternalTool.Result aka(String imsi, String... extra) throws Exception {
        return run("AKA", "0" + imsi + REALM, "000000000020", extra);
    }

    /** EAP-AKA, retried (bounded) while the SWx link to the HSS is still opening at boot or after a change. */
    static ExternalTool.Result akaWithin(long millis, String imsi, String... extra) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        ExternalTool.Result r;
        do {
            r = aka(imsi, extra);
            if (r.succeeded()) {
                return r;
            }
            Thread.sleep(500);
        } while (System.currentTimeMillis() < deadline);
        return r;
    }
}
