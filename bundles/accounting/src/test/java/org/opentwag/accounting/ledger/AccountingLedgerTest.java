package org.opentwag.accounting.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingStatus;
import org.opentwag.api.charging.Usage;

class AccountingLedgerTest {

    @TempDir
    Path dir;

    private JdbcDataSource h2(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve(name).toAbsolutePath() + ";WRITE_DELAY=0");
        return ds;
    }

    static LedgerEntry entry(AccountingStatus status, String session, long in, long out) {
        return new LedgerEntry(status.code(), new AccountingRecord(status, 1_700_000_000_000L, "10.0.0.7", "ap-7",
                session, "user@realm", "001010000000001", "tok", "64-D9-89-1D-A4-20:ONS", "86-81-69-A7-B4-B2",
                "10.45.0.9", new Usage(in, out, 10, 20, 30), status == AccountingStatus.STOP ? 1 : 0));
    }

    @Test
    void aBatchIsStoredAndReadBackFieldByField() throws SQLException {
        try (AccountingLedger ledger = new AccountingLedger(h2("a"))) {
            ledger.createSchema();
            ledger.append(List.of(entry(AccountingStatus.START, "S1", 0, 0),
                    entry(AccountingStatus.INTERIM, "S1", 5_000_000_000L, 7),
                    entry(AccountingStatus.STOP, "S1", 6_000_000_000L, 9)));
            assertThat(ledger.count()).isEqualTo(3);
            List<AccountingRecord> s1 = ledger.session("10.0.0.7", "S1");
            assertThat(s1).extracting(AccountingRecord::status)
                    .containsExactly(AccountingStatus.START, AccountingStatus.INTERIM, AccountingStatus.STOP);
            AccountingRecord stop = s1.get(2);
            assertThat(stop.usage()).isEqualTo(new Usage(6_000_000_000L, 9, 10, 20, 30));
            assertThat(stop.terminateCause()).isEqualTo(1);
            assertThat(stop.imsi()).isEqualTo("001010000000001");
            assertThat(stop.calledStationId()).isEqualTo("64-D9-89-1D-A4-20:ONS");
            assertThat(stop.framedIp()).isEqualTo("10.45.0.9");
            assertThat(stop.nasIdentifier()).isEqualTo("ap-7");
        }
    }

    @Test
    void recordsSurviveReopeningTheDatabaseAndTheSchemaIsNotRecreated() throws SQLException {
        try (AccountingLedger ledger = new AccountingLedger(h2("b"))) {
            ledger.createSchema();
            ledger.append(List.of(entry(AccountingStatus.START, "S2", 0, 0)));
        }
        try (AccountingLedger again = new AccountingLedger(h2("b"))) {
            again.createSchema();
            assertThat(again.count()).isEqualTo(1);
            assertThat(again.latestPerSessionSince(0)).extracting(AccountingRecord::acctSessionId)
                    .containsExactly("S2");
        }
    }

    @Test
    void anUnknownStatusTypeIsKeptWithItsRawValue() throws SQLException {
        try (AccountingLedger ledger = new AccountingLedger(h2("c"))) {
            ledger.createSchema();
            AccountingRecord r = entry(AccountingStatus.START, "S3", 0, 0).record();
            ledger.append(List.of(new LedgerEntry(15, new AccountingRecord(null, r.receivedAtMillis(), r.nasIp(),
                    null, "S3", null, null, null, null, null, null, Usage.NONE, 0))));
            assertThat(ledger.count()).isEqualTo(1);
            assertThat(ledger.session("10.0.0.7", "S3").get(0).status()).isNull();
        }
    }

    @Test
    void aFailedTransactionStoresNothingAndTheNextOneWorks() throws SQLException {
        try (AccountingLedger ledger = new AccountingLedger(h2("d"))) {
            ledger.createSchema();
            AccountingRecord ok = entry(AccountingStatus.START, "S4", 0, 0).record();
            AccountingRecord tooLong = new AccountingRecord(AccountingStatus.START, 1, "10.0.0.7", null, "S5",
                    null, "0".repeat(40) /* imsi column holds 15 */, null, null, null, null, Usage.NONE, 0);
            assertThatThrownBy(() -> ledger.append(List.of(new LedgerEntry(1, ok), new LedgerEntry(1, tooLong))))
                    .isInstanceOf(SQLException.class);
            assertThat(ledger.count()).isZero();
            ledger.append(List.of(new LedgerEntry(1, ok)));
            assertThat(ledger.count()).isEqualTo(1);
        }
    }

    @Test
    void aDatabaseThatCannotBeWrittenFailsLoudly() throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        readOnly.toFile().setWritable(false);
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + readOnly.resolve("x").toAbsolutePath());
        try (AccountingLedger ledger = new AccountingLedger(ds)) {
            if (readOnly.toFile().canWrite()) {
                return; // running as root: permissions do not bind, covered by the integration test instead
            }
            assertThatThrownBy(ledger::createSchema).isInstanceOf(SQLException.class);
        }
    }
}
