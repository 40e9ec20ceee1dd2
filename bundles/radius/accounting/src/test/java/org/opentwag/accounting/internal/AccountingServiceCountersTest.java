package org.opentwag.accounting.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.api.metrics.CounterStore;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusCode;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.codec.RadiusPacket;
import org.opentwag.radius.server.RadiusRequest;
import org.opentwag.state.memory.InMemoryStateStore;
import org.opentwag.support.radius.LocalRadiusServerState;
import org.osgi.service.jdbc.DataSourceFactory;

/**
 * The accounting counters across a bundle:update: the component of the old bundle is deactivated, one of the new
 * bundle activated with the same state store bundle's {@link CounterStore}; accounting_records_stored_count goes on.
 */
class AccountingServiceCountersTest {

    @TempDir
    Path dir;

    private final InMemoryStateStore store = new InMemoryStateStore(10_000);

    @Test
    void storedRecordsAndBatchesContinueInTheNextBundlesComponent() throws Exception {
        CounterStore counters = new LocalRadiusServerState();
        AccountingService before = activated(counters);
        for (int i = 0; i < 3; i++) {
            before.account(AccountingStarts.request("S" + i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        assertThat(before.values()).containsEntry("accounting_records_stored_count", 3L);
        long batchesBefore = before.values().get("accounting_batches_count").longValue();
        assertThat(batchesBefore).isBetween(1L, 3L);
        before.deactivate();

        AccountingService after = activated(counters);
        assertThat(after.values()).containsEntry("accounting_records_stored_count", 3L);
        after.account(AccountingStarts.request("S3")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        Map<String, Number> values = after.values();
        assertThat(values).containsEntry("accounting_records_stored_count", 4L);
        assertThat(values.get("accounting_batches_count").longValue()).isEqualTo(batchesBefore + 1);
        assertThat(after.storedRecords()).isEqualTo(4);
        after.deactivate();
    }

    /**
     * A request that reaches a component already stopping (radius-server still held its reference during a
     * configuration change) is refused at once, not stored, and counted as such, not as a full queue: the AP's
     * retransmission goes to the next component and is stored once.
     */
    @Test
    void aRequestReachingAStoppedComponentIsRefusedAndCountedAsStopping() throws Exception {
        AccountingService service = activated(null);
        service.account(AccountingStarts.request("T0")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        service.deactivate();
        java.util.concurrent.CompletableFuture<Void> late = service.account(AccountingStarts.request("T1"))
                .toCompletableFuture();
        assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(org.opentwag.accounting.ledger.GroupCommitWriter.Stopping.class);
        assertThat(service.values()).containsEntry("accounting_refused_stopping_count", 1L)
                .containsEntry("accounting_queue_full_count", 0L)
                .containsEntry("accounting_records_stored_count", 1L);
    }

    @Test
    void withoutACounterStoreEachComponentCountsFromZero() throws Exception {
        AccountingService before = activated(null);
        before.account(AccountingStarts.request("S0")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(before.values()).containsEntry("accounting_records_stored_count", 1L);
        before.deactivate();

        AccountingService after = activated(null);
        assertThat(after.values()).containsEntry("accounting_records_stored_count", 0L);
        after.deactivate();
    }

    @Test
    void aHistoryReadTheDatabaseFailsIsAnErrorAndCountedNotAnEmptyList() throws Exception {
        java.util.concurrent.atomic.AtomicReference<java.sql.SQLException> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        AccountingService service = new AccountingService();
        set(service, "store", store);
        set(service, "dataSourceFactory", h2FailingWith(failure));
        set(service, "counterStore", null);
        service.activate(config("jdbc:h2:file:" + dir.resolve("failing").toAbsolutePath() + ";WRITE_DELAY=0"));
        try {
            service.account(AccountingStarts.request("H1")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(service.history("10.0.0.7", "H1")).hasSize(1);
            assertThat(service.historyMaxRecords()).isEqualTo(10_000);
            assertThat(service.values()).containsEntry("accounting_history_read_failure_count", 0L);

            failure.set(new java.sql.SQLException("database is down"));
            assertThatThrownBy(() -> service.history("10.0.0.7", "H1"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the accounting database failed: database is down");
            assertThat(service.values()).containsEntry("accounting_history_read_failure_count", 1L);

            // As H2 and PostgreSQL (SQLSTATE 57014) report a statement cancelled at its time limit
            failure.set(new java.sql.SQLTimeoutException("Statement was canceled or the session timed out"));
            assertThatThrownBy(() -> service.history("10.0.0.7", "H1"))
                    .hasMessage("the accounting database did not answer within 10 s (historyReadTimeoutSeconds)");
            failure.set(new java.sql.SQLException("canceling statement due to statement timeout", "57014"));
            assertThatThrownBy(() -> service.history("10.0.0.7", "H1"))
                    .hasMessageContaining("did not answer within 10 s");
            assertThat(service.values()).containsEntry("accounting_history_read_failure_count", 3L);
        } finally {
            failure.set(null);
            service.deactivate();
        }
    }

    /** H2 whose new connections fail with {@code failure} while it is set (the writer's, opened first, stays). */
    private static DataSourceFactory h2FailingWith(
            java.util.concurrent.atomic.AtomicReference<java.sql.SQLException> failure) {
        return (DataSourceFactory) Proxy.newProxyInstance(DataSourceFactory.class.getClassLoader(),
                new Class<?>[] {DataSourceFactory.class}, (proxy, method, args) -> {
                    JdbcDataSource ds = new JdbcDataSource();
                    ds.setURL(((java.util.Properties) args[0]).getProperty(DataSourceFactory.JDBC_URL));
                    return Proxy.newProxyInstance(javax.sql.DataSource.class.getClassLoader(),
                            new Class<?>[] {javax.sql.DataSource.class}, (p, m, a) -> {
                                java.sql.SQLException now = failure.get();
                                if (m.getName().equals("getConnection") && now != null) {
                                    throw now;
                                }
                                try {
                                    return m.invoke(ds, a);
                                } catch (java.lang.reflect.InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                });
    }

    private AccountingService activated(CounterStore counters) throws Exception {
        AccountingService service = new AccountingService();
        set(service, "store", store);
        set(service, "dataSourceFactory", h2());
        set(service, "counterStore", counters);
        service.activate(config("jdbc:h2:file:" + dir.resolve("accounting").toAbsolutePath() + ";WRITE_DELAY=0"));
        return service;
    }

    private static void set(Object target, String field, Object value) throws ReflectiveOperationException {
        Field f = AccountingService.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    /** The configuration's defaults, with this JDBC URL. */
    private static AccountingService.Config config(String url) {
        return (AccountingService.Config) Proxy.newProxyInstance(AccountingService.Config.class.getClassLoader(),
                new Class<?>[] {AccountingService.Config.class},
                (proxy, method, args) -> method.getName().equals("url") ? url : method.getDefaultValue());
    }

    /** What pax-jdbc registers for H2, reduced to the one call accounting makes. */
    private static DataSourceFactory h2() {
        return (DataSourceFactory) Proxy.newProxyInstance(DataSourceFactory.class.getClassLoader(),
                new Class<?>[] {DataSourceFactory.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("createDataSource")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    JdbcDataSource ds = new JdbcDataSource();
                    ds.setURL(((java.util.Properties) args[0]).getProperty(DataSourceFactory.JDBC_URL));
                    return ds;
                });
    }
}
