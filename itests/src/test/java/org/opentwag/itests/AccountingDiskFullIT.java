package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

/**
 * A full disk under the accounting database: the server must stop acknowledging (the APs keep the records and
 * retry), say so in the log and the metrics, never acknowledge a record it could not store, and acknowledge again
 * once space is back. The database lives on a small tmpfs the test mounts (needs root; skipped otherwise).
 */
public class AccountingDiskFullIT {

    private static final int AUTH_PORT = 22912;
    private static final int ACCT_PORT = 22913;
    private static final String SECRET = "disk-full-secret";

    private final Path mount = Path.of("target/diskfull-db").toAbsolutePath();
    private StandaloneDistribution karaf;
    private boolean mounted;

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @After
    public void cleanUp() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
        if (mounted) {
            run("umount", "-l", mount.toString());
        }
    }

    @Test
    public void aFullDiskStopsAcknowledgementsAndNothingAcknowledgedIsLost() throws Exception {
        Files.createDirectories(mount);
        mounted = run("mount", "-t", "tmpfs", "-o", "size=3M", "tmpfs", mount.toString()) == 0;
        assumeTrue("mounting a small tmpfs needs root (CAP_SYS_ADMIN)", mounted);
        karaf = StandaloneDistribution.start("diskfull", AUTH_PORT, ACCT_PORT, SECRET, Map.of(
                "org.opentwag.accounting.cfg:url", "jdbc:h2:file:" + mount.resolve("accounting") + ";WRITE_DELAY=0"));

        Set<String> sent = ConcurrentHashMap.newKeySet();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        // Flood until the disk is full: the APs stop when a second passes without any answer. Bounded at 60 s.
        AccountingFlood.join(AccountingFlood.start(ACCT_PORT, SECRET, 2, 64, System.currentTimeMillis() + 60_000,
                sent, acknowledged));
        assertTrue("some records were acknowledged before the disk filled", acknowledged.size() > 100);
        assertTrue("the disk filled within the flood (" + acknowledged.size() + " acknowledged)",
                acknowledged.size() < sent.size());
        karaf.awaitLog("Accounting store failed", 10);
        assertTrue(Metrics.value(karaf.metricsPort(), "accounting_store_failure_count") > 0);

        // Space is back: the same server acknowledges again without a restart.
        assertEquals(0, run("mount", "-o", "remount,size=64M", mount.toString()));
        Set<String> later = ConcurrentHashMap.newKeySet();
        long deadline = System.currentTimeMillis() + 30_000;
        while (later.isEmpty() && System.currentTimeMillis() < deadline) {
            AccountingFlood.join(AccountingFlood.start(ACCT_PORT, SECRET, 1, 8, System.currentTimeMillis() + 1_000,
                    sent, later));
        }
        assertTrue("acknowledgements resume once the disk has space", !later.isEmpty());
        acknowledged.addAll(later);

        karaf.stop();
        Set<String> stored = AccountingFlood.storedSessionIds(mount.resolve("accounting"));
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(stored);
        System.out.printf("disk full: sent %d, acknowledged %d, stored %d, acknowledged but lost %d%n",
                sent.size(), acknowledged.size(), stored.size(), lost.size());
        assertTrue("acknowledged but not stored: " + lost.stream().limit(10).toList(), lost.isEmpty());
    }
}
