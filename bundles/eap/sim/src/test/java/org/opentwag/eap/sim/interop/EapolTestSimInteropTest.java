package org.opentwag.eap.sim.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opentwag.eap.engine.EapolTestBench.assertSucceeded;
import static org.opentwag.eap.engine.EapolTestBench.tail;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.eap.engine.EapMethodRegistry;
import org.opentwag.eap.engine.EapolTestBench;
import org.opentwag.eap.sim.method.SimAuthenticator;
import org.opentwag.eap.sim.method.SimStatistics;
import org.opentwag.eap.simaka.identity.IdentityStore;
import org.opentwag.milenage.AuthenticationCentre;
import org.opentwag.state.memory.InMemoryStateStore;

/**
 * Our EAP-SIM server against a peer we did not write: wpa_supplicant's eapol_test with its SIM simulator, which
 * computes GSM-Milenage (TS 55.205) from "Ki:OPc", through the EAP engine and a minimal RADIUS responder on loopback.
 * Our side only ever sees Milenage quintuplets (as from SWx) and converts them with c2/c3, so a success here means
 * the conversion, the key derivation and the protocol all agree with hostapd's peer ({@link EapolTestBench}). Skipped
 * when eapol_test is not installed (shared/lab/README.md).
 */
class EapolTestSimInteropTest {

    static final String KI = "465b5ce8b199b49faa5f0a2ee238a6bc";
    static final String OPC = "cd63cb71954a9f4e48a5994e37a02baf";
    static final String IDENTITY = "1001010000000001@wlan.mnc001.mcc001.3gppnetwork.org";

    /** An HSS for the one subscriber: Milenage quintuplets, as a MAR answer carries them. */
    static final class Hss implements AuthVectorSource {
        final AtomicInteger fetches = new AtomicInteger();
        long sqn = 0x100;

        @Override
        public synchronized CompletionStage<AuthVector> fetch(VectorRequest r) {
            assertThat(r.scheme()).isEqualTo(AuthScheme.EAP_AKA);
            fetches.incrementAndGet();
            sqn += 32;
            byte[] rand = new byte[16];
            new SecureRandom().nextBytes(rand);
            return CompletableFuture.completedFuture(AuthenticationCentre.vector(HexFormat.of().parseHex(KI),
                    HexFormat.of().parseHex(OPC), new byte[]{(byte) 0x80, 0}, rand, sqn));
        }

        @Override
        public CompletionStage<AuthVector> resynchronize(VectorRequest r, byte[] rand, byte[] auts) {
            throw new AssertionError("EAP-SIM never resynchronises");
        }
    }

    Hss hss;
    EapolTestBench bench;

    void startServer(int challenges) throws IOException {
        EapolTestBench.assumeInstalled();
        hss = new Hss();
        InMemoryStateStore store = new InMemoryStateStore(1000);
        SimAuthenticator sim = new SimAuthenticator(new SimAuthenticator.Settings(challenges, true, true, 16, "",
                true, "swx"), () -> hss, new IdentityStore(() -> store, Duration.ofHours(1)),
                new SimStatistics(name -> new LongAdder()));
        EapMethodRegistry registry = new EapMethodRegistry();
        registry.add(sim);
        bench = EapolTestBench.start(registry, store);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (bench != null) {
            bench.close();
        }
    }

    private String eapolTest(String password, String networkLines, String... extra) throws Exception {
        return bench.eapolTest("  eap=SIM\n  identity=\"" + IDENTITY + "\"\n  password=\"" + password + "\"\n"
                + networkLines, extra);
    }

    @Test
    void fullAuthenticationWithThreeRands() throws Exception {
        startServer(3);
        String log = eapolTest(KI + ":" + OPC, "");
        assertSucceeded(log, 1);
        assertThat(hss.fetches.get()).isEqualTo(3);
        assertThat(log).contains("EAP-SIM: (encr) AT_NEXT_PSEUDONYM").contains("EAP-SIM: (encr) AT_NEXT_REAUTH_ID");
    }

    @Test
    void fullAuthenticationWithTwoRands() throws Exception {
        startServer(2);
        assertSucceeded(eapolTest(KI + ":" + OPC, ""), 1);
        assertThat(hss.fetches.get()).isEqualTo(2);
    }

    @Test
    void fastReauthenticationTwice() throws Exception {
        startServer(3);
        String log = eapolTest(KI + ":" + OPC, "", "-r", "2");
        assertSucceeded(log, 3);
        assertThat(log).contains("subtype Reauthentication");
        assertThat(hss.fetches.get()).as("re-authentications take no vectors").isEqualTo(3);
    }

    @Test
    void protectedResultIndication() throws Exception {
        startServer(3);
        String log = eapolTest(KI + ":" + OPC, "  phase1=\"result_ind=1\"\n");
        assertSucceeded(log, 1);
        assertThat(log).contains("subtype Notification");
    }

    @Test
    void anUnknownReauthIdentityLeadsToAFullAuthenticationIdentityRequest() throws Exception {
        startServer(3);
        String log = eapolTest(KI + ":" + OPC, "  anonymous_identity=\"5deadbeef@wlan.mnc001.mcc001.3gppnetwork.org\"\n");
        assertSucceeded(log, 1);
        assertThat(log).contains("AT_FULLAUTH_ID_REQ");
    }

    @Test
    void wrongKiIsRejected() throws Exception {
        startServer(3);
        String log = eapolTest("00000000000000000000000000000000:" + OPC, "");
        assertThat(log).as(tail(log)).doesNotStartWith("exit=0").doesNotContain("MPPE keys OK: 1");
    }
}
