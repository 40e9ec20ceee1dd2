package org.opentwag.vectors.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.api.vectors.VectorSourceException;
import org.opentwag.milenage.AkaPrimeKeys;
import org.opentwag.milenage.UsimSimulator;
import org.opentwag.vectors.local.internal.LocalVectorSource;
import org.opentwag.vectors.local.subscribers.SubscriberDatabase;

class LocalVectorSourceTest {

    // TS 35.208 test set 1 K and OPc.
    static final String KI = "465b5ce8b199b49faa5f0a2ee238a6bc";
    static final String OPC = "cd63cb71954a9f4e48a5994e37a02baf";
    static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    private Path csv(String... lines) throws Exception {
        Path f = dir.resolve("hss-subscribers.csv");
        Files.writeString(f, "imsi,ki,opc,amf,sqn\n" + String.join("\n", lines) + "\n");
        return f;
    }

    private static AuthVector fetch(LocalVectorSource s, String imsi, AuthScheme scheme) {
        return s.fetch(new VectorRequest(imsi, scheme, "WLAN")).toCompletableFuture().join();
    }

    @Test
    void vectorsAreAcceptedByAnIndependentUsimAndSqnAdvances() throws Exception {
        SubscriberDatabase db = new SubscriberDatabase(csv("001010000000001," + KI + "," + OPC + ",8000,000000000020"),
                dir.resolve("sqn.properties"));
        LocalVectorSource source = new LocalVectorSource(db, 0);
        UsimSimulator usim = new UsimSimulator(HEX.parseHex(KI), HEX.parseHex(OPC), 0x20);
        for (int i = 0; i < 3; i++) {
            AuthVector v = fetch(source, "001010000000001", AuthScheme.EAP_AKA);
            UsimSimulator.Answer a = usim.authenticate(v.rand(), v.autn());
            assertThat(a).isInstanceOf(UsimSimulator.Answer.Success.class);
            UsimSimulator.Answer.Success ok = (UsimSimulator.Answer.Success) a;
            assertThat(ok.res()).isEqualTo(v.xres());
            assertThat(ok.ck()).isEqualTo(v.ck());
            assertThat(ok.ik()).isEqualTo(v.ik());
        }
        assertThat(usim.highestSqn()).isEqualTo(0x20 + 3 * SubscriberDatabase.SQN_STEP);
    }

    @Test
    void akaPrimeVectorsCarryCkIkPrimeBoundToTheNetworkName() throws Exception {
        SubscriberDatabase db = new SubscriberDatabase(csv("001010000000001," + KI + "," + OPC + ",8000,000000000020"),
                dir.resolve("sqn.properties"));
        LocalVectorSource source = new LocalVectorSource(db, 0);
        AuthVector v = fetch(source, "001010000000001", AuthScheme.EAP_AKA_PRIME);
        UsimSimulator.Answer.Success ok = (UsimSimulator.Answer.Success)
                new UsimSimulator(HEX.parseHex(KI), HEX.parseHex(OPC), 0).authenticate(v.rand(), v.autn());
        byte[][] expected = AkaPrimeKeys.deriveCkIkPrime(ok.ck(), ok.ik(), "WLAN", Arrays.copyOfRange(v.autn(), 0, 6));
        assertThat(v.ck()).isEqualTo(expected[0]);
        assertThat(v.ik()).isEqualTo(expected[1]);
        assertThat(v.ck()).isNotEqualTo(ok.ck());
    }

    @Test
    void resynchronisationFollowsTheUsim() throws Exception {
        SubscriberDatabase db = new SubscriberDatabase(csv("001010000000003," + KI + "," + OPC + ",8000,000000000020"),
                dir.resolve("sqn.properties"));
        LocalVectorSource source = new LocalVectorSource(db, 0);
        UsimSimulator usim = new UsimSimulator(HEX.parseHex(KI), HEX.parseHex(OPC), 0xff000000L);
        AuthVector stale = fetch(source, "001010000000003", AuthScheme.EAP_AKA);
        UsimSimulator.Answer a = usim.authenticate(stale.rand(), stale.autn());
        assertThat(a).isInstanceOf(UsimSimulator.Answer.SyncFailure.class);
        byte[] auts = ((UsimSimulator.Answer.SyncFailure) a).auts();
        AuthVector fresh = source.resynchronize(new VectorRequest("001010000000003", AuthScheme.EAP_AKA, null),
                stale.rand(), auts).toCompletableFuture().join();
        assertThat(usim.authenticate(fresh.rand(), fresh.autn())).isInstanceOf(UsimSimulator.Answer.Success.class);

        byte[] forged = auts.clone();
        forged[10] ^= 1;
        assertThatThrownBy(() -> source.resynchronize(new VectorRequest("001010000000003", AuthScheme.EAP_AKA, null),
                stale.rand(), forged).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(VectorSourceException.class)
                .satisfies(e -> assertThat(((VectorSourceException) e).reason())
                        .isEqualTo(VectorSourceException.Reason.RESYNC_FAILED));
    }

    @Test
    void anUnknownImsiIsUserUnknown() throws Exception {
        LocalVectorSource source = new LocalVectorSource(new SubscriberDatabase(csv(), dir.resolve("s")), 0);
        assertThatThrownBy(() -> fetch(source, "001019999999999", AuthScheme.EAP_AKA)).cause()
                .isInstanceOf(VectorSourceException.class)
                .satisfies(e -> assertThat(((VectorSourceException) e).reason())
                        .isEqualTo(VectorSourceException.Reason.USER_UNKNOWN));
    }

    @Test
    void aRestartNeverReissuesAnSqn() throws Exception {
        Path file = csv("001010000000001," + KI + "," + OPC + ",8000,000000000020");
        Path state = dir.resolve("sqn.properties");
        UsimSimulator usim = new UsimSimulator(HEX.parseHex(KI), HEX.parseHex(OPC), 0x20);
        for (int i = 0; i < 3; i++) {
            LocalVectorSource source = new LocalVectorSource(new SubscriberDatabase(file, state), 0);
            for (int j = 0; j < 5; j++) {
                AuthVector v = fetch(source, "001010000000001", AuthScheme.EAP_AKA);
                // Every vector after a restart is still fresh for a USIM that accepted all earlier ones.
                assertThat(usim.authenticate(v.rand(), v.autn())).isInstanceOf(UsimSimulator.Answer.Success.class);
            }
        }
    }

    @Test
    void badLinesAreSkippedAndChangesAreReloaded() throws Exception {
        Path file = csv("001010000000001," + KI + "," + OPC + ",8000,000000000020",
                "00101000000000x," + KI + "," + OPC + ",8000,0",
                "001010000000002,abcd," + OPC + ",8000,0",
                "001010000000003," + KI + "," + OPC + ",8000");
        SubscriberDatabase db = new SubscriberDatabase(file, dir.resolve("s"));
        assertThat(db.size()).isEqualTo(1);
        assertThat(db.find("001010000000001")).isPresent();

        Files.writeString(file, "imsi,ki,opc,amf,sqn\n001010000000009," + KI + "," + OPC + ",8000,0\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertThat(db.reloadIfChanged()).isTrue();
        assertThat(db.find("001010000000001")).isEmpty();
        assertThat(db.find("001010000000009")).isPresent();
        assertThat(db.find("001010000000009").get().toString()).doesNotContain(KI);
    }
}
