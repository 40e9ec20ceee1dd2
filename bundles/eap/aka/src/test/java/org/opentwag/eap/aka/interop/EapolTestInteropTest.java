package org.opentwag.eap.aka.interop;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.eap.aka.method.AkaAuthenticator;
import org.opentwag.eap.aka.method.AkaStatistics;
import org.opentwag.eap.engine.EapEngine;
import org.opentwag.eap.engine.EapMethodRegistry;
import org.opentwag.eap.engine.EapReply;
import org.opentwag.eap.engine.EapRequest;
import org.opentwag.milenage.AkaPrimeKeys;
import org.opentwag.milenage.AuthenticationCentre;
import org.opentwag.radius.codec.EapMessages;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.codec.RadiusResponseEncoder;
import org.opentwag.state.memory.InMemoryStateStore;

/**
 * Our EAP-AKA/AKA' server against a peer we did not write: wpa_supplicant 2.10's eapol_test with its simulated
 * Milenage USIM (strict about AT_MAC coverage, AT_CHECKCODE, AT_KDF_INPUT, AT_BIDDING), through the EAP engine and
 * a minimal RADIUS responder on loopback. Skipped when eapol_test is not installed (see shared/lab/README.md).
 */
class EapolTestInteropTest {

    static final Path EAPOL_TEST = Path.of(System.getProperty("user.home"), ".cache/opentwag/bin/eapol_test");
    static final String KI = "465b5ce8b199b49faa5f0a2ee238a6bc";
    static final String OPC = "cd63cb71954a9f4e48a5994e37a02baf";
    static final String REALM = "@wlan.mnc001.mcc001.3gppnetwork.org";
    static final byte[] SECRET = "interop-secret".getBytes(StandardCharsets.US_ASCII);

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
    DatagramSocket socket;
    Thread responder;
    volatile boolean running;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Files.isExecutable(EAPOL_TEST), "eapol_test not installed");
        hss = new Hss();
        InMemoryStateStore store = new InMemoryStateStore(1000);
        EapMethodRegistry registry = new EapMethodRegistry();
        AkaStatistics stats = new AkaStatistics();
        for (boolean prime : new boolean[]{false, true}) {
            AkaAuthenticator auth = new AkaAuthenticator(new AkaAuthenticator.Settings(prime, "WLAN", true, true, true,
                    16, Duration.ofHours(1), "", true, "swx"), () -> hss, () -> store, stats);
            registry.add(new org.opentwag.api.eap.EapMethod() {
                public int type() {
                    return auth.settings().type();
                }

                public String name() {
                    return auth.settings().methodName();
                }

                public boolean accepts(String identity) {
                    return auth.accepts(identity);
                }

                public CompletionStage<org.opentwag.api.eap.EapStep> start(
                        org.opentwag.api.eap.EapConversation c) {
                    return auth.start(c);
                }

                public CompletionStage<org.opentwag.api.eap.EapStep> process(
                        org.opentwag.api.eap.EapConversation c, byte[] response) {
                    return auth.process(c, response);
                }
            });
        }
        registry.preference(List.of(50, 23));
        // Authorisation is not what this test is about: every verified subscriber is granted plainly.
        org.opentwag.api.session.AccessAuthorizer grantAll = new org.opentwag.api.session.AccessAuthorizer() {
            public void authenticating(String identity, org.opentwag.api.eap.NasContext nas, String method) {
            }

            public void rejected(String identity, org.opentwag.api.eap.NasContext nas, String reason) {
            }

            public CompletionStage<org.opentwag.api.session.AccessGrant> authorize(
                    org.opentwag.api.eap.EapAuthentication a, org.opentwag.api.eap.NasContext nas) {
                return java.util.concurrent.CompletableFuture.completedFuture(
                        new org.opentwag.api.session.AccessGrant.Granted("interop", 0, 0, null));
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

    private String eapolTest(String method, String identity, String sqn, String networkLines, String... extra)
            throws Exception {
        Path conf = Files.createTempFile("eapol", ".conf");
        Path out = Files.createTempFile("eapol", ".log");
        try {
            Files.writeString(conf, "network={\n  ssid=\"test\"\n  key_mgmt=WPA-EAP\n  eap=" + method + "\n"
                    + "  identity=\"" + identity + "\"\n  password=\"" + KI + ":" + OPC + ":" + sqn + "\"\n"
                    + networkLines + "}\n");
            List<String> cmd = new ArrayList<>(List.of(EAPOL_TEST.toString(), "-c", conf.toString(), "-a", "127.0.0.1",
                    "-p", String.valueOf(socket.getLocalPort()), "-s", new String(SECRET, StandardCharsets.US_ASCII),
                    "-t", "10"));
            cmd.addAll(List.of(extra));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(40, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("eapol_test did not finish");
            }
            String log = Files.readString(out);
            return "exit=" + p.exitValue() + "\n" + log;
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
