package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * freeDiameter 1.2.1 (Debian freediameterd), a Diameter node we did not write, in a network namespace of its own:
 * freeDiameter will not run on loopback alone, so each instance gets a namespace and a veth pair (a /30: the host end
 * and the namespace end). This class writes its configuration (one place for every freeDiameter IT), starts it with
 * a bound on its running time, and removes namespace and link on {@link #close()}. Needs root and the packages that
 * .ci/install-tools.sh installs (freediameterd, freediameter-extensions, iproute2, openssl): without them it fails.
 */
final class FreeDiameter implements AutoCloseable {

    /**
     * A peer freeDiameter knows. {@code port} 0: it never dials it (a peer that connects to it: freeDiameter accepts
     * only peers it knows); {@code tls} false: plain TCP (No_TLS, and an acl_wl ALLOW_IPSEC entry, without which
     * freeDiameter refuses a CER over TCP).
     */
    record Peer(String identity, String address, int port, boolean tls) {
        static Peer connectingToIt(String identity, String address, boolean tls) {
            return new Peer(identity, address, 0, tls);
        }
    }

    static final String EXTENSIONS = "/usr/lib/freeDiameter/";
    static final int PORT = 3868;
    static final int TLS_PORT = 5868;

    private final String namespace;
    private final String hostInterface;
    private final String hostAddress;
    private final String address;
    private final Path dir;
    private String identity;
    private String realm;
    private String certificate;
    private String key;
    private String ca;
    private final List<Peer> peers = new ArrayList<>();
    private final List<String> extensions = new ArrayList<>();
    private final List<String> routes = new ArrayList<>();
    private int maxSeconds = 120;
    private Process process;

    /**
     * Creates namespace {@code namespace} with a veth pair {@code link}-h (here, {@code subnet}.1) / {@code link}-n
     * (there, {@code subnet}.2), e.g. subnet "10.231.0".
     */
    FreeDiameter(String namespace, String link, String subnet) throws Exception {
        requireTools();
        this.namespace = namespace;
        this.hostInterface = link + "-h";
        this.hostAddress = subnet + ".1";
        this.address = subnet + ".2";
        sh("ip", "netns", "del", namespace);
        sh("ip", "link", "del", hostInterface);
        mustRun("ip", "netns", "add", namespace);
        mustRun("ip", "link", "add", hostInterface, "type", "veth", "peer", "name", link + "-n");
        mustRun("ip", "link", "set", link + "-n", "netns", namespace);
        mustRun("ip", "addr", "add", hostAddress + "/30", "dev", hostInterface);
        mustRun("ip", "link", "set", hostInterface, "up");
        mustRun("ip", "netns", "exec", namespace, "ip", "addr", "add", address + "/30", "dev", link + "-n");
        mustRun("ip", "netns", "exec", namespace, "ip", "link", "set", link + "-n", "up");
        mustRun("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
        this.dir = Files.createTempDirectory("freediameter-" + namespace);
    }

    static void requireTools() {
        assertEquals("freeDiameter in a network namespace needs root (CI runs as root)", "root",
                System.getProperty("user.name"));
        for (String tool : List.of("/usr/bin/freeDiameterd", "/usr/bin/openssl", EXTENSIONS + "dict_dcca_3gpp.fdx",
                EXTENSIONS + "rt_default.fdx", EXTENSIONS + "acl_wl.fdx")) {
            assertTrue(tool + " is missing: run .ci/install-tools.sh (Debian freediameterd, freediameter-extensions, "
                    + "openssl)", new File(tool).exists());
        }
    }

    /** Its address, in the namespace. */
    String address() {
        return address;
    }

    /** Our end of the veth pair. */
    String hostAddress() {
        return hostAddress;
    }

    String hostInterface() {
        return hostInterface;
    }

    Path dir() {
        return dir;
    }

    FreeDiameter identity(String identity, String realm) {
        this.identity = identity;
        this.realm = realm;
        return this;
    }

    /** Its TLS certificate and key (PEM) and the CA it trusts; freeDiameter wants them even with TLS unused. */
    FreeDiameter credentials(String certificate, String key, String ca) {
        this.certificate = certificate;
        this.key = key;
        this.ca = ca;
        return this;
    }

    FreeDiameter peer(Peer peer) {
        peers.add(peer);
        return this;
    }

    /** Loads an extension of freediameter-extensions, e.g. "dict_dcca_3gpp" (the 3GPP AVPs of SWx and Gy). */
    FreeDiameter extension(String name) {
        extensions.add(name);
        return this;
    }

    /**
     * The 3GPP dictionary (SWx, Gy AVPs), with the extensions it depends on loaded first (freeDiameter refuses to start
     * otherwise): dict_nasreq, dict_dcca, dict_dcca_3gpp.
     */
    FreeDiameter threeGppDictionary() {
        return extension("dict_nasreq").extension("dict_dcca").extension("dict_dcca_3gpp");
    }

    /** An rt_default rule (loads rt_default), e.g. {@code dr="epc.test" : rlm="epc.test" += REALM}. */
    FreeDiameter route(String rule) {
        routes.add(rule);
        return this;
    }

    FreeDiameter maxSeconds(int seconds) {
        this.maxSeconds = seconds;
        return this;
    }

    /** The configuration file it runs with (written by {@link #start()}). */
    String configuration() {
        StringBuilder c = new StringBuilder();
        c.append("Identity = \"").append(identity).append("\";\nRealm = \"").append(realm).append("\";\n")
                .append("Port = ").append(PORT).append(";\nSecPort = ").append(TLS_PORT).append(";\n")
                .append("No_SCTP;\nNo_IPv6;\nListenOn = \"").append(address).append("\";\nTwTimer = 6;\n")
                .append("TLS_Cred = \"").append(certificate).append("\", \"").append(key).append("\";\n")
                .append("TLS_CA = \"").append(ca).append("\";\n");
        for (String e : extensions) {
            c.append("LoadExtension = \"").append(EXTENSIONS).append(e).append(".fdx\";\n");
        }
        List<String> plain = plainTcpCallers();
        if (!plain.isEmpty()) {
            c.append("LoadExtension = \"").append(EXTENSIONS).append("acl_wl.fdx\" : \"").append(dir.resolve("acl_wl.conf"))
                    .append("\";\n");
        }
        if (!routes.isEmpty()) {
            c.append("LoadExtension = \"").append(EXTENSIONS).append("rt_default.fdx\" : \"")
                    .append(dir.resolve("rt_default.conf")).append("\";\n");
        }
        for (Peer p : peers) {
            // A peer it must not dial gets port 1 (nothing listens there) and a long Tc: it only answers that peer.
            c.append("ConnectPeer = \"").append(p.identity()).append("\" { ConnectTo = \"").append(p.address())
                    .append("\"; Port = ").append(p.port() > 0 ? p.port() : 1).append("; TcTimer = ")
                    .append(p.port() > 0 ? 3 : 600).append(";").append(p.tls() ? "" : " No_TLS;").append(" };\n");
        }
        return c.toString();
    }

    /** Peers that connect to it over plain TCP: acl_wl must let their CER in. */
    private List<String> plainTcpCallers() {
        return peers.stream().filter(p -> !p.tls() && p.port() == 0).map(Peer::identity).toList();
    }

    FreeDiameter start() throws Exception {
        Files.writeString(dir.resolve("fd.conf"), configuration());
        Files.writeString(dir.resolve("acl_wl.conf"), "ALLOW_IPSEC " + String.join(" ", plainTcpCallers()) + "\n");
        Files.writeString(dir.resolve("rt_default.conf"), String.join(" ;\n", routes) + (routes.isEmpty() ? "" : " ;\n"));
        process = new ProcessBuilder("timeout", String.valueOf(maxSeconds), "ip", "netns", "exec", namespace,
                "freeDiameterd", "-c", dir.resolve("fd.conf").toString(), "-d").redirectErrorStream(true)
                .redirectOutput(dir.resolve("fd.log").toFile()).start();
        return this;
    }

    /** Kills the daemon at once (SIGKILL to every process of its namespace): a relay that dies, no DPR. */
    void kill() throws Exception {
        ExternalTool.Result pids = ExternalTool.run(List.of("ip", "netns", "pids", namespace), null, 10);
        for (String pid : pids.output().lines().map(String::strip).filter(l -> l.matches("\\d+")).toList()) {
            sh("kill", "-9", pid);
        }
        if (process != null) {
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    String log() throws Exception {
        Path log = dir.resolve("fd.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
        sh("ip", "netns", "del", namespace);
        sh("ip", "link", "del", hostInterface);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    static void sh(String... cmd) throws Exception {
        ExternalTool.run(List.of(cmd), null, 20);
    }

    static void mustRun(String... cmd) throws Exception {
        ExternalTool.Result r = ExternalTool.run(List.of(cmd), null, 60);
        assertEquals(String.join(" ", cmd) + "\n" + r.output(), 0, r.exitCode());
    }
}
