package org.opentwag.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The distribution as an operator runs it: its own process (bin/karaf server) from a private copy under target/,
 * every port moved off those of the Pax Exam tests, so a test may kill it, fill its disk or restart it.
 */
public final class StandaloneDistribution implements AutoCloseable {

    private final Path home;
    private final Process process;
    private final int basePort;
    private final int acctPort;
    private final Map<String, String> environment;
    /** The network namespace Karaf runs in (ip netns exec), or null for the test's own. */
    private final String netns;

    private StandaloneDistribution(Path home, Process process, int basePort, int acctPort, Map<String, String> environment,
                                   String netns) {
        this.home = home;
        this.process = process;
        this.basePort = basePort;
        this.acctPort = acctPort;
        this.environment = environment;
        this.netns = netns;
    }

    /**
     * As {@link #start(String, int, int, String, Map)}, with Karaf running inside the network namespace {@code netns}
     * (ip netns exec), where a peer lives on its loopback (open5gs). Tools that talk to it must run there too:
     * {@link #inNamespace(List)}; {@link #console} and {@link #metricsText()} do.
     */
    public static StandaloneDistribution startInNamespace(String netns, String name, int authPort, int acctPort,
                                                          String secret, Map<String, String> extra) throws Exception {
        Path home = prepare(name, authPort, acctPort, secret, extra, h -> { });
        return launch(home, base(name), acctPort, Map.of(), netns);
    }

    /** The command run inside this node's network namespace (unchanged when it has none). */
    public List<String> inNamespace(List<String> command) {
        if (netns == null) {
            return command;
        }
        List<String> c = new java.util.ArrayList<>(List.of("ip", "netns", "exec", netns));
        c.addAll(command);
        return c;
    }

    /** The Prometheus text of this node's /metrics, fetched from inside its namespace (curl). */
    public String metricsText() throws Exception {
        ExternalTool.Result r = ExternalTool.run(inNamespace(List.of("curl", "-s", "-m", "5",
                "http://127.0.0.1:" + metricsPort() + "/metrics")), null, 10);
        return r.output();
    }

    /**
     * Copies the built distribution to target/{name}, moves its ports (RADIUS to the given ones, the rest to
     * name-specific ones), applies the extra settings ("file.cfg:key" to value), starts it and waits until RADIUS
     * and accounting are up.
     */
    public static StandaloneDistribution start(String name, int authPort, int acctPort, String secret,
                                               Map<String, String> extra) throws Exception {
        return start(name, authPort, acctPort, secret, extra, Map.of(), home -> { });
    }

    /** A change to the copied installation before it starts (e.g. features added to featuresBoot). */
    public interface Preparation {
        void prepare(Path home) throws Exception;
    }

    /** As {@link #start(String, int, int, String, Map)}, with a last change to the copy before it starts. */
    public static StandaloneDistribution start(String name, int authPort, int acctPort, String secret,
                                               Map<String, String> extra, Preparation preparation) throws Exception {
        return start(name, authPort, acctPort, secret, extra, Map.of(), preparation);
    }

    /** As {@link #start(String, int, int, String, Map)}, with variables added to the Karaf process' environment. */
    public static StandaloneDistribution start(String name, int authPort, int acctPort, String secret,
                                               Map<String, String> extra, Map<String, String> environment) throws Exception {
        return start(name, authPort, acctPort, secret, extra, environment, home -> { });
    }

    /** The general form: settings, environment variables and a last change to the copy before it starts. */
    public static StandaloneDistribution start(String name, int authPort, int acctPort, String secret,
                                               Map<String, String> extra, Map<String, String> environment,
                                               Preparation preparation) throws Exception {
        Path home = prepare(name, authPort, acctPort, secret, extra, preparation);
        return launch(home, base(name), acctPort, environment, null);
    }

    private static int base(String name) {
        return 30000 + Math.floorMod(name.hashCode(), 50) * 100;
    }

    private static Path prepare(String name, int authPort, int acctPort, String secret, Map<String, String> extra,
                                Preparation preparation) throws Exception {
        Path home = copy(name);
        Path etc = home.resolve("etc");
        int base = base(name);
        set(etc, "org.opentwag.radius.cfg", "authPort", String.valueOf(authPort));
        set(etc, "org.opentwag.radius.cfg", "acctPort", String.valueOf(acctPort));
        set(etc, "org.opentwag.radius.cfg", "bindAddress", "127.0.0.1");
        set(etc, "org.opentwag.radius.client-default.cfg", "secret", secret);
        set(etc, "org.opentwag.radius.client-default.cfg", "subnets", "127.0.0.1/32");
        set(etc, "org.opentwag.metrics.cfg", "port", String.valueOf(base + 1));
        set(etc, "org.opentwag.diameter.cfg", "listenPort", String.valueOf(base + 2));
        set(etc, "org.opentwag.hsssim.cfg", "listenPort", String.valueOf(base + 3));
        set(etc, "org.opentwag.diameter.peer-hss.cfg", "port", String.valueOf(base + 3));
        set(etc, "org.apache.karaf.shell.cfg", "sshPort", String.valueOf(base + 4));
        set(etc, "org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(base + 5));
        set(etc, "org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(base + 6));
        // Karaf's shutdown socket takes a random port by default, which can be one of these fixed ones (seen: a
        // node's metrics port, so its metrics never answered); so it gets a fixed one of its own.
        set(etc, "config.properties", "karaf.shutdown.port", String.valueOf(base + 10));
        if (Files.exists(etc.resolve("org.opentwag.ocssim.cfg"))) {
            set(etc, "org.opentwag.ocssim.cfg", "listenPort", String.valueOf(base + 7));
            set(etc, "org.opentwag.diameter.peer-ocs.cfg", "port", String.valueOf(base + 7));
        }
        if (Files.exists(etc.resolve("org.ops4j.pax.web.cfg"))) {
            set(etc, "org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure", String.valueOf(base + 8));
            set(etc, "org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(base + 9));
        }
        for (Map.Entry<String, String> e : extra.entrySet()) {
            String[] fileKey = e.getKey().split(":", 2);
            set(etc, fileKey[0], fileKey[1], e.getValue());
        }
        preparation.prepare(home);
        return home;
    }

    private static StandaloneDistribution launch(Path home, int base, int acctPort, Map<String, String> environment,
                                                 String netns) throws Exception {
        Files.deleteIfExists(home.resolve("data/log/karaf.log"));
        List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/karaf").toString(), "server"));
        if (netns != null) {
            command.addAll(0, List.of("ip", "netns", "exec", netns)); // ip execs: Karaf stays this process' child
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("console.log").toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        StandaloneDistribution d = new StandaloneDistribution(home, process, base, acctPort, environment, netns);
        try {
            d.awaitLog("RADIUS server listening on port " + acctPort, 180); // a boot on 2 loaded cores has taken over 90 s
            d.awaitLog("Accounting store ready", 30);
            if (netns != null) {
                d.awaitMetricLine("eap_aka_identity_count{method=\"EAP-AKA\"}", 60);
                d.awaitMetricLine("diameter_peer_open{peer=\"" + Metrics.HSS + "\"} 1", 60);
                // online charging refuses a login before the OCS link is up (as Metrics.awaitLinks waits for it)
                d.awaitMetricLine("diameter_peer_open{peer=\"" + ocsPeer(home) + "\"} 1", 60);
            } else {
                Metrics.awaitLinks(d.metricsPort(), ocsPeer(home));
            }
        } catch (Throwable notUp) {
            d.close(); // the test never gets the handle: no Karaf may outlive it
            throw notUp;
        }
        return d;
    }

    /** The host of etc/org.opentwag.diameter.peer-ocs.cfg: the embedded simulator's, or the OCS a test points it at. */
    private static String ocsPeer(Path home) throws IOException {
        Path f = home.resolve("etc/org.opentwag.diameter.peer-ocs.cfg");
        if (!Files.exists(f)) {
            return Metrics.OCS;
        }
        return Files.readAllLines(f).stream().filter(l -> l.matches("^\\s*host\\s*=.*"))
                .map(l -> l.substring(l.indexOf('=') + 1).trim()).reduce((a, b) -> b).orElse(Metrics.OCS);
    }

    /** Starts the same installation again (same data/, same etc/), as after a crash or a reboot. */
    public StandaloneDistribution restart() throws Exception {
        return launch(home, basePort, acctPort, environment, netns);
    }

    /** Waits, bounded, until /metrics (read inside the namespace) shows a series starting with {@code prefix}. */
    private void awaitMetricLine(String prefix, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (metricsText().lines().noneMatch(l -> l.startsWith(prefix))) {
            if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                throw new AssertionError("no metric " + prefix + " within " + seconds + " s");
            }
            Thread.sleep(500);
        }
    }

    /** Waits, bounded, until this node's /metrics shows {@code series} at {@code expected} ({@link Metrics#await}). */
    public void awaitMetric(String series, double expected, int seconds) throws Exception {
        Metrics.await(metricsPort(), series, expected, seconds);
    }

    public Path home() {
        return home;
    }

    public Path log() {
        return home.resolve("data/log/karaf.log");
    }

    public String logText() throws IOException {
        return Files.exists(log()) ? Files.readString(log()) : "";
    }

    /** The launcher's process id: unchanged as long as the node was not restarted. */
    public long pid() {
        return process.pid();
    }

    public int metricsPort() {
        return basePort + 1;
    }

    /** The embedded HSS simulator's Diameter port (the SWx peer of this node). */
    public int hssPort() {
        return basePort + 3;
    }

    /** Pax Web's HTTPS port: the dashboard and the REST API. */
    public int httpsPort() {
        return basePort + 8;
    }

    /** Pax Web's plain HTTP port (off unless a test turns it on). */
    public int httpPort() {
        return basePort + 9;
    }

    /** Karaf's ssh console port (bin/client -a). */
    public int sshPort() {
        return basePort + 4;
    }

    /** Where the admin password generated on first start is, until an operator deletes it. */
    public Path adminPasswordFile() {
        return home.resolve("etc/admin-password");
    }

    /** The admin password this installation generated on its first start (waits, bounded, for the file). */
    public String adminPassword() throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!Files.exists(adminPasswordFile())) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no generated admin password in " + adminPasswordFile());
            }
            Thread.sleep(200);
        }
        return Files.readString(adminPasswordFile()).strip();
    }

    /** "admin:password" for HTTP basic auth on the dashboard and REST API. */
    public String adminLogin() throws Exception {
        return "admin:" + adminPassword();
    }

    /**
     * Runs a Karaf console command through bin/client over the node's ssh port, as an operator would, and returns
     * its output. stdin stays open while it runs: bin/client quits at once on EOF.
     */
    public ExternalTool.Result console(String command, long timeoutSeconds) throws Exception {
        return console("admin", adminPassword(), command, timeoutSeconds);
    }

    /** As {@link #console(String, long)}, logged in as the given user with the given password. */
    public ExternalTool.Result console(String user, String password, String command, long timeoutSeconds)
            throws Exception {
        Process p = new ProcessBuilder(inNamespace(List.of(home.resolve("bin/client").toString(), "-a",
                String.valueOf(sshPort()), "-u", user, "-p", password, "-r", "30", command)))
                .redirectErrorStream(true).start();
        // Read while it runs, so a long output cannot fill the pipe and stall it.
        java.util.concurrent.CompletableFuture<byte[]> output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("console command did not finish in " + timeoutSeconds + " s: " + command);
            }
            return new ExternalTool.Result(p.exitValue(), new String(output.get(10, TimeUnit.SECONDS),
                    java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            p.getOutputStream().close();
        }
    }

    /** The matching lines of every karaf.log* (the log rolls over at 16 MB), sorted (lines begin with the time). */
    public List<String> logLines(java.util.function.Predicate<String> matching) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> logs = Files.list(log().getParent())) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("karaf.log")).toList()) {
                try (Stream<String> l = Files.lines(log)) {
                    l.filter(matching).forEach(lines::add);
                }
            }
        }
        java.util.Collections.sort(lines);
        return lines;
    }

    /** Waits, bounded, until the Karaf log contains the text. */
    public void awaitLog(String text, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!logText().contains(text)) {
            if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                Path console = home.resolve("console.log");
                throw new AssertionError("not in the log within " + seconds + " s: " + text + "\n"
                        + (Files.exists(console) ? Files.readString(console) : ""));
            }
            Thread.sleep(200);
        }
    }

    /** SIGKILL to the JVM: no shutdown hook, no flush, as when the kernel's OOM killer or a power cut strikes. */
    public void killMinus9() throws Exception {
        List<ProcessHandle> jvms = process.descendants()
                .filter(p -> p.info().command().orElse("").endsWith("java")).toList();
        if (jvms.size() != 1) {
            throw new AssertionError("expected one Karaf JVM under bin/karaf, found " + jvms.size());
        }
        new ProcessBuilder("kill", "-9", String.valueOf(jvms.get(0).pid())).start().waitFor(5, TimeUnit.SECONDS);
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Karaf's own stop: bundles deactivate, accounting flushes, the database closes. */
    public void stop() throws Exception {
        List<ProcessHandle> jvms = process.descendants().toList();
        new ProcessBuilder(home.resolve("bin/stop").toString()).directory(home.toFile()).start()
                .waitFor(30, TimeUnit.SECONDS);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            close();
        }
        // A test reads the server's files next (its H2 database): the JVM must be gone, not only bin/karaf.
        for (ProcessHandle jvm : jvms) {
            try {
                jvm.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                jvm.destroyForcibly();
                jvm.onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static Path copy(String name) throws IOException {
        Path source = Path.of("../karaf-assembly/target/assembly").toAbsolutePath().normalize();
        Path target = Path.of("target", name, "assembly").toAbsolutePath();
        if (Files.exists(target)) {
            try (Stream<Path> old = Files.walk(target)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.startsWith(source.resolve("data"))) {
                    continue; // a fresh node: no state of earlier runs
                }
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    /**
     * Writes the cluster key where the shipped etc/org.opentwag.state.hazelcast.cfg looks for it
     * ({@code clusterKey = $[secret:opentwag-cluster.key]}), readable by its owner only, as docs/cluster.md says.
     */
    static void writeClusterKey(Path home, String base64Key) throws IOException {
        Path f = home.resolve("etc/opentwag-cluster.key");
        Files.writeString(f, base64Key + "\n");
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    /** A fresh random cluster key (base64 of 32 bytes), as openssl rand -base64 32 makes one. */
    static String newClusterKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    /** Adds features to featuresBoot in etc/org.apache.karaf.features.cfg, before the umbrella feature. */
    static void bootAlso(Path home, String... features) throws Exception {
        Path cfg = home.resolve("etc/org.apache.karaf.features.cfg");
        StringBuilder extra = new StringBuilder();
        for (String f : features) {
            extra.append("    ").append(f).append(", \\\n");
        }
        String text = Files.readString(cfg, java.nio.charset.StandardCharsets.UTF_8);
        String patched = text.replaceFirst("(?m)^(featuresBoot\\s*=\\s*\\\\\\n)", "$1" + extra.toString()
                .replace("\\", "\\\\"));
        if (patched.equals(text)) {
            throw new AssertionError("no featuresBoot in " + cfg);
        }
        Files.writeString(cfg, patched, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Sets key = value in a Karaf .cfg file, replacing an existing line or appending. */
    static void set(Path etc, String file, String key, String value) throws IOException {
        Path f = etc.resolve(file);
        List<String> lines = new ArrayList<>(Files.exists(f) ? Files.readAllLines(f) : List.of());
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("^\\s*" + Pattern.quote(key) + "\\s*=.*")) {
                lines.set(i, key + " = " + value);
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(key + " = " + value);
        }
        Files.write(f, lines);
    }
}
