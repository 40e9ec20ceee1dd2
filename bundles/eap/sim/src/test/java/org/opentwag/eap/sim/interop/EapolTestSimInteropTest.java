package org.opentwag.eap.sim.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.eap.EapMethod;
import org.opentwag.api.eap.EapStep;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.eap.engine.EapEngine;
import org.opentwag.eap.engine.EapMethodRegistry;
import org.opentwag.eap.engine.EapReply;
import org.opentwag.eap.engine.EapRequest;
import org.opentwag.eap.sim.method.SimAuthenticator;
import org.opentwag.eap.sim.method.SimStatistics;
import org.opentwag.eap.simaka.identity.IdentityStore;
import org.opentwag.milenage.AuthenticationCentre;
import org.opentwag.radius.codec.EapMessages;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.codec.RadiusResponseEncoder;
import org.opentwag.state.memory.InMemoryStateStore;

/**
 * Our EAP-SIM server against a peer we did not write: wpa_supplicant's eapol_test with its SIM simulator, which
 * computes GSM-Milenage (TS 55.205) from "Ki:OPc", through the EAP engine and a minimal RADIUS responder on loopback.
 * Our side only ever sees Milenage quintuplets (as from SWx) and converts them with c2/c3, so a success here means
 * the conversion, the key derivation and the protocol all agree with hostapd's peer. Skipped when eapol_test is not
 * installed (shared/lab/README.md).
 */
class EapolTestSimInteropTest {

    static final Path EAPOL_TEST = Path.of(System.getProperty("user.home"), ".cache/opentwag/bin/eapol_test");
    static final String KI = "465b5ce8b199b49faa5f0a2ee238a6bc";
    static final String OPC = "cd63cb71954a9f4e48a5994e37a02baf";
    static final String IDENTITY = "1001010000000001@wlan.mnc001.mcc001.3gppnetwork.org";
    static final byte[] SECRET = "interop-secret".getBytes(StandardCharsets.US_ASCII);

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
    DatagramSocket socket;
    Thread responder;
    volatile boolean running;

    void startServer(int challenges) throws IOException {
        assumeTrue(Files.isExecutable(EAPOL_TEST), "eapol_test not installed");
        hss = new Hss();
        InMemoryStateStore store = new InMemoryStateStore(1000);
        SimAuthenticator sim = new SimAuthenticator(new SimAuthenticator.Settings(challenges, true, true, 16, "",
                true, "swx"), () -> hss, new IdentityStore(() -> store, Duration.ofHours(1)),
                new SimStatistics(name -> new LongAdder()));
        EapMethodRegistry registry = new EapMethodRegistry();
        registry.add(new EapMethod() {
            public int type() {
                return 18;
            }

            public String name() {
                return "EAP-SIM";
            }

            public boolean accepts(String identity) {
                return sim.accepts(identity);
            }

            public CompletionStage<EapStep> start(EapConversation c) {
                return sim.start(c);
            }

            public CompletionStage<EapStep> process(EapConversation c, byte[] response) {
                return sim.process(c, response);
            }
        });
        // Access is granted to every verified peer: what is tested here is the method, not the grant.
        org.opentwag.api.session.AccessAuthorizer grantAll = new org.opentwag.api.session.AccessAuthorizer() {
            public void authenticating(String identity, org.opentwag.api.eap.NasContext nas, String method) {
            }

            public void rejected(String identity, org.opentwag.api.eap.NasContext nas, String reason) {
            }

            public CompletionStage<org.opentwag.api.session.AccessGrant> authorize(
                    org.opentwag.api.eap.EapAuthentication authentication, org.opentwag.api.eap.NasContext nas) {
                return java.util.concurrent.CompletableFuture.completedFuture(
                        new org.opentwag.api.session.AccessGrant.Granted("test", 0, 0, null));
            }
        };
        EapEngine engine = new EapEngine(registry, store, new EapEngine.Settings(Duration.ofSeconds(30)),
                System::currentTimeMillis, () -> grantAll, org.opentwag.eap.engine.AuthenticationTimer.NONE);
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setSoTimeout(200);
        running = true;
        responder = new Thread(() -> serve(engine), "radius-responder");
        responder.start();
    }

    private void serve(EapEngine engine) {
        byte[] buf = new byte[4096];
        while (running) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
                RadiusPacket request = RadiusPacket.decode(Arrays.copyOf(in.getData(), in.getLength()));
                EapReply reply = engine.handle(new EapRequest(request.eapMessage().orElseThrow(),
                        request.octets(RadiusDictionary.STATE).orElse(null),
                        request.string(RadiusDictionary.USER_NAME).orElse(null),
                        new NasContext("127.0.0.1", "interop", null, null))).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                List<RadiusAttribute> attrs = new ArrayList<>();
                int code;
                if (reply instanceof EapReply.Challenge ch) {
                    code = RadiusCode.ACCESS_CHALLENGE;
                    attrs.addAll(EapMessages.split(ch.eapMessage()));
                    attrs.add(RadiusAttribute.of(RadiusDictionary.STATE, ch.state()));
                } else if (reply instanceof EapReply.Accept ok) {
                    code = RadiusCode.ACCESS_ACCEPT;
                    attrs.addAll(EapMessages.split(ok.eapMessage()));
                    byte[] msk = ok.authentication().msk();
                    attrs.add(RadiusAttribute.vendor(RadiusDictionary.VENDOR_MICROSOFT,
                            RadiusDictionary.MS_MPPE_RECV_KEY, Arrays.copyOfRange(msk, 0, 32)));
                    attrs.add(RadiusAttribute.vendor(RadiusDictionary.VENDOR_MICROSOFT,
                            RadiusDictionary.MS_MPPE_SEND_KEY, Arrays.copyOfRange(msk, 32, 64)));
                } else {
                    EapReply.Reject no = (EapReply.Reject) reply;
                    code = RadiusCode.ACCESS_REJECT;
                    if (no.eapMessage() != null) {
                        attrs.addAll(EapMessages.split(no.eapMessage()));
                    }
                }
                byte[] out = RadiusResponseEncoder.encode(request, SECRET, code, attrs);
                socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
            } catch (SocketTimeoutException idle) {
                // check running again
            } catch (Exception e) {
                if (running) {
                    e.printStackTrace();
                }
            }
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        running = false;
        if (responder != null) {
            responder.join(2000);
            socket.close();
        }
    }

    private String eapolTest(String password, String networkLines, String... extra) throws Exception {
        Path conf = Files.createTempFile("eapol", ".conf");
        Path out = Files.createTempFile("eapol", ".log");
        try {
            Files.writeString(conf, "network={\n  ssid=\"test\"\n  key_mgmt=WPA-EAP\n  eap=SIM\n"
                    + "  identity=\"" + IDENTITY + "\"\n  password=\"" + password + "\"\n" + networkLines + "}\n");
            List<String> cmd = new ArrayList<>(List.of(EAPOL_TEST.toString(), "-c", conf.toString(), "-a", "127.0.0.1",
                    "-p", String.valueOf(socket.getLocalPort()), "-s", new String(SECRET, StandardCharsets.US_ASCII),
                    "-t", "10"));
            cmd.addAll(List.of(extra));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(40, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("eapol_test did not finish");
            }
            return "exit=" + p.exitValue() + "\n" + Files.readString(out);
        } finally {
            Files.deleteIfExists(conf);
            Files.deleteIfExists(out);
        }
    }

    private static void assertSucceeded(String log, int keys) {
        assertThat(log).as(tail(log)).startsWith("exit=0").contains("SUCCESS")
                .contains("MPPE keys OK: " + keys + "  mismatch: 0");
    }

    private static String tail(String log) {
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
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
