package org.opentwag.milenage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.api.vectors.AuthVector;

/**
 * Cross-check with an independent Milenage AuC: hostapd's hlr_auc_gw (lab README). Its vectors must be accepted
 * by our USIM side and rebuilt bit for bit by our AuC side; our USIM's AUTS must resynchronise it. Skipped when the
 * binary is not installed (path: system property opentwag.hlr_auc_gw, default ~/.cache/opentwag/bin/hlr_auc_gw).
 */
class HostapdHlrAucGwTest {

    private static final String IMSI = "001010000000001";
    private static final String KI = "465b5ce8b199b49faa5f0a2ee238a6bc";
    private static final String OPC = "cd63cb71954a9f4e48a5994e37a02baf";
    private static final HexFormat HEX = HexFormat.of();
    private static Path binary;

    @TempDir
    Path dir;

    @BeforeAll
    static void findBinary() {
        binary = Path.of(System.getProperty("opentwag.hlr_auc_gw",
                System.getProperty("user.home") + "/.cache/opentwag/bin/hlr_auc_gw"));
        assumeTrue(Files.isExecutable(binary), "hlr_auc_gw not installed at " + binary);
    }

    private Path database(String sqn) throws IOException {
        return Files.writeString(dir.resolve("milenage.db"), IMSI + " " + KI + " " + OPC + " 8000 " + sqn + "\n");
    }

    private static String run(Path db, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-m", db.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("hlr_auc_gw finished").isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
    }

    /** AKA-RESP-AUTH imsi rand autn ik ck res */
    private static String[] requestVector(Path db) throws Exception {
        String out = run(db, "AKA-REQ-AUTH " + IMSI);
        String[] f = out.split(" ");
        assertThat(f).as(out).hasSize(7);
        assertThat(f[0]).isEqualTo("AKA-RESP-AUTH");
        return f;
    }

    @Test
    void ourUsimAcceptsItsVectorsAndOurAucRebuildsThem() throws Exception {
        String[] f = requestVector(database("000000000020"));
        byte[] rand = HEX.parseHex(f[2]);
        byte[] autn = HEX.parseHex(f[3]);
        UsimSimulator usim = new UsimSimulator(HEX.parseHex(KI), HEX.parseHex(OPC), 0x20);
        UsimSimulator.Answer a = usim.authenticate(rand, autn);
        assertThat(a).isInstanceOf(UsimSimulator.Answer.Success.class);
        UsimSimulator.Answer.Success ok = (UsimSimulator.Answer.Success) a;
        assertThat(ok.ik()).isEqualTo(HEX.parseHex(f[4]));
        assertThat(ok.ck()).isEqualTo(HEX.parseHex(f[5]));
        assertThat(ok.res()).isEqualTo(HEX.parseHex(f[6]));
        // hlr_auc_gw advances SEQ and IND by one each (IND 5 bits): 0x20 -> 0x41.
        assertThat(usim.highestSqn()).isEqualTo(0x41);

        AuthVector ours = AuthenticationCentre.vector(HEX.parseHex(KI), HEX.parseHex(OPC), HEX.parseHex("8000"), rand,
                usim.highestSqn());
        assertThat(ours.autn()).isEqualTo(autn);
        assertThat(ours.xres()).isEqualTo(HEX.parseHex(f[6]));
        assertThat(ours.ck()).isEqualTo(HEX.parseHex(f[5]));
        assertThat(ours.ik()).isEqualTo(HEX.parseHex(f[4]));
    }

    @Test
    void ourAutsResynchronisesIt() throws Exception {
        Path db = database("000000000020");
        String[] f = requestVector(db);
        byte[] rand = HEX.parseHex(f[2]);
        long usimSqn = 0x000012345660L;
        UsimSimulator.Answer a = new UsimSimulator(HEX.parseHex(KI), HEX.parseHex(OPC), usimSqn)
                .authenticate(rand, HEX.parseHex(f[3]));
        assertThat(a).isInstanceOf(UsimSimulator.Answer.SyncFailure.class);
        byte[] auts = ((UsimSimulator.Answer.SyncFailure) a).auts();
        assertThat(AuthenticationCentre.verifyAuts(HEX.parseHex(KI), HEX.parseHex(OPC), rand, auts)).isEqualTo(usimSqn);

        byte[] forged = Arrays.copyOf(auts, 14);
        forged[13] ^= 1;
        assertThat(run(db, "-u", "AKA-AUTS " + IMSI + " " + HEX.formatHex(forged) + " " + f[2]))
                .contains("Incorrect MAC-S");
        assertThat(AuthenticationCentre.verifyAuts(HEX.parseHex(KI), HEX.parseHex(OPC), rand, forged)).isEqualTo(-1);

        // -u writes its SQN back to the file on exit: it must have taken SQN_MS from our AUTS.
        run(db, "-u", "AKA-AUTS " + IMSI + " " + HEX.formatHex(auts) + " " + f[2]);
        String[] line = Files.readString(db).strip().split("\\s+");
        assertThat(Long.parseLong(line[4], 16)).isEqualTo(usimSqn);
    }
}
