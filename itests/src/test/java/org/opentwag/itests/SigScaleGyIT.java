package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;

/**
 * Gy against online charging servers we did not write, through a standalone distribution with eapol_test logins and
 * radclient accounting (the AP), this test's UDP socket as the AP's DAS:
 * <ul>
 *   <li>SigScale OCS 3.4.72 (Erlang, built by .ci/tools.d/sigscale.sh): CCR-I/U/T with Multiple-Services-Credit-Control;
 *       its balance, read back with its own provisioning client, goes down by exactly the usage the AP reported;
 *       running out of credit (its 4012 on a CCR-U) ends in a signed Disconnect-Request; the OCS frozen (SIGSTOP)
 *       mid-session under each Credit-Control-Failure-Handling;</li>
 *   <li>what SigScale does not send (Final-Unit-Indication, Validity-Time, RAR, ASR): an escript on Erlang/OTP's
 *       diameter application with SigScale's TS 32.299 Ro dictionary (src/test/resources/gy/gy-ocs.escript).</li>
 * </ul>
 * Every Gy message of the run is captured and must decode in tshark with no malformed packet or error.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class SigScaleGyIT {

    private static final int AUTH_PORT = 22912;
    private static final int ACCT_PORT = 22913;
    private static final int DAS_PORT = 22899;
    private static final int SIGSCALE_PORT = 22882;
    private static final int SIGSCALE_DIST_PORT = 22883;
    private static final int OTP_PORT = 22884;
    private static final String SECRET = "sigscale-gy-it-secret";
    private static final String NAS = "10.9.1.1";
    private static final String KEYS = Eapol.KI + ":" + Eapol.OPC;
    private static final String SIGSCALE_HOST = "ocs.lab.local";
    private static final String SIGSCALE_REALM = "lab.local";
    private static final String OTP_HOST = "ocs-otp.lab.local";
    private static final String OTP_REALM = "otp.lab.local";
    /**
     * Tx: 3 s rather than the shipped 1 s, so that a CCA from SigScale (which runs at nice 19) on a loaded CI machine
     * is not taken for a silent OCS; the failure-handling test measures in multiples of it.
     */
    private static final int TX_MILLIS = 3_000;
    /** RSU of every CCR: SigScale grants max(RSU, 5,000,000). */
    private static final long CHUNK = 10_000_000;
    private static final Pattern CLASS = Pattern.compile("Attribute 25 \\(Class\\) length=\\d+\\s+Value: ([0-9a-f]+)");
    private static final Pattern BUCKET = Pattern.compile("remain=(-?\\d+) reserved=(-?\\d+) sessions=(\\d+)");

    private static Path sigscaleHome;
    private static Path ocsRoot;
    private static StandaloneDistribution karaf;
    private static Process otpOcs;
    private static Writer otpIn;
    private static final BlockingQueue<String> OTP_OUT = new LinkedBlockingQueue<>();
    private static ExternalTool.Capture gy;
    private static DatagramSocket das;
    private static int sqn = 0x40;

    @BeforeClass
    public static void start() throws Exception {
        String tools = System.getProperty("opentwag.tools", System.getProperty("user.home") + "/.cache/opentwag/bin");
        sigscaleHome = Path.of(tools).getParent().resolve("sigscale");
        Path script = sigscaleHome.resolve("sigscale-ocs.sh");
        Path dia = sigscaleHome.resolve("dia/3gpp_ro_application.dia");
        boolean built;
        try (Stream<Path> libs = Files.exists(sigscaleHome.resolve("otp/lib"))
                ? Files.list(sigscaleHome.resolve("otp/lib")) : Stream.empty()) {
            built = libs.anyMatch(p -> p.getFileName().toString().startsWith("ocs-"));
        }
        if (!Files.isExecutable(script) || !built || !Files.exists(dia)
                || ExternalTool.run(List.of("sh", "-c", "command -v escript"), null, 10).exitCode() != 0) {
            throw new AssertionError("SigScale OCS is not installed in " + sigscaleHome
                    + " (or escript, Debian erlang-base, is missing): run .ci/install-tools.sh (./opentwag test does)");
        }
        ocsRoot = Path.of("target/sigscale-gy/ocs").toAbsolutePath();
        Files.createDirectories(ocsRoot);
        if (!Files.exists(ocsRoot.resolve("otp"))) {
            Files.createSymbolicLink(ocsRoot.resolve("otp"), sigscaleHome.resolve("otp"));
        }
        sigscale("reset");
        sigscale("up");
        sigscale("provision", "001010000000001", "1000000000");
        sigscale("provision", "001010000000002", "12000000");
        sigscale("provision", "001010000000003", "1000000000");

        ProcessBuilder escript = new ProcessBuilder("escript", Path.of("src/test/resources/gy/gy-ocs.escript")
                .toAbsolutePath().toString(), dia.toString(), String.valueOf(OTP_PORT), OTP_HOST, OTP_REALM)
                .redirectErrorStream(true);
        // SigScale's compiled dictionaries (diameter_gen_3gpp, diameter_gen_ietf), which the Ro dictionary inherits
        escript.environment().put("ERL_LIBS", sigscaleHome.resolve("otp/lib").toString());
        otpOcs = escript.start();
        otpIn = new java.io.OutputStreamWriter(otpOcs.getOutputStream(), StandardCharsets.US_ASCII);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(otpOcs.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.out.println("[gy-ocs.escript] " + line);
                    OTP_OUT.add(line);
                }
            } catch (IOException gone) {
                // the process ended
            }
        }, "gy-ocs.escript output");
        reader.setDaemon(true);
        reader.start();
        otpExpect("ready", 120); // compiling the Ro dictionary takes seconds, a minute on a loaded machine

        gy = new ExternalTool.Capture("tcp port " + SIGSCALE_PORT + " or tcp port " + OTP_PORT,
                List.of("tcp.port==" + SIGSCALE_PORT + ",diameter", "tcp.port==" + OTP_PORT + ",diameter"), 300);
        das = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), DAS_PORT));
        karaf = StandaloneDistribution.start("sigscale-gy", AUTH_PORT, ACCT_PORT, SECRET, Map.ofEntries(
                // the embedded simulator off; the OCS peer file points at SigScale, a second one at the escript
                Map.entry("org.opentwag.ocssim.cfg:enabled", "false"),
                Map.entry("org.opentwag.diameter.peer-ocs.cfg:host", SIGSCALE_HOST),
                Map.entry("org.opentwag.diameter.peer-ocs.cfg:realm", SIGSCALE_REALM),
                Map.entry("org.opentwag.diameter.peer-ocs.cfg:port", String.valueOf(SIGSCALE_PORT)),
                Map.entry("org.opentwag.diameter.peer-otp.cfg:host", OTP_HOST),
                Map.entry("org.opentwag.diameter.peer-otp.cfg:realm", OTP_REALM),
                Map.entry("org.opentwag.diameter.peer-otp.cfg:address", "127.0.0.1"),
                Map.entry("org.opentwag.diameter.peer-otp.cfg:port", String.valueOf(OTP_PORT)),
                Map.entry("org.opentwag.diameter.peer-otp.cfg:transport", "tcp"),
                Map.entry("org.opentwag.diameter.peer-otp.cfg:initiateConnection", "true"),
                Map.entry("org.opentwag.diameter.peer-otp.cfg:applications", "gy"),
                Map.entry("org.opentwag.charging.gy.cfg:destinationRealm", SIGSCALE_REALM),
                Map.entry("org.opentwag.charging.gy.cfg:chunkOctets", String.valueOf(CHUNK)),
                Map.entry("org.opentwag.charging.gy.cfg:txTimerMillis", String.valueOf(TX_MILLIS)),
                Map.entry("org.opentwag.radius.client-default.cfg:dasPort", String.valueOf(DAS_PORT))));
        Metrics.awaitPeer(karaf.metricsPort(), SIGSCALE_HOST, true);
        Metrics.awaitPeer(karaf.metricsPort(), OTP_HOST, true);
        otpExpect("peer_up", 10);
        // SigScale's OTP diameter drops a request that comes before it registered the new peer (its script: ~0.5 s)
        Thread.sleep(1_000);
    }

    @AfterClass
    public static void stop() throws Exception {
        try {
            if (karaf != null) {
                karaf.close();
            }
            if (das != null) {
                das.close();
            }
            if (gy != null) {
                gy.close();
            }
        } finally {
            if (otpOcs != null) {
                otpOcs.destroyForcibly();
            }
            if (ocsRoot != null) {
                signalSigscale("CONT");
                sigscale("down");
            }
        }
    }

    // ------------------------------------------------------------------ the peers

    private static ExternalTool.Result sigscale(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("env", "OCS_ROOT=" + ocsRoot, "PORT=" + SIGSCALE_PORT,
                "DIST_PORT=" + SIGSCALE_DIST_PORT, "ORIGIN_HOST=" + SIGSCALE_HOST, "ORIGIN_REALM=" + SIGSCALE_REALM,
                "bash", sigscaleHome.resolve("sigscale-ocs.sh").toString()));
        cmd.addAll(List.of(args));
        ExternalTool.Result r = ExternalTool.run(cmd, null, 180);
        assertEquals("sigscale-ocs.sh " + String.join(" ", args) + ":\n" + r.output(), 0, r.exitCode());
        return r;
    }

    /** SIGSTOP / SIGCONT to the OCS's Erlang VM: a frozen OCS keeps its TCP connection and answers nothing. */
    private static void signalSigscale(String signal) throws Exception {
        Path pid = ocsRoot.resolve("run/ocs.pid");
        if (Files.exists(pid)) {
            ExternalTool.run(List.of("kill", "-" + signal, Files.readString(pid).trim()), null, 10);
        }
    }

    /**
     * The subscriber's octet buckets as SigScale's own client reads them: {credit, reserved, open sessions}, where
     * credit = remaining + reserved (SigScale's "remain" leaves out what open sessions have reserved).
     */
    private static long[] balance(String imsi) throws Exception {
        Matcher m = BUCKET.matcher(sigscale("balance", imsi).output());
        long[] sum = new long[3];
        while (m.find()) {
            sum[0] += Long.parseLong(m.group(1)) + Long.parseLong(m.group(2));
            sum[1] += Long.parseLong(m.group(2));
            sum[2] += Long.parseLong(m.group(3));
        }
        return sum;
    }

    /** Waits, bounded, until the subscriber's credit is the expected one; returns the last reading. */
    private static long[] awaitBalance(String imsi, long credit) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        long[] b = balance(imsi);
        while (b[0] != credit && System.currentTimeMillis() < deadline) {
            Thread.sleep(300);
            b = balance(imsi);
        }
        return b;
    }

    private static void otp(String command) throws IOException {
        otpIn.write(command + "\n");
        otpIn.flush();
    }

    /** Lines of the escript OCS read but not expected yet (an RAA may come after the CCR-U it caused). */
    private static final List<String> OTP_SEEN = new ArrayList<>();

    /** Forgets what the escript OCS printed so far (each test expects its own lines). */
    private static void otpForget() {
        OTP_SEEN.clear();
        OTP_OUT.clear();
    }

    /** The first line of the escript OCS not expected yet that starts with prefix; it is consumed. */
    private static String otpExpect(String prefix, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (true) {
            for (java.util.Iterator<String> i = OTP_SEEN.iterator(); i.hasNext(); ) {
                String seen = i.next();
                if (seen.startsWith(prefix)) {
                    i.remove();
                    return seen;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                break;
            }
            String line = OTP_OUT.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                OTP_SEEN.add(line);
                continue;
            }
            if (!otpOcs.isAlive()) {
                throw new AssertionError("gy-ocs.escript exited with " + otpOcs.exitValue());
            }
        }
        throw new AssertionError("gy-ocs.escript did not print '" + prefix + "' within " + seconds + " s; it printed "
                + OTP_SEEN);
    }

    private static String field(String line, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=(\\S+)").matcher(line);
        assertTrue(line, m.find());
        return m.group(1);
    }

    // ------------------------------------------------------------------ the AP

    private static String login(String imsi) throws Exception {
        Path conf = Files.createTempFile("eapol", ".conf");
        try {
            Files.writeString(conf, "network={\n  ssid=\"test\"\n  key_mgmt=WPA-EAP\n  eap=AKA\n  identity=\"0" + imsi
                    + Eapol.REALM + "\"\n  password=\"" + KEYS + ":" + String.format("%012x", sqn++) + "\"\n}\n");
            ExternalTool.Result r = ExternalTool.run(List.of(ExternalTool.eapolTest(), "-c", conf.toString(), "-a",
                    "127.0.0.1", "-p", String.valueOf(AUTH_PORT), "-s", SECRET, "-t", "10", "-M",
                    "86:81:69:a7:b4:b2", "-N", "30:s:64-D9-89-1D-A4-20:OpenTWAG"), null, 60);
            assertEquals(r.output(), 0, r.exitCode());
            Matcher m = CLASS.matcher(r.output());
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            assertTrue("no Class in the Access-Accept:\n" + r.output(), last != null);
            return last;
        } finally {
            Files.deleteIfExists(conf);
        }
    }

    private static void accounting(String status, String imsi, String session, String classHex, long in, long out)
            throws Exception {
        String attributes = "Acct-Status-Type = " + status + "\nAcct-Session-Id = \"" + session + "\"\n"
                + "User-Name = \"0" + imsi + Eapol.REALM + "\"\nNAS-IP-Address = " + NAS + "\n"
                + "Called-Station-Id = \"64-D9-89-1D-A4-20:OpenTWAG\"\nCalling-Station-Id = \"86-81-69-A7-B4-B2\"\n"
                + "Class = 0x" + classHex + "\nAcct-Input-Octets = " + in + "\nAcct-Output-Octets = " + out
                + "\nAcct-Session-Time = 60\n";
        ExternalTool.Result r = ExternalTool.run(List.of("radclient", "-x", "-r", "1", "-t", "5",
                "127.0.0.1:" + ACCT_PORT, "acct", SECRET), attributes.getBytes(StandardCharsets.US_ASCII), 30);
        assertTrue(r.output(), r.output().contains("Received Accounting-Response"));
    }

    /**
     * The next Disconnect-Request at this test's DAS: its Request Authenticator (RFC 5176 3.5) and its
     * Message-Authenticator (RFC 3579 3.2) checked here with the JDK's MD5 and HMAC-MD5 and the shared secret;
     * answered with a signed Disconnect-ACK as an AP would.
     */
    private static RadiusPacket awaitDisconnect(String session, int seconds) throws Exception {
        das.setSoTimeout(seconds * 1000);
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        das.receive(p);
        byte[] bytes = Arrays.copyOf(p.getData(), p.getLength());
        RadiusPacket disconnect = RadiusPacket.decode(bytes);
        assertEquals(RadiusCode.DISCONNECT_REQUEST, disconnect.code());
        assertEquals(session, disconnect.string(RadiusDictionary.ACCT_SESSION_ID).orElse(null));
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        byte[] zeroed = bytes.clone();
        Arrays.fill(zeroed, 4, 20, (byte) 0);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(zeroed);
        md5.update(secret);
        assertTrue("Disconnect-Request Request Authenticator (RFC 5176 3.5) does not verify with the secret",
                MessageDigest.isEqual(md5.digest(), Arrays.copyOfRange(bytes, 4, 20)));
        int ma = messageAuthenticatorOffset(bytes);
        assertTrue("Disconnect-Request without Message-Authenticator", ma >= 0);
        {
            byte[] macInput = zeroed.clone();
            Arrays.fill(macInput, ma, ma + 16, (byte) 0);
            Mac hmac = Mac.getInstance("HmacMD5");
            hmac.init(new SecretKeySpec(secret, "HmacMD5"));
            assertTrue("Disconnect-Request Message-Authenticator does not verify",
                    MessageDigest.isEqual(hmac.doFinal(macInput), Arrays.copyOfRange(bytes, ma, ma + 16)));
        }
        // Disconnect-ACK (41), no attributes: Response Authenticator = MD5(code id length RequestAuth secret)
        ByteBuffer ack = ByteBuffer.allocate(20).put((byte) 41).put(bytes[1]).putShort((short) 20)
                .put(bytes, 4, 16);
        md5.update(ack.array());
        md5.update(secret);
        byte[] response = ack.array().clone();
        System.arraycopy(md5.digest(), 0, response, 4, 16);
        das.send(new DatagramPacket(response, response.length, p.getSocketAddress()));
        return disconnect;
    }

    /** Offset of the Message-Authenticator's 16 octets (attribute 80), or -1. */
    private static int messageAuthenticatorOffset(byte[] packet) {
        int i = 20;
        while (i + 2 <= packet.length) {
            int type = packet[i] & 0xff;
            int len = packet[i + 1] & 0xff;
            if (len < 2) {
                return -1;
            }
            if (type == 80 && len == 18) {
                return i + 2;
            }
            i += len;
        }
        return -1;
    }

    private static void assertNoDisconnect(int millis) throws Exception {
        das.setSoTimeout(millis);
        try {
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            das.receive(p);
            throw new AssertionError("an unexpected Disconnect-Request: "
                    + RadiusPacket.decode(Arrays.copyOf(p.getData(), p.getLength())));
        } catch (SocketTimeoutException expected) {
            // nothing came
        }
    }

    private static void console(String command) throws Exception {
        ExternalTool.Result r = karaf.console(command, 60);
        assertEquals(r.output(), 0, r.exitCode());
    }

    private static double metric(String series) throws Exception {
        return Metrics.scrape(karaf.metricsPort()).getOrDefault(series, 0.0);
    }

    private static double awaitMetric(String series, double min, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        double v = metric(series);
        while (v < min && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            v = metric(series);
        }
        return v;
    }

    private static String realmNow = SIGSCALE_REALM;
    private static String handlingNow = "TERMINATE";

    /**
     * Points new sessions' CCRs at a realm with a Credit-Control-Failure-Handling: each changed setting re-registers the
     * Gy backends, which log their settings; waits, bounded, for the last of those lines.
     */
    private static void chargeAt(String realm, String failureHandling) throws Exception {
        String marker = "Gy charging (online, authorization-only)";
        long before = karaf.logText().lines().filter(l -> l.contains(marker)).count();
        int changes = 0;
        if (!realm.equals(realmNow)) {
            console("config:property-set -p org.opentwag.charging.gy destinationRealm " + realm);
            changes++;
        }
        if (!failureHandling.equals(handlingNow)) {
            console("config:property-set -p org.opentwag.charging.gy failureHandling " + failureHandling);
            changes++;
        }
        realmNow = realm;
        handlingNow = failureHandling;
        String expected = "realm " + realm + ", chunk " + CHUNK + " octets, rating group 1, CCR-U at 80 %, Tx " + TX_MILLIS + " ms, "
                + "failure handling " + failureHandling;
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            List<String> lines = karaf.logText().lines().filter(l -> l.contains(marker)).toList();
            if (lines.size() >= before + changes && lines.get(lines.size() - 1).contains(expected)) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Gy settings never became: " + expected);
            }
            Thread.sleep(100);
        }
    }

    private static final String CCR_UPDATE = "charging_ccr_count{mode=\"online\",type=\"update\"}";
    private static final String CCR_TERMINATION = "charging_ccr_count{mode=\"online\",type=\"termination\"}";

    // ------------------------------------------------------------------ SigScale OCS

    @Test
    public void a_sigscaleBalanceGoesDownByExactlyTheUsageTheApReported() throws Exception {
        String imsi = "001010000000001";
        long before = balance(imsi)[0];
        assertEquals(1_000_000_000L, before);
        String classHex = login(imsi);
        // CCR-I granted: the chunk is reserved at the OCS, nothing debited yet
        long[] reserved = balance(imsi);
        assertEquals(before, reserved[0]);
        assertEquals(CHUNK, reserved[1]);
        assertEquals(1, reserved[2]);
        String session = "SIG-A-" + System.nanoTime();
        accounting("Start", imsi, session, classHex, 0, 0);
        double updates = metric(CCR_UPDATE);
        // 8.5 MB of the 10 MB chunk: past 80 %, a CCR-U reports them
        accounting("Interim-Update", imsi, session, classHex, 1_500_000, 7_000_000);
        awaitMetric(CCR_UPDATE, updates + 1, 5_000);
        long[] afterUpdate = awaitBalance(imsi, before - 8_500_000);
        assertEquals("debited by the CCR-U's Used-Service-Unit", before - 8_500_000, afterUpdate[0]);
        double terminations = metric(CCR_TERMINATION);
        accounting("Stop", imsi, session, classHex, 2_000_000, 9_123_457);
        awaitMetric(CCR_TERMINATION, terminations + 1, 5_000);
        long[] after = awaitBalance(imsi, before - 11_123_457);
        assertEquals("the OCS's balance moved by exactly the AP's total usage", before - 11_123_457, after[0]);
        assertEquals("the CCR-T released the reservation", 0, after[1]);
        assertEquals("no session open at the OCS", 0, after[2]);
        assertNoDisconnect(500);
    }

    @Test
    public void b_sigscaleOutOfCreditEndsInASignedDisconnectRequest() throws Exception {
        String imsi = "001010000000002";
        assertEquals(12_000_000L, balance(imsi)[0]);
        String classHex = login(imsi);
        String session = "SIG-B-" + System.nanoTime();
        accounting("Start", imsi, session, classHex, 0, 0);
        // 10.5 MB used: the CCR-U reports them and asks 10 MB more, which the 1.5 MB left cannot cover (4012)
        accounting("Interim-Update", imsi, session, classHex, 500_000, 10_000_000);
        RadiusPacket disconnect = awaitDisconnect(session, 10);
        assertEquals("0" + imsi + Eapol.REALM, disconnect.string(RadiusDictionary.USER_NAME).orElse(null));
        double terminations = metric(CCR_TERMINATION);
        accounting("Stop", imsi, session, classHex, 500_000, 10_000_000);
        awaitMetric(CCR_TERMINATION, terminations + 1, 5_000);
        long[] after = awaitBalance(imsi, 1_500_000);
        assertEquals(1_500_000, after[0]);
        assertEquals(0, after[2]);
        assertTrue(metric("charging_cca_result_count{mode=\"online\",result=\"4012\"}") >= 1);
    }

    @Test
    public void c_sigscaleFrozenMidSessionTerminateGivesUpAfterTxRetryAndTerminateAfterOneRetransmission()
            throws Exception {
        String imsi = "001010000000003";
        for (String handling : List.of("TERMINATE", "RETRY_AND_TERMINATE")) {
            chargeAt(SIGSCALE_REALM, handling);
            long before = balance(imsi)[0];
            String classHex = login(imsi);
            String session = "SIG-C-" + handling + "-" + System.nanoTime();
            accounting("Start", imsi, session, classHex, 0, 0);
            String failures = "charging_ocs_failure_count{mode=\"online\",type=\"update\",handling=\""
                    + handling.toLowerCase() + "\"}";
            double failed = metric(failures);
            double sent = metric(CCR_UPDATE);
            signalSigscale("STOP");
            try {
                long t0 = System.nanoTime();
                accounting("Interim-Update", imsi, session, classHex, 1_000_000, 8_000_000);
                awaitDisconnect(session, 20);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                // TERMINATE gives up after one Tx; RETRY_AND_TERMINATE sends the CCR-U again (T flag) first
                assertTrue(handling + " took " + millis + " ms", handling.equals("TERMINATE")
                        ? millis >= TX_MILLIS && millis < 2 * TX_MILLIS
                        : millis >= 2 * TX_MILLIS && millis < 4 * TX_MILLIS);
                assertEquals(failed + 1, metric(failures), 0.0);
                assertEquals(handling.equals("TERMINATE") ? sent + 1 : sent + 2, metric(CCR_UPDATE), 0.0);
            } finally {
                signalSigscale("CONT");
            }
            double terminations = metric(CCR_TERMINATION);
            accounting("Stop", imsi, session, classHex, 1_000_000, 8_000_000);
            awaitMetric(CCR_TERMINATION, terminations + 1, 5_000);
            // The frozen OCS rates the CCR-U once it runs again; its 9 MB are not reported again in the CCR-T
            // (RFC 4006 5.7). SigScale 3.4.72 does not detect duplicates, so RETRY_AND_TERMINATE's retransmission
            // (T flag, same End-to-End id and CC-Request-Number) is debited too: that is all that repeats.
            long expected = before - (handling.equals("TERMINATE") ? 9_000_000 : 18_000_000);
            long[] after = awaitBalance(imsi, expected);
            System.out.println("SigScale balance of " + imsi + " after " + handling + ": " + Arrays.toString(after));
            assertEquals(handling + ": debited by the usage once (the CCR-T adds nothing)", expected, after[0]);
            assertEquals("no session open at the OCS", 0, after[2]);
        }
        chargeAt(SIGSCALE_REALM, "TERMINATE");
    }

    @Test
    public void d_sigscaleDownMidSessionContinueKeepsTheSessionAndReportsTheUsageWhenItIsBack() throws Exception {
        String imsi = "001010000000003";
        chargeAt(SIGSCALE_REALM, "CONTINUE");
        try {
            String classHex = login(imsi);
            Thread.sleep(1_000); // the CCR-Us of the frozen OCS in c_ are all answered by now
            long before = balance(imsi)[0];
            String session = "SIG-D-" + System.nanoTime();
            accounting("Start", imsi, session, classHex, 0, 0);
            sigscale("down");
            Metrics.awaitPeer(karaf.metricsPort(), SIGSCALE_HOST, false);
            double failed = metric("charging_ocs_failure_count{mode=\"online\",type=\"update\",handling=\"continue\"}");
            // 9 MB: a CCR-U is due and cannot be sent; RFC 4006 5.7 CONTINUE: the service goes on
            accounting("Interim-Update", imsi, session, classHex, 1_000_000, 8_000_000);
            assertEquals(failed + 1, awaitMetric(
                    "charging_ocs_failure_count{mode=\"online\",type=\"update\",handling=\"continue\"}",
                    failed + 1, 5_000), 0.0);
            assertNoDisconnect(1_000);
            sigscale("up");
            Metrics.awaitPeer(karaf.metricsPort(), SIGSCALE_HOST, true);
            Thread.sleep(1_000);
            // 17 MB: the next CCR-U carries everything not reported yet
            accounting("Interim-Update", imsi, session, classHex, 2_000_000, 15_000_000);
            awaitBalance(imsi, before - 17_000_000);
            double terminations = metric(CCR_TERMINATION);
            accounting("Stop", imsi, session, classHex, 2_000_000, 15_500_000);
            awaitMetric(CCR_TERMINATION, terminations + 1, 5_000);
            long[] after = awaitBalance(imsi, before - 17_500_000);
            assertEquals("every octet reported once the OCS was back", before - 17_500_000, after[0]);
            assertNoDisconnect(200);
        } finally {
            chargeAt(SIGSCALE_REALM, "TERMINATE");
        }
    }

    // ------------------------------------------------------------------ OTP diameter (escript)

    @Test
    public void e_validityTimeRunsOutAndACcrUpdateFollowsWithoutAnInterim() throws Exception {
        chargeAt(OTP_REALM, "TERMINATE");
        otpForget();
        otp("policy " + CHUNK + " 2 0");
        otpExpect("policy set", 5);
        String imsi = "001010000000001";
        String classHex = login(imsi);
        String ccri = otpExpect("CCR type=1", 5);
        String session = "OTP-D-" + System.nanoTime();
        accounting("Start", imsi, session, classHex, 0, 0);
        String ccru = otpExpect("CCR type=2", 10);
        long millis = Long.parseLong(field(ccru, "t")) - Long.parseLong(field(ccri, "t"));
        assertEquals(field(ccri, "sid"), field(ccru, "sid"));
        assertEquals("Reporting-Reason VALIDITY_TIME", "4", field(ccru, "reason"));
        assertTrue("CCR-U " + millis + " ms after the grant valid 2 s", millis >= 2_000 && millis < 4_000);

        // RAR: answered, then a CCR-U with the usage so far and FORCED_REAUTHORISATION
        accounting("Interim-Update", imsi, session, classHex, 100_000, 200_000);
        Thread.sleep(300);
        otp("rar " + field(ccri, "sid"));
        assertEquals("2001", field(otpExpect("RAA", 10), "result"));
        String forced = otpExpect("CCR type=2", 10);
        assertEquals("Reporting-Reason FORCED_REAUTHORISATION", "7", field(forced, "reason"));
        assertEquals("300000", field(forced, "used"));
        assertNoDisconnect(300);

        // ASR: answered, the AP is told to disconnect, the CCR-T follows its Stop
        otp("asr " + field(ccri, "sid"));
        assertEquals("2001", field(otpExpect("ASA", 10), "result"));
        awaitDisconnect(session, 10);
        accounting("Stop", imsi, session, classHex, 100_000, 250_000);
        String ccrt = otpExpect("CCR type=3", 10);
        assertEquals("50000", field(ccrt, "used"));
        // an RAR for a session that is over
        otp("rar " + field(ccri, "sid"));
        assertEquals("DIAMETER_UNKNOWN_SESSION_ID", "5002", field(otpExpect("RAA", 10), "result"));
    }

    @Test
    public void g_anRarWhileACcrUpdateIsPendingIsAnsweredAndStartsNoSecondUpdate() throws Exception {
        chargeAt(OTP_REALM, "TERMINATE");
        otpForget();
        otp("policy " + CHUNK + " 0 0");
        otpExpect("policy set", 5);
        otp("rar-on-update");
        otpExpect("rar-on-update set", 5);
        String imsi = "001010000000001";
        String classHex = login(imsi);
        String ccri = otpExpect("CCR type=1", 5);
        String session = "OTP-G-" + System.nanoTime();
        accounting("Start", imsi, session, classHex, 0, 0);
        // 9 MB of the 10 MB grant: past 80 %, a CCR-U; the OCS sends its RAR before it answers that CCR-U
        accounting("Interim-Update", imsi, session, classHex, 1_000_000, 8_000_000);
        String ccru = otpExpect("CCR type=2", 10);
        assertEquals(field(ccri, "sid"), field(ccru, "sid"));
        assertEquals("RFC 4006 5.5: RAA 2001 to an RAR colliding with a CCR-U", "2001",
                field(otpExpect("RAA", 10), "result"));
        accounting("Stop", imsi, session, classHex, 1_000_000, 8_500_000);
        String ccrt = otpExpect("CCR type=3", 10);
        assertEquals("no CCR-U of the RAR between the pending CCR-U and the CCR-T",
                Long.parseLong(field(ccru, "number")) + 1, Long.parseLong(field(ccrt, "number")));
        assertEquals("the CCR-T reports what the CCR-U did not", "500000", field(ccrt, "used"));
        assertNoDisconnect(200);
    }

    @Test
    public void f_finalUnitsUsedEndInADisconnectRequestWithoutAskingForMore() throws Exception {
        chargeAt(OTP_REALM, "TERMINATE");
        otpForget();
        otp("policy 3000000 0 1");
        otpExpect("policy set", 5);
        String imsi = "001010000000001";
        String classHex = login(imsi);
        otpExpect("CCR type=1", 5);
        String session = "OTP-E-" + System.nanoTime();
        accounting("Start", imsi, session, classHex, 0, 0);
        // 2.9 MB of the 3 MB final units: past 80 %, but after a Final-Unit-Indication no CCR-U is sent
        accounting("Interim-Update", imsi, session, classHex, 900_000, 2_000_000);
        assertNoDisconnect(1_000);
        accounting("Interim-Update", imsi, session, classHex, 1_000_000, 2_000_000);
        awaitDisconnect(session, 10);
        accounting("Stop", imsi, session, classHex, 1_000_000, 2_000_000);
        String ccrt = otpExpect("CCR type=", 10);
        assertTrue("no CCR-U after the final units, the next is the CCR-T: " + ccrt, ccrt.startsWith("CCR type=3"));
        assertEquals("3000000", field(ccrt, "used"));
        otp("policy " + CHUNK + " 0 0");
        chargeAt(SIGSCALE_REALM, "TERMINATE");
    }

    @Test
    public void z_everyGyMessageDecodesInTshark() throws Exception {
        Thread.sleep(500);
        List<String> decoded = gy.stopAndCheck();
        String malformed = decoded.get(1).lines().filter(l -> !l.contains("Running as user"))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertEquals("malformed Gy packets:\n" + malformed, "", malformed.trim());
        String all = decoded.get(0);
        for (String command : List.of("cmd=Credit-Control Request", "cmd=Credit-Control Answer",
                "cmd=Re-Auth Request", "cmd=Re-Auth Answer", "cmd=Abort-Session Request", "cmd=Abort-Session Answer")) {
            assertTrue(command + " not captured:\n" + all, all.contains(command));
        }
        // every CCR carried Multiple-Services-Credit-Control
        List<String> ccrs = gy.fields("diameter.cmd.code == 272 && diameter.flags.request == 1",
                "diameter.CC-Request-Type", "diameter.Multiple-Services-Credit-Control");
        assertTrue(ccrs.toString(), ccrs.size() >= 10);
        for (String ccr : ccrs) {
            assertTrue("a CCR without MSCC: " + ccr, ccr.split("\t").length >= 2 && !ccr.split("\t")[1].isBlank());
        }
    }
}
