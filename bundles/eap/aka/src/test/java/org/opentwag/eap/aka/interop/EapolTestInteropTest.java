package org.opentwag.eap.aka.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opentwag.eap.engine.EapolTestBench.assertSucceeded;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.eap.aka.method.AkaAuthenticator;
import org.opentwag.eap.aka.method.AkaStatistics;
import org.opentwag.eap.engine.EapMethodRegistry;
import org.opentwag.eap.engine.EapolTestBench;
import org.opentwag.milenage.AkaPrimeKeys;
import org.opentwag.milenage.AuthenticationCentre;
import org.opentwag.state.memory.InMemoryStateStore;

/**
 * Our EAP-AKA/AKA' server against a peer we did not write: wpa_supplicant 2.10's eapol_test with its simulated
 * Milenage USIM (strict about AT_MAC coverage, AT_CHECKCODE, AT_KDF_INPUT, AT_BIDDING), through the EAP engine and
 * a minimal RADIUS responder on loopback ({@link EapolTestBench}). Skipped when eapol_test is not installed (see
 * shared/lab/README.md).
 */
class EapolTestInteropTest {

    static final String KI = "465b5ce8b199b49faa5f0a2ee238a6bc";
    static final String OPC = "cd63cb71954a9f4e48a5994e37a02baf";
    static final String REALM = "@wlan.mnc001.mcc001.3gppnetwork.org";

    /** An HSS for the one subscriber: SQN counts up from 0x100 and follows AUTS. */
    static final class Hss implements AuthVectorSource {
        long sqn = 0x100;
        int resyncs;

        @Override
        public synchronized CompletionStage<AuthVector> fetch(VectorRequest r) {
            sqn += 32;
            byte[] rand = new byte[16];
            new java.security.SecureRandom().nextBytes(rand);
            byte[] k = java.util.HexFormat.of().parseHex(KI);
            byte[] opc = java.util.HexFormat.of().parseHex(OPC);
            AuthVector v = AuthenticationCentre.vector(k, opc, new byte[]{(byte) 0x80, 0}, rand, sqn);
            if (r.scheme() == AuthScheme.EAP_AKA_PRIME) {
                byte[][] prime = AkaPrimeKeys.deriveCkIkPrime(v.ck(), v.ik(), r.accessNetworkName(),
                        Arrays.copyOf(v.autn(), 6));
                v = new AuthVector(v.rand(), v.autn(), v.xres(), prime[0], prime[1]);
            }
            return CompletableFuture.completedFuture(v);
        }

        @Override
        public synchronized CompletionStage<AuthVector> resynchronize(VectorRequest r, byte[] rand, byte[] auts) {
            resyncs++;
            long sqnMs = AuthenticationCentre.verifyAuts(java.util.HexFormat.of().parseHex(KI),
                    java.util.HexFormat.of().parseHex(OPC), rand, auts);
            if (sqnMs >= 0) {
                sqn = sqnMs;
            }
            return fetch(r);
        }
    }

    Hss hss;
    EapolTestBench bench;

    @BeforeEach
    void start() throws IOException {
        EapolTestBench.assumeInstalled();
        hss = new Hss();
        InMemoryStateStore store = new InMemoryStateStore(1000);
        EapMethodRegistry registry = new EapMethodRegistry();
        AkaStatistics stats = new AkaStatistics();
        for (boolean prime : new boolean[]{false, true}) {
            AkaAuthenticator auth = new AkaAuthenticator(new AkaAuthenticator.Settings(prime, "WLAN", true, true, true,
                    16, Duration.ofHours(1), "", true, "swx"), () -> hss, () -> store, stats);
            registry.add(auth);
        }
        registry.preference(List.of(50, 23));
        bench = EapolTestBench.start(registry, store);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (bench != null) {
            bench.close();
        }
    }

    private String eapolTest(String method, String identity, String sqn, String networkLines, String... extra)
            throws Exception {
        return bench.eapolTest("  eap=" + method + "\n  identity=\"" + identity + "\"\n  password=\"" + KI + ":" + OPC
                + ":" + sqn + "\"\n" + networkLines, extra);
    }

    @Test
    void eapAka() throws Exception {
        String log = eapolTest("AKA", "0001010000000001" + REALM, "000000000020", "");
        assertSucceeded(log, 1);
        assertThat(log).contains("EAP-AKA: (encr) AT_NEXT_PSEUDONYM").contains("EAP-AKA: (encr) AT_NEXT_REAUTH_ID");
    }

    @Test
    void eapAkaPrime() throws Exception {
        assertSucceeded(eapolTest("AKA'", "6001010000000001" + REALM, "000000000020", ""), 1);
    }

    @Test
    void protectedResultIndication() throws Exception {
        String log = eapolTest("AKA", "0001010000000001" + REALM, "000000000020", "  phase1=\"result_ind=1\"\n");
        assertSucceeded(log, 1);
        assertThat(log).contains("subtype Notification");
    }

    @Test
    void fastReauthenticationTwiceForBothMethods() throws Exception {
        String aka = eapolTest("AKA", "0001010000000001" + REALM, "000000000020", "", "-r", "2");
        assertSucceeded(aka, 3);
        assertThat(aka).contains("Reauthentication");
        assertSucceeded(eapolTest("AKA'", "6001010000000001" + REALM, "000000000020", "", "-r", "2"), 3);
    }

    @Test
    void resynchronisation() throws Exception {
        String log = eapolTest("AKA", "0001010000000001" + REALM, "0000ff000000", "");
        assertSucceeded(log, 1);
        assertThat(hss.resyncs).isEqualTo(1);
    }

    @Test
    void identityRoundWithCheckcode() throws Exception {
        String log = eapolTest("AKA'", "6001010000000001" + REALM, "000000000020",
                "  anonymous_identity=\"8deadbeef" + REALM + "\"\n");
        assertSucceeded(log, 1);
        assertThat(log).contains("AT_FULLAUTH_ID_REQ").contains("AT_CHECKCODE");
    }
}
