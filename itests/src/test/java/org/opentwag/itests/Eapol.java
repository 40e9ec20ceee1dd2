package org.opentwag.itests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

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
        return conversation(ExternalTool.eapolTest(), network(method, identity, KI + ":" + OPC + ":" + sqn, ""), 60,
                List.of("-a", "127.0.0.1", "-p", String.valueOf(authPort), "-s", secret, "-t", "10"), extra);
    }

    /**
     * As the test distribution's access point (its MAC as Calling-Station-Id, its BSSID and SSID as
     * Called-Station-Id): a network block of {@link #network}, eapol_test's options {@code extra}.
     */
    static ExternalTool.Result fromAccessPoint(String method, String identity, String password, String networkLines,
                                               String... extra) throws Exception {
        return conversation(ExternalTool.eapolTest(), network(method, identity, password, networkLines), 60,
                List.of("-a", "127.0.0.1", "-p", String.valueOf(OpenTwagDistribution.AUTH_PORT),
                        "-s", OpenTwagDistribution.SECRET, "-t", "10",
                        "-M", "86:81:69:a7:b4:b2", "-N", "30:s:64-D9-89-1D-A4-20:OpenTWAG"), extra);
    }

    /**
     * The body of a WPA-EAP network block: the EAP method, the identity (NAI), the password (the SIM's or USIM's
     * "Ki:OPc" or "Ki:OPc:SQN"), then {@code moreLines} as they are (e.g. phase1, anonymous_identity, imsi_privacy_cert).
     */
    static String network(String method, String identity, String password, String moreLines) {
        return "  ssid=\"test\"\n  key_mgmt=WPA-EAP\n  eap=" + method + "\n  identity=\"" + identity + "\"\n"
                + "  password=\"" + password + "\"\n" + moreLines;
    }

    /**
     * One run of the eapol_test binary {@code binary} with a configuration file of one network block
     * ({@link #network}), the options, then {@code extra}; killed after {@code seconds}.
     */
    static ExternalTool.Result conversation(String binary, String network, long seconds, List<String> options,
                                            String... extra) throws Exception {
        Path conf = Files.createTempFile("eapol", ".conf");
        try {
            Files.writeString(conf, "network={\n" + network + "}\n", StandardCharsets.US_ASCII);
            List<String> cmd = new ArrayList<>(List.of(binary, "-c", conf.toString()));
            cmd.addAll(options);
            cmd.addAll(Arrays.asList(extra));
            return ExternalTool.run(cmd, null, seconds);
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
        return within(millis, 500, () -> aka(imsi, extra));
    }

    /** A run of eapol_test, repeated {@code pauseMillis} apart until one succeeds or {@code millis} passed: the last. */
    static ExternalTool.Result within(long millis, long pauseMillis, Callable<ExternalTool.Result> attempt)
            throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        ExternalTool.Result r;
        do {
            r = attempt.call();
            if (r.succeeded()) {
                return r;
            }
            Thread.sleep(pauseMillis);
        } while (System.currentTimeMillis() < deadline);
        return r;
    }
}
