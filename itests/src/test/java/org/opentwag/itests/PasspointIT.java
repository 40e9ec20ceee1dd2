package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

/**
 * Passpoint end to end: the distribution generates the AP configuration with twag:passpoint from its own settings,
 * and Debian's hostapd, configured with nothing but that file (secret filled in as envsubst would, driver=none so no
 * radio is needed), parses it, comes up, and its Accounting-On reaches OpenTWAG and is answered: the generated file
 * points at the address, port and secret the TWAG really serves.
 */
public class PasspointIT {

    private static final int AUTH_PORT = 24812;
    private static final int ACCT_PORT = 24813;
    private static final int AP_DAS_PORT = 24799;
    private static final String SECRET = "passpoint-it-secret";

    private StandaloneDistribution karaf;

    @After
    public void stop() {
        if (karaf != null) {
            karaf.close();
        }
    }

    @Test
    public void generatedHostapdConfigurationTalksToTheTwag() throws Exception {
        File hostapd = new File("/usr/sbin/hostapd");
        assertTrue("hostapd is missing: run .ci/install-tools.sh", hostapd.canExecute());
        karaf = StandaloneDistribution.start("passpoint", AUTH_PORT, ACCT_PORT, SECRET, Map.of(
                "org.opentwag.passpoint.cfg:radiusAddress", "127.0.0.1",
                "org.opentwag.passpoint.cfg:secretReference", "env:AP_SECRET",
                "org.opentwag.radius.client-default.cfg:dasPort", String.valueOf(AP_DAS_PORT)));
        Path out = karaf.home().resolve("passpoint-out");
        ExternalTool.Result r = karaf.console("twag:passpoint all --out " + out, 60);
        assertTrue(r.output(), r.output().contains("No problems found"));
        for (String f : new String[] {"hostapd-passpoint.conf", "controller-passpoint.txt", "passpoint.config",
                "passpoint.mobileconfig"}) {
            assertTrue(f + " written:\n" + r.output(), Files.size(out.resolve(f)) > 100);
        }
        String fragment = Files.readString(out.resolve("hostapd-passpoint.conf"), StandardCharsets.UTF_8);
        assertFalse("the secret is never in a generated file", fragment.contains(SECRET));
        assertTrue(fragment, fragment.contains("auth_server_port=" + AUTH_PORT));
        assertTrue(fragment, fragment.contains("acct_server_port=" + ACCT_PORT));
        assertTrue(fragment, fragment.contains("radius_das_port=" + AP_DAS_PORT));
        assertTrue(fragment, fragment.contains("anqp_3gpp_cell_net=001,01"));

        // What an operator does on the AP: fill in the secret (envsubst) and add the radio lines.
        Path conf = karaf.home().resolve("hostapd.conf");
        Files.writeString(conf, "interface=otwagpp1\ndriver=none\n" + fragment.replace("${AP_SECRET}", SECRET));
        Path log = karaf.home().resolve("hostapd.out");
        Process p = new ProcessBuilder(hostapd.getPath(), "-dd", conf.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        String text = "";
        try {
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline && p.isAlive()) {
                text = Files.readString(log, StandardCharsets.UTF_8);
                if (text.contains("Accounting-Response")) {
                    break;
                }
                Thread.sleep(200);
            }
        } finally {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        text = Files.readString(log, StandardCharsets.UTF_8);
        assertFalse(text, text.contains("errors found in configuration file"));
        assertTrue(text, text.contains("AP-ENABLED"));
        assertTrue(text, text.contains("RADIUS Accounting server 127.0.0.1:" + ACCT_PORT));
        // hostapd's Accounting-On (Acct-Status-Type 7) was accepted: OpenTWAG verified the authenticator with the
        // secret and answered after recording it.
        assertTrue("OpenTWAG answered hostapd's Accounting-On:\n" + text, text.contains("Accounting-Response"));
        assertEquals(0, karaf.logText().lines().filter(l -> l.contains(SECRET)).count());
    }
}
