package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * A fresh distribution started as shipped (only its ports moved): nothing is open that the operator did not open.
 * RADIUS comes from a source beyond loopback through a network namespace this test creates (veth 10.232.0.1 here,
 * 10.232.0.2 there), with radclient, a client we did not write. Needs root for the namespace (CI runs as root).
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class SecureDefaultsIT {

    private static final String NS = "otwag-sd";
    private static final String HOST_IP = "10.232.0.1";
    private static final int AUTH_PORT = 21812;
    private static final int ACCT_PORT = 21813;
    private static final String PLACEHOLDER = "CHANGE-ME-opentwag-lab-secret";
    private static final String CLIENT_CFG = "org.opentwag.radius.client-default.cfg";

    private static StandaloneDistribution node;

    private static ExternalTool.Result sh(String... cmd) throws Exception {
        return ExternalTool.run(List.of(cmd), null, 20);
    }

    @BeforeClass
    public static void shippedDistributionAndANamespace() throws Exception {
        assumeTrue("network namespaces need root", "root".equals(System.getProperty("user.name")));
        assumeTrue("radclient not installed (.ci/install-tools.sh installs it)", new File("/usr/bin/radclient").canExecute());
        deleteNamespace();
        sh("ip", "netns", "add", NS);
        sh("ip", "link", "add", "otwsd-h", "type", "veth", "peer", "name", "otwsd-n");
        sh("ip", "link", "set", "otwsd-n", "netns", NS);
        sh("ip", "addr", "add", HOST_IP + "/30", "dev", "otwsd-h");
        sh("ip", "link", "set", "otwsd-h", "up");
        sh("ip", "netns", "exec", NS, "ip", "addr", "add", "10.232.0.2/30", "dev", "otwsd-n");
        sh("ip", "netns", "exec", NS, "ip", "link", "set", "otwsd-n", "up");

        Path shipped = Path.of("../karaf-assembly/target/assembly/etc").toAbsolutePath().normalize();
        // RADIUS listens on every interface as shipped (the helper moves it to loopback for the other tests).
        node = StandaloneDistribution.start("secure-defaults", AUTH_PORT, ACCT_PORT, PLACEHOLDER,
                Map.of("org.opentwag.radius.cfg:bindAddress", "0.0.0.0"),
                home -> Files.copy(shipped.resolve(CLIENT_CFG), home.resolve("etc").resolve(CLIENT_CFG),
                        StandardCopyOption.REPLACE_EXISTING));
    }

    @AfterClass
    public static void cleanUp() throws Exception {
        if (node != null) {
            node.close();
        }
        deleteNamespace();
    }

    private static void deleteNamespace() throws Exception {
        sh("ip", "netns", "del", NS);
        sh("ip", "link", "del", "otwsd-h");
    }

    /** A Status-Server from the namespace (source 10.232.0.2), one try: true when answered. */
    private static boolean answeredFromBeyondLoopback(String secret) throws Exception {
        ExternalTool.Result r = ExternalTool.run(List.of("ip", "netns", "exec", NS, "radclient", "-x", "-r", "1", "-t", "2",
                HOST_IP + ":" + AUTH_PORT, "status", secret), "Message-Authenticator = 0x00\nNAS-Identifier = \"ap-outside\"\n".getBytes(
                StandardCharsets.US_ASCII), 20);
        return r.output().contains("Received Access-Accept");
    }

    private static boolean answeredOnLoopback(String secret) throws Exception {
        ExternalTool.Result r = ExternalTool.run(List.of("radclient", "-x", "-r", "1", "-t", "2",
                "127.0.0.1:" + AUTH_PORT, "status", secret), "Message-Authenticator = 0x00\nNAS-Identifier = \"ap-local\"\n".getBytes(
                StandardCharsets.US_ASCII), 20);
        return r.output().contains("Received Access-Accept");
    }

    private static double dropped(String reason) throws Exception {
        return Metrics.scrape(node.metricsPort()).getOrDefault("radius_dropped_count{reason=\"" + reason + "\"}", 0.0);
    }

    private static void setAccessPointGroup(String key, String value) throws Exception {
        StandaloneDistribution.set(node.home().resolve("etc"), CLIENT_CFG, key, value);
    }

    @Test
    public void a_theShippedAccessPointGroupServesThisMachineOnly() throws Exception {
        String cfg = Files.readString(node.home().resolve("etc").resolve(CLIENT_CFG));
        assertTrue(cfg, cfg.contains("subnets = 127.0.0.0/8, ::1/128"));
        assertTrue("loopback is served as shipped", answeredOnLoopback(PLACEHOLDER));
        double before = dropped("unknown_client");
        assertFalse("a source beyond loopback got an answer", answeredFromBeyondLoopback(PLACEHOLDER));
        assertEquals(before + 1, dropped("unknown_client"), 0.0);
    }

    @Test
    public void b_aWiderGroupWithThePlaceholderSecretIsRefusedAndSaysSo() throws Exception {
        setAccessPointGroup("subnets", "127.0.0.0/8, 10.232.0.0/30");
        node.awaitLog("RADIUS client group 'default' refused for [10.232.0.0/30]: its secret is the shipped placeholder", 30);
        double before = dropped("client_group_refused");
        assertFalse("the placeholder secret was served beyond loopback", answeredFromBeyondLoopback(PLACEHOLDER));
        assertEquals(before + 1, dropped("client_group_refused"), 0.0);
        assertEquals(1.0, Metrics.value(node.metricsPort(), "radius_client_group_refused"), 0.0);
        assertTrue("loopback stays served", answeredOnLoopback(PLACEHOLDER));
        ExternalTool.Result check = node.console("twag:check", 60);
        assertTrue(check.output(), check.output().contains(
                "RADIUS client group 'default' is refused for [10.232.0.0/30]: its secret is the shipped placeholder"));
    }

    @Test
    public void c_aShortSecretIsRefusedAndALongOneServed() throws Exception {
        setAccessPointGroup("secret", "fifteen-chars15");
        node.awaitLog("refused for [10.232.0.0/30]: its secret is shorter than 16 characters", 30);
        assertFalse(answeredFromBeyondLoopback("fifteen-chars15"));
        String strong = "k9Qw2-long-random-secret-Zp";
        setAccessPointGroup("secret", strong);
        // The namespace's path works: with a real secret the same request is answered.
        long deadline = System.currentTimeMillis() + 30_000;
        boolean answered;
        do {
            answered = answeredFromBeyondLoopback(strong);
        } while (!answered && System.currentTimeMillis() < deadline);
        assertTrue("a 27-character secret is served beyond loopback", answered);
        assertEquals(0.0, Metrics.value(node.metricsPort(), "radius_client_group_refused"), 0.0);
    }

    /**
     * Runs last: the rest of what a stranger on the network meets on a fresh install. Metrics: nothing listens on
     * this host's non-loopback address; twag:check names what is still unsafe, among it the generated password file.
     */
    @Test
    public void d_metricsStayOnThisMachineAndTwagCheckSaysWhatIsLeft() throws Exception {
        assertTrue(Metrics.scrape(node.metricsPort()).containsKey("radius_access_request_count"));
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(HOST_IP, node.metricsPort()), 2000);
            throw new AssertionError("metrics answered on " + HOST_IP);
        } catch (java.net.ConnectException refused) {
            // as shipped: 127.0.0.1 only
        }
        String check = node.console("twag:check", 60).output();
        assertTrue(check, check.contains("[WARNING] login:"));
        assertTrue(check, check.contains("what to do:"));
    }
}
