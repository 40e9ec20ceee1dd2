package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * "An Accounting-Response leaves only after its record is on stable storage", tested the way Jepsen tests databases:
 * the accounting database lives on LazyFS, a FUSE file system with its own page cache that forgets every write not
 * fsync'd when told to ({@code lazyfs::clear-cache} into its fault FIFO). APs flood the server; right after a batch
 * of Accounting-Responses the power goes: the JVM is killed (SIGKILL) and LazyFS drops its unsynced writes at the
 * same moment, as a power cut takes both together. (Dropping them while the server still runs would let it write on
 * top of a file state that no power cut leaves behind.) LazyFS is unmounted and mounted again on what reached its
 * backing directory, the server restarts on it, and every acknowledged record must be in the database.
 *
 * <p>The second test runs the same with {@code syncToDisk = false} (the settings of earlier versions: H2 with
 * WRITE_DELAY=0, the OS page cache) and asserts that acknowledged records ARE lost: the test can fail, and fails for
 * the reason it names. Needs root and FUSE (/dev/fuse, fusermount3) and LazyFS built by .ci/install-tools.sh;
 * skipped otherwise.
 */
public class AccountingPowerLossIT {

    private static final int AUTH_PORT = 26812;
    private static final int ACCT_PORT = 26813;
    private static final String SECRET = "power-loss-secret";
    /** The cut comes once this many requests were acknowledged: a few group commits into the flood. */
    private static final int ACKNOWLEDGED_BEFORE_CUT = 3_000;
    private static final long FLOOD_MILLIS = 20_000;

    private Path lazyfs;
    private StandaloneDistribution karaf;
    private LazyFs mount;

    @Before
    public void requireRootAndFuse() throws Exception {
        lazyfs = Path.of(System.getProperty("opentwag.tools", System.getProperty("user.home") + "/.cache/opentwag/bin"),
                "lazyfs");
        assumeTrue("mounting FUSE file systems needs root", "root".equals(System.getProperty("user.name")));
        assumeTrue("needs /dev/fuse (FUSE in the kernel)", Files.exists(Path.of("/dev/fuse")));
        assumeTrue("needs fusermount3 (Debian fuse3)", run(10, "fusermount3", "-V") == 0);
        assumeTrue("needs LazyFS: run .ci/install-tools.sh (" + lazyfs + ")", Files.isExecutable(lazyfs));
    }

    @After
    public void cleanUp() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
        if (mount != null) {
            mount.unmount();
        }
    }

    @Test
    public void everyAcknowledgedRecordSurvivesAPowerCut() throws Exception {
        Outcome o = powerCut("powerloss-synced", true);
        assertTrue("the server restarted on what the power cut left: " + o.restartFailure, o.restartFailure == null);
        assertTrue("acknowledged but lost in the power cut: " + o.lost().stream().limit(10).toList(),
                o.lost().isEmpty());
    }

    @Test
    public void withoutSyncToDiskAPowerCutLosesAcknowledgedRecords() throws Exception {
        Outcome o = powerCut("powerloss-unsynced", false);
        assertTrue("with syncToDisk = false, records acknowledged from the page cache are lost in a power cut"
                + " (else this test could not tell a synced server from an unsynced one)", !o.lost().isEmpty());
    }

    private record Outcome(Set<String> acknowledged, Set<String> stored, String restartFailure) {
        Set<String> lost() {
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(stored);
            return lost;
        }
    }

    private Outcome powerCut(String name, boolean syncToDisk) throws Exception {
        Path base = Path.of("target", name).toAbsolutePath();
        mount = new LazyFs(lazyfs, base.resolve("lazyfs"));
        mount.clean();
        mount.mount();
        String url = "jdbc:h2:file:" + mount.dir().resolve("accounting") + ";WRITE_DELAY=0";
        karaf = StandaloneDistribution.start(name, AUTH_PORT, ACCT_PORT, SECRET, Map.of(
                "org.opentwag.accounting.cfg:url", url,
                "org.opentwag.accounting.cfg:syncToDisk", String.valueOf(syncToDisk)));
        karaf.awaitLog(syncToDisk ? "acknowledged once on stable storage" : "acknowledged once in the OS page cache", 5);

        Set<String> sent = ConcurrentHashMap.newKeySet();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<Thread> aps = AccountingFlood.start(ACCT_PORT, SECRET, AccountingCrashIT.SOCKETS,
                AccountingCrashIT.WINDOW, System.currentTimeMillis() + FLOOD_MILLIS, sent, acknowledged);
        long deadline = System.currentTimeMillis() + FLOOD_MILLIS;
        while (acknowledged.size() < ACKNOWLEDGED_BEFORE_CUT && System.currentTimeMillis() < deadline) {
            Thread.sleep(1);
        }
        // The power cut: the process and the unsynced writes go together.
        karaf.killMinus9();
        mount.clearCache();
        AccountingFlood.join(aps);
        assertTrue("the flood had been acknowledged before the cut: " + acknowledged.size(),
                acknowledged.size() >= ACKNOWLEDGED_BEFORE_CUT);

        // Boot again: a new LazyFS (empty cache) on what reached the backing directory, the server on it.
        mount.unmount();
        mount.mount();
        String restartFailure = null;
        try {
            karaf = karaf.restart();
            karaf.stop();
        } catch (AssertionError e) {
            restartFailure = e.getMessage().lines().findFirst().orElse("");
            karaf.close();
        }
        Set<String> stored = storedSessions(url);
        Outcome o = new Outcome(Set.copyOf(acknowledged), stored, restartFailure);
        System.out.printf("power cut during accounting flood (syncToDisk = %s): sent %d, acknowledged %d, stored %d,"
                        + " acknowledged but lost %d%s%n", syncToDisk, sent.size(), acknowledged.size(), stored.size(),
                o.lost().size(), restartFailure == null ? "" : "; restart failed: " + restartFailure);
        return o;
    }

    /** The sessions in the database file, read directly (the server stopped); none when it cannot be opened. */
    private static Set<String> storedSessions(String url) {
        Set<String> stored = new HashSet<>();
        try (Connection c = DriverManager.getConnection(url.replace(";WRITE_DELAY=0", "") + ";IFEXISTS=TRUE");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT acct_session_id FROM accounting_record")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        } catch (SQLException e) {
            System.out.println("accounting database unreadable after the power cut: " + e.getMessage());
        }
        return stored;
    }

    static int run(long seconds, String... command) throws Exception {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException notInstalled) {
            return -1;
        }
    }

    /** One LazyFS mount: its backing directory, mount point, fault FIFO and process. */
    static final class LazyFs {
        private final Path binary;
        private final Path base;
        private Process process;

        LazyFs(Path binary, Path base) {
            this.binary = binary;
            this.base = base;
        }

        Path dir() {
            return base.resolve("mnt");
        }

        private Path fifo() {
            return base.resolve("faults.fifo");
        }

        /** A fresh database: nothing of an earlier run in the backing directory (never while mounted). */
        void clean() throws IOException {
            if (Files.exists(base) && !mounted()) {
                try (java.util.stream.Stream<Path> old = Files.walk(base)) {
                    old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }

        void mount() throws Exception {
            Files.createDirectories(dir());
            Files.createDirectories(base.resolve("backing"));
            Path config = base.resolve("lazyfs.toml");
            // No eviction and a cache larger than the test writes: only an fsync moves data to the backing directory.
            Files.writeString(config, "[faults]\nfifo_path=\"" + fifo() + "\"\n[cache]\napply_eviction=false\n"
                    + "[cache.simple]\ncustom_size=\"1gb\"\nblocks_per_page=1\n"
                    + "[filesystem]\nlog_all_operations=false\nlogfile=\"\"\n");
            process = new ProcessBuilder(binary.toString(), dir().toString(), "--config-path", config.toString(),
                    "-o", "allow_other", "-o", "modules=subdir", "-o", "subdir=" + base.resolve("backing"), "-f")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("lazyfs.log").toFile())).start();
            long deadline = System.currentTimeMillis() + 15_000;
            while (!mounted() || !Files.exists(fifo())) {
                if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                    throw new AssertionError("LazyFS did not mount " + dir() + ":\n"
                            + Files.readString(base.resolve("lazyfs.log")));
                }
                Thread.sleep(100);
            }
        }

        boolean mounted() throws IOException {
            String point = " " + dir() + " ";
            return Files.readAllLines(Path.of("/proc/mounts")).stream().anyMatch(l -> l.contains(point));
        }

        /** The power cut: every write not fsync'd is gone. */
        void clearCache() throws Exception {
            Files.writeString(fifo(), "lazyfs::clear-cache\n", StandardCharsets.US_ASCII);
            long deadline = System.currentTimeMillis() + 10_000;
            while (!Files.readString(base.resolve("lazyfs.log")).contains("cache is cleared")) {
                assertTrue("LazyFS did not confirm clear-cache within 10 s", System.currentTimeMillis() < deadline);
                Thread.sleep(50);
            }
        }

        void unmount() throws Exception {
            if (mounted() && run(15, "fusermount3", "-u", dir().toString()) != 0) {
                run(15, "fusermount3", "-uz", dir().toString());
            }
            if (process != null) {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                process = null;
            }
            assertEquals("LazyFS still mounted on " + dir(), false, mounted());
        }
    }
}
