package org.opentwag.itests;

import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.After;
import org.junit.Test;

/**
 * "An accounting record is durable before the Accounting-Response goes out", tested the hard way: the distribution
 * runs as its own process, APs flood it with Accounting-Requests, the JVM is killed with SIGKILL mid-flood, and every
 * request that had been acknowledged must be in the database file afterwards.
 */
public class AccountingCrashIT {

    private static final int AUTH_PORT = 22812;
    private static final int ACCT_PORT = 22813;
    private static final String SECRET = "crash-test-secret";
    static final int SOCKETS = 4;
    static final int WINDOW = 128;
    private static final long FLOOD_MILLIS = 3_000;

    private StandaloneDistribution karaf;

    @After
    public void killLeftovers() {
        if (karaf != null) {
            karaf.close();
        }
    }

    @Test
    public void everyAcknowledgedRecordSurvivesKillMinus9() throws Exception {
        karaf = StandaloneDistribution.start("crash", AUTH_PORT, ACCT_PORT, SECRET, Map.of());
        Path home = karaf.home();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        List<Thread> aps = AccountingFlood.start(ACCT_PORT, SECRET, SOCKETS, WINDOW,
                System.currentTimeMillis() + FLOOD_MILLIS, sent, acknowledged);
        // Kill mid-flood, while requests are in flight, without any chance for the JVM to flush or shut down.
        Thread.sleep(FLOOD_MILLIS / 2 + 500);
        long ackedAtKill = acknowledged.size();
        karaf.killMinus9();
        for (Thread t : aps) {
            t.join(FLOOD_MILLIS + 10_000);
        }
        assertTrue("the flood had been acknowledged before the kill: " + ackedAtKill, ackedAtKill > 100);

        Set<String> stored = AccountingFlood.storedSessionIds(home.resolve("data/opentwag/accounting"));
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(stored);
        System.out.printf("kill -9 during accounting flood: sent %d, acknowledged %d (%d/s over the flood), "
                        + "stored %d, acknowledged but lost %d%n", sent.size(), acknowledged.size(),
                acknowledged.size() * 1000 / (FLOOD_MILLIS / 2 + 500), stored.size(), lost.size());
        assertTrue("acknowledged records lost: " + lost.stream().limit(10).toList(), lost.isEmpty());

        // Restarted, the node rebuilds its view of the open sessions from the database: every Start is one.
        karaf = karaf.restart();
        karaf.awaitLog("Accounting sessions restored from the database: " + stored.size() + " open", 30);
    }
}
