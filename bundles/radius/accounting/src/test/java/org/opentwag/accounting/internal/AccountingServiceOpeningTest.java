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
