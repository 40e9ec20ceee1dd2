package org.opentwag.accounting.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.server.RadiusRequest;
import org.opentwag.state.memory.InMemoryStateStore;
import org.osgi.service.jdbc.DataSourceFactory;

/**
 * Accounting takes requests as soon as its component is active, while its database is still opening (a bundle:update
 * leaves no gap without a handler): they wait in the bounded queue, and each is acknowledged only once its row is
 * committed. The database here is H2 behind a factory whose first call blocks until the test lets it go.
 */
class AccountingServiceOpeningTest {

    @TempDir
    Path dir;

    /** An accounting component activated on this data source factory, with an in-memory state store. */
    private static AccountingService activatedBehind(DataSourceFactory factory, String url, int queue)
            throws Exception {
        AccountingService service = new AccountingService();
        set(service, "store", new InMemoryStateStore(10_000));
        set(service, "counterStore", null);
        set(service, "dataSourceFactory", factory);
        service.activate(config(url, queue));
        return service;
    }

    @Test
    void requestsArrivingWhileTheDatabaseOpensWaitAndAreAcknowledgedOnlyOnceStored() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("accounting").toAbsolutePath() + ";WRITE_DELAY=0";
        CountDownLatch opening = new CountDownLatch(1);
        CountDownLatch releaseOpen = new CountDownLatch(1);
        AccountingService service = activatedBehind(blockingH2(opening, releaseOpen), url, 3); // returns while the factory blocks: the handler is usable at once
        try {
            assertThat(opening.await(30, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<Void>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(service.account(AccountingStarts.request("W" + i)).toCompletableFuture());
            }
            // The queue is bounded while opening too: the next one is refused at once and counted.
            CompletableFuture<Void> refused = service.account(AccountingStarts.request("W3")).toCompletableFuture();
            assertThat(refused).isCompletedExceptionally();
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
            assertThat(service.values()).containsEntry("accounting_queue_depth", 3)
                    .containsEntry("accounting_records_stored_count", 0L)
                    .containsEntry("accounting_queue_full_count", 1L);

            // Each acknowledgement happens once its row can be read back from the database by another connection.
            List<CompletableFuture<Integer>> rowsAtAck = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String id = "W" + i;
                rowsAtAck.add(waiting.get(i).thenApply(ok -> rows(url, id)));
            }
            releaseOpen.countDown();
            for (CompletableFuture<Integer> r : rowsAtAck) {
                assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            }
            assertThat(rows(url, "W3")).isZero();
            assertThat(service.values()).containsEntry("accounting_records_stored_count", 3L);
        } finally {
            releaseOpen.countDown();
            service.deactivate();
        }
    }

    /**
     * The opening steps (schema, durability check, restore of open sessions, row count) each take a connection of
     * their own and close it. An embedded H2 database closes with its last connection, compacting its file, and the
     * next connection reads it again: measured, a component restart (syncToDisk switched at runtime) then spent
     * seconds closing and reopening a large database while the Accounting-Requests that had arrived waited unanswered
     * past the AP's last retransmission. The writer's connection is opened first and held, so the database stays open
     * from the schema to the first batch. An in-memory H2 database without DB_CLOSE_DELAY makes a close visible: it
     * is gone with its last connection, and the table with it, so the first record would fail to store.
     */
    @Test
    void theDatabaseStaysOpenFromItsSchemaToTheFirstRecord() throws Exception {
        String url = "jdbc:h2:mem:lost-open-" + System.nanoTime();
        CountDownLatch opening = new CountDownLatch(1);
        CountDownLatch releaseOpen = new CountDownLatch(1);
        releaseOpen.countDown();
        AccountingService service = activatedBehind(blockingH2(opening, releaseOpen), url, 16);
        try {
            service.account(AccountingStarts.request("M0")).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(service.values()).containsEntry("accounting_records_stored_count", 1L)
                    .containsEntry("accounting_store_failure_count", 0L)
                    .containsEntry("accounting_store_open", 1);
        } finally {
            service.deactivate();
        }
    }

    @Test
    void theStoreReportsWhetherItIsOpenYet() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("accounting").toAbsolutePath() + ";WRITE_DELAY=0";
        CountDownLatch opening = new CountDownLatch(1);
        CountDownLatch releaseOpen = new CountDownLatch(1);
        AccountingService service = activatedBehind(blockingH2(opening, releaseOpen), url, 16);
        try {
            assertThat(opening.await(30, TimeUnit.SECONDS)).isTrue();
            // Active, taking requests into its queue, but not writing yet: a readiness check must wait for the 1.
            assertThat(service.values()).containsEntry("accounting_store_open", 0);
            CompletableFuture<Void> first = service.account(AccountingStarts.request("O0")).toCompletableFuture();
            releaseOpen.countDown();
            first.get(30, TimeUnit.SECONDS);
            assertThat(service.values()).containsEntry("accounting_store_open", 1);
        } finally {
            releaseOpen.countDown();
            service.deactivate();
        }
    }

    /**
     * After a node start the open sessions are rebuilt from the table, which took 42-56 s on a million rows under
     * load. Done before the first batch, as it was, no Accounting-Request was acknowledged meanwhile: far longer than
     * an AP retries. The rebuild's query here blocks until the test lets it go; a new record is acknowledged meanwhile,
     * and what new records say about a session wins over its stored past.
     */
    @Test
    void recordsAreAcknowledgedWhileTheOpenSessionsAreRebuiltAndTheNewerRecordWins() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("accounting").toAbsolutePath() + ";WRITE_DELAY=0";
        storedBeforeTheStart(url, AccountingStarts.request("R1"), AccountingStarts.request("R2"));
        CountDownLatch querying = new CountDownLatch(1);
        CountDownLatch releaseQuery = new CountDownLatch(1);
        AccountingService after = activatedBehind(h2HoldingTheRestoreQuery(querying, releaseQuery), url, 16);
        try {
            assertThat(querying.await(30, TimeUnit.SECONDS)).as("the rebuild's query started").isTrue();
            // While the query is held: a new session, and news of a stored one.
            after.account(AccountingStarts.request("R3")).toCompletableFuture().get(30, TimeUnit.SECONDS);
            after.account(AccountingStarts.interim("R1", 5_000)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(after.values()).containsEntry("accounting_sessions_restoring", 1);
            releaseQuery.countDown();
            awaitRestored(after);
            assertThat(after.openSessions(10)).extracting(s -> s.acctSessionId())
                    .containsExactlyInAnyOrder("R1", "R2", "R3");
            assertThat(after.session("10.0.0.7", "R1").orElseThrow().usage().inputOctets())
                    .as("the Interim-Update received after the start, not R1's stored Start").isEqualTo(5_000);
        } finally {
            releaseQuery.countDown();
            after.deactivate();
        }
    }

    /** An AP's Accounting-On received while its stored sessions are being rebuilt: none of them comes back open. */
    @Test
    void anAccessPointThatRestartedWhileRebuildingGetsNoStoredSessionBack() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("accounting").toAbsolutePath() + ";WRITE_DELAY=0";
        storedBeforeTheStart(url, AccountingStarts.request("R1"));
        CountDownLatch querying = new CountDownLatch(1);
        CountDownLatch releaseQuery = new CountDownLatch(1);
        AccountingService after = activatedBehind(h2HoldingTheRestoreQuery(querying, releaseQuery), url, 16);
        try {
            assertThat(querying.await(30, TimeUnit.SECONDS)).isTrue();
            after.account(AccountingStarts.accountingOn()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            releaseQuery.countDown();
            awaitRestored(after);
            assertThat(after.openSessions(10)).isEmpty();
        } finally {
            releaseQuery.countDown();
            after.deactivate();
        }
    }

    /** A component that stores these records and stops, as a node before its restart. */
    private void storedBeforeTheStart(String url, RadiusRequest... records) throws Exception {
        AccountingService before = activatedBehind(blockingH2(new CountDownLatch(1), new CountDownLatch(0)), url, 16);
        try {
            for (RadiusRequest r : records) {
                before.account(r).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            before.deactivate();
        }
    }

    private static void awaitRestored(AccountingService service) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (service.values().get("accounting_sessions_restoring").intValue() == 1 && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling a gauge, bounded
        }
        assertThat(service.values()).containsEntry("accounting_sessions_restoring", 0);
    }

    /** H2 whose query of the newest record per session (the rebuild of open sessions) waits for {@code release}. */
    private static DataSourceFactory h2HoldingTheRestoreQuery(CountDownLatch querying, CountDownLatch release) {
        return (DataSourceFactory) Proxy.newProxyInstance(DataSourceFactory.class.getClassLoader(),
                new Class<?>[] {DataSourceFactory.class}, (factory, m, a) -> {
                    JdbcDataSource h2 = new JdbcDataSource();
                    h2.setURL(((java.util.Properties) a[0]).getProperty(DataSourceFactory.JDBC_URL));
                    return Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                            (ds, dm, da) -> {
                                Object r = call(h2, dm, da);
                                return r instanceof Connection c ? holding(c, querying, release) : r;
                            });
                });
    }

    private static Connection holding(Connection c, CountDownLatch querying, CountDownLatch release) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, m, a) -> {
                    if (m.getName().equals("prepareStatement") && a != null
                            && ((String) a[0]).contains("GROUP BY nas_ip, acct_session_id")) {
                        querying.countDown();
                        if (!release.await(60, TimeUnit.SECONDS)) {
                            throw new java.sql.SQLException("test never released the query");
                        }
                    }
                    return call(c, m, a);
                });
    }

    private static Object call(Object target, java.lang.reflect.Method m, Object[] a) throws Throwable {
        try {
            return m.invoke(target, a);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static int rows(String url, String acctSessionId) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM accounting_record WHERE acct_session_id = '"
                     + acctSessionId + "'")) {
            r.next();
            return r.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** H2, as pax-jdbc registers it, whose createDataSource blocks until {@code release}. */
    private static DataSourceFactory blockingH2(CountDownLatch opening, CountDownLatch release) {
        return (DataSourceFactory) Proxy.newProxyInstance(DataSourceFactory.class.getClassLoader(),
                new Class<?>[] {DataSourceFactory.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("createDataSource")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    opening.countDown();
                    if (!release.await(60, TimeUnit.SECONDS)) {
                        throw new java.sql.SQLException("test never released the open");
                    }
                    JdbcDataSource ds = new JdbcDataSource();
                    ds.setURL(((java.util.Properties) args[0]).getProperty(DataSourceFactory.JDBC_URL));
                    return ds;
                });
    }

    private static void set(Object target, String field, Object value) throws ReflectiveOperationException {
        Field f = AccountingService.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    private static AccountingService.Config config(String url, int queueCapacity) {
        return (AccountingService.Config) Proxy.newProxyInstance(AccountingService.Config.class.getClassLoader(),
                new Class<?>[] {AccountingService.Config.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "url" -> url;
                    case "queueCapacity" -> queueCapacity;
                    default -> method.getDefaultValue();
                });
    }
}
