package org.opentwag.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of Debian's package, created for one test (initdb in a temporary folder, pg_ctl on a loopback
 * port) and deleted after it. PostgreSQL refuses to run as root, as CI does: then it runs as the package's
 * "postgres" user. Trust authentication, loopback only: it lives for the test and holds nothing.
 */
final class ThrowawayPostgres implements AutoCloseable {

    static final String USER = "twag";
    static final String DATABASE = "twag";

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private ThrowawayPostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
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

    static ThrowawayPostgres start(int port) throws Exception {
        Path bin = serverBin();
        if (bin == null) {
            throw new AssertionError("PostgreSQL server not installed (apt-get install postgresql; see .ci/install-tools.sh)");
        }
        boolean root = new ProcessBuilder("id", "-u").start().inputReader().readLine().trim().equals("0");
        Path dir = Files.createTempDirectory("opentwag-pg-");
        ThrowawayPostgres pg = new ThrowawayPostgres(bin, dir, port, root);
        if (root) {
            pg.run(List.of("chown", "postgres:postgres", dir.toString()), false);
        }
        pg.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                "--auth=trust", "--encoding=UTF8", "--no-sync"), true);
        pg.run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "60",
                "-l", dir.resolve("server.log").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"), true);
        pg.psql("postgres", "CREATE DATABASE " + DATABASE);
        return pg;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
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

    @Override
    public void close() throws Exception {
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
