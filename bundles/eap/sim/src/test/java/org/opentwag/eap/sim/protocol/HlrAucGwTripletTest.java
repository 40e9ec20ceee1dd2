package org.opentwag.eap.sim.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.milenage.Milenage;

/**
 * Cross-check with hostapd's hlr_auc_gw, an independent GSM-Milenage AuC (TS 55.205, as hostapd's EAP-SIM server
 * uses it): for each RAND it picks, its SRES and Kc equal c2/c3 of our Milenage quintuplet for the same Ki/OPc/RAND.
 * Keys: the first default subscriber of etc/hss-subscribers.csv. Skipped when the binary is not installed (system
 * property opentwag.hlr_auc_gw, default ~/.cache/opentwag/bin/hlr_auc_gw).
 */
class HlrAucGwTripletTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String IMSI = "001010000000001";
    private static final String KI = "465b5ce8b199b49faa5f0a2ee238a6bc";
    private static final String OPC = "cd63cb71954a9f4e48a5994e37a02baf";

    @TempDir
    Path dir;

    @Test
    void itsTripletsAreOurConversionOfOurQuintuplets() throws Exception {
        Path binary = Path.of(System.getProperty("opentwag.hlr_auc_gw",
                System.getProperty("user.home") + "/.cache/opentwag/bin/hlr_auc_gw"));
        assumeTrue(Files.isExecutable(binary), "hlr_auc_gw not installed at " + binary);
        Path db = Files.writeString(dir.resolve("milenage.db"), IMSI + " " + KI + " " + OPC + " 8000 000000000020\n");
        Process p = new ProcessBuilder(binary.toString(), "-m", db.toString(), "SIM-REQ-AUTH " + IMSI + " 3")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        // SIM-RESP-AUTH <IMSI> Kc:SRES:RAND Kc:SRES:RAND Kc:SRES:RAND
        String[] f = out.split(" ");
        assertThat(f).as(out).hasSize(5);
        assertThat(f[0]).isEqualTo("SIM-RESP-AUTH");
        Milenage milenage = new Milenage(HEX.parseHex(KI), HEX.parseHex(OPC));
        for (int i = 2; i < 5; i++) {
            String[] t = f[i].split(":");
            byte[] rand = HEX.parseHex(t[2]);
            Milenage.Output q = milenage.f2345(rand);
            GsmTriplet ours = GsmTriplet.of(new AuthVector(rand, new byte[16], q.res(), q.ck(), q.ik()));
            assertThat(HEX.formatHex(ours.kc())).as("Kc for RAND %s", t[2]).isEqualTo(t[0]);
            assertThat(HEX.formatHex(ours.sres())).as("SRES for RAND %s", t[2]).isEqualTo(t[1]);
        }
    }
}
