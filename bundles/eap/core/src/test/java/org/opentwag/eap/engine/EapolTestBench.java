package org.opentwag.eap.engine;

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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.session.AccessAuthorizer;
import org.opentwag.api.session.AccessGrant;
import org.opentwag.api.state.StateStore;
import org.opentwag.radius.codec.EapMessages;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.codec.RadiusResponseEncoder;

/**
 * An EAP method under test against wpa_supplicant's eapol_test, a peer we did not write: the EAP engine behind a
 * minimal RADIUS responder on loopback, and a runner for eapol_test. Access is granted to every verified peer: the
 * method is what these tests are about, not the grant. The method bundles' interop tests share it (eap-core's
 * test-jar).
 */
public final class EapolTestBench implements AutoCloseable {
    /** Where .ci/tools.d builds eapol_test (shared/lab/README.md). */
    public static final Path EAPOL_TEST = Path.of(System.getProperty("user.home"), ".cache/opentwag/bin/eapol_test");
    private static final byte[] SECRET = "interop-secret".getBytes(StandardCharsets.US_ASCII);

    private final DatagramSocket socket;
    private final Thread responder;
    private volatile boolean running = true;
    /** Answers sent, by sender and Request Authenticator; only the responder thread touches it. */
    private final Map<String, byte[]> answers = new HashMap<>();

    private EapolTestBench(EapEngine engine) throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setSoTimeout(200);
        responder = new Thread(() -> serve(engine), "radius-responder");
        responder.start();
    }

    /** Skips the calling test when eapol_test is not built (a bare {@code mvn install} without .ci/install-tools.sh). */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(EAPOL_TEST), "eapol_test not installed");
    }

    /** Starts the responder with these methods on this store. */
    public static EapolTestBench start(EapMethodRegistry methods, StateStore store) throws IOException {
        AccessAuthorizer grantAll = new AccessAuthorizer() {
            public void authenticating(String identity, NasContext nas, String method) {
            }

            public void rejected(String identity, NasContext nas, String reason) {
            }

            public CompletionStage<AccessGrant> authorize(EapAuthentication a, NasContext nas) {
                return CompletableFuture.completedFuture(new AccessGrant.Granted("interop", 0, 0, null));
            }
        };
        return new EapolTestBench(new EapEngine(methods, store, new EapEngine.Settings(Duration.ofSeconds(30)),
                System::currentTimeMillis, () -> grantAll, AuthenticationTimer.NONE));
    }

    /**
     * Runs eapol_test once against the responder.
     *
     * @param network the lines inside its {@code network={...}} block, after ssid and key_mgmt
     * @param extra   further command-line arguments (e.g. "-r", "2" for re-authentications)
     * @return "exit=N", a newline, then eapol_test's output
     */
    public String eapolTest(String network, String... extra) throws Exception {
        Path conf = Files.createTempFile("eapol", ".conf");
        Path out = Files.createTempFile("eapol", ".log");
        try {
            Files.writeString(conf, "network={\n  ssid=\"test\"\n  key_mgmt=WPA-EAP\n" + network + "}\n");
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

    /** eapol_test exited 0 with SUCCESS and derived the same MSK as the server for each of {@code keys} logins. */
    public static void assertSucceeded(String log, int keys) {
        assertThat(log).as(tail(log)).startsWith("exit=0").contains("SUCCESS")
                .contains("MPPE keys OK: " + keys + "  mismatch: 0");
    }

    /** The end of a log, enough to see why a run failed. */
    public static String tail(String log) {
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }

    private void serve(EapEngine engine) {
        byte[] buf = new byte[4096];
        while (running) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
                RadiusPacket request = RadiusPacket.decode(Arrays.copyOf(in.getData(), in.getLength()));
                // eapol_test retransmits after a few seconds on a loaded machine: answer a retransmission with the
                // answer already sent (RFC 5080 2.2.2), never by stepping the conversation again.
                String key = in.getSocketAddress() + "/" + HexFormat.of().formatHex(request.authenticator());
                byte[] answered = answers.get(key);
                if (answered != null) {
                    socket.send(new DatagramPacket(answered, answered.length, in.getSocketAddress()));
                    continue;
                }
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
                answers.put(key, out);
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

    @Override
    public void close() throws InterruptedException {
        running = false;
        responder.join(2000);
        socket.close();
    }
}
