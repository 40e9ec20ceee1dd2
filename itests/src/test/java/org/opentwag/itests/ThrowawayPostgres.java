package org.opentwag.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.rules.ExternalResource;

/**
 * A PostgreSQL server of Debian's package, created for one test (initdb in a temporary folder, pg_ctl on a loopback
 * port) and deleted after it. PostgreSQL refuses to run as root, as CI does: then it runs as the package's
 * "postgres" user. Trust authentication, loopback only: it lives for the test and holds nothing.
 *
 * <p>A JUnit rule: the test starts it when it wants ({@link #start()}, e.g. inside a timed part) and points its nodes'
 * accounting at it ({@link #accountingSettings()}); it is stopped after the test, after the test's own {@code @After}
 * (which stops the nodes that write to it).
 */
final class ThrowawayPostgres extends ExternalResource {

    static final String USER = "twag";
    static final String DATABASE = "twag";

    private final int port;
    private Path bin;
    private Path dir;
    private boolean asPostgresUser;

    ThrowawayPostgres(int port) {
        this.port = port;
    }

    /** Debian's server binaries (package postgresql), or null when the package is not installed. */
    static Path serverBin() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder()).orElse(null);
        }
    }

    /** Creates and starts the server, with an empty database {@link #DATABASE} owned by {@link #USER}. */
    void start() throws Exception {
        if (dir != null) {
            throw new IllegalStateException("already started");
        }
        bin = serverBin();
        if (bin == null) {
            throw new AssertionError("PostgreSQL server not installed (apt-get install postgresql; see .ci/install-tools.sh)");
        }
        asPostgresUser = new ProcessBuilder("id", "-u").start().inputReader().readLine().trim().equals("0");
        dir = Files.createTempDirectory("opentwag-pg-");
        if (asPostgresUser) {
            run(List.of("chown", "postgres:postgres", dir.toString()), false);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                "--auth=trust", "--encoding=UTF8", "--no-sync"), true);
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "60",
                "-l", dir.resolve("server.log").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"), true);
        psql("postgres", "CREATE DATABASE " + DATABASE);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /**
     * The settings ("file.cfg:key" to value, as {@link StandaloneDistribution#start} takes them) that make a node's
     * accounting write to this database, through the driver of the feature opentwag-accounting-postgresql.
     */
    Map<String, String> accountingSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("org.opentwag.accounting.cfg:url", jdbcUrl());
        settings.put("org.opentwag.accounting.cfg:user", USER);
        settings.put("org.opentwag.accounting.cfg:dataSourceFactory.target",
                "(osgi.jdbc.driver.class=org.postgresql.Driver)");
        return settings;
    }

    /** Runs SQL with psql (a client we did not write) and returns its unaligned, tuples-only output. */
    String psql(String database, String sql) throws Exception {
        return run(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", USER,
                "-d", database, "-v", "ON_ERROR_STOP=1", "-A", "-t", "-c", sql), false).trim();
    }

    private String run(List<String> command, boolean asServerUser) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asServerUser && asPostgresUser) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        ExternalTool.Result r = ExternalTool.run(cmd, null, 120);
        if (r.exitCode() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed:\n" + r.output());
        }
        return r.output();
    }

    /** Stops and deletes the server, when the test started it. */
    @Override
    protected void after() {
        if (dir == null) {
            return;
        }
        try {
            stop();
        } catch (Exception e) {
            throw new AssertionError("stopping PostgreSQL in " + dir, e);
        }
    }

    private void stop() throws Exception {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"), true);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
