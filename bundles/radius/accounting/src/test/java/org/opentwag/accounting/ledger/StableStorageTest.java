package org.opentwag.accounting.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.h2.jdbcx.JdbcDataSource;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.api.accounting.AccountingStatus;

/**
 * The claim "a batch is on stable storage when append returns" comes down to H2 calling FileChannel.force (fsync)
 * on the database file inside append. H2 opens its files through its own file system layer: a wrapper that counts
 * force() on the real channel shows whether, and how often, that happens. (That an fsync'd write survives a power
 * cut is the LazyFS test's part: itests AccountingPowerLossIT.)
 */
class StableStorageTest {

    private static final AtomicInteger FORCES = new AtomicInteger();

    @TempDir
    Path dir;

    @BeforeAll
    static void register() {
        FilePath.register(new ForceCounting());
    }

    private JdbcDataSource h2(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:forcecount:" + dir.resolve(name).toAbsolutePath() + ";WRITE_DELAY=0");
        return ds;
    }

    private static List<LedgerEntry> batch(String prefix, int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> AccountingLedgerTest.entry(AccountingStatus.START, prefix + i, 0, 0)).toList();
    }

    @Test
    void aSyncAfterACommitForcesTheFileToDiskOnceWhateverTheBatchSize() throws SQLException {
        try (AccountingLedger ledger = new AccountingLedger(h2("synced"), true)) {
            ledger.createSchema();
            ledger.sync();
            assertThat(ledger.storage()).isEqualTo(StableStorage.H2);
            assertThat(ledger.needsSync()).isTrue();
            for (int size : new int[] {1, 50, 500}) {
                int before = FORCES.get();
                ledger.append(batch("b" + size + "-", size));
                assertThat(FORCES.get() - before).as("H2's commit alone (WRITE_DELAY=0) forces nothing").isZero();
                ledger.sync();
                // One CHECKPOINT SYNC per group commit: one fsync of the database file (not one per record).
                assertThat(FORCES.get() - before).as("fsyncs for a batch of %d", size).isEqualTo(1);
            }
            assertThat(ledger.count()).isEqualTo(551);
        }
    }

    @Test
    void withoutSyncToDiskACommitReachesOnlyThePageCache() throws SQLException {
        try (AccountingLedger ledger = new AccountingLedger(h2("unsynced"), false)) {
            ledger.createSchema();
            assertThat(ledger.needsSync()).isFalse();
            int before = FORCES.get();
            ledger.sync();
            ledger.append(batch("u", 100));
            ledger.append(batch("v", 1));
            assertThat(FORCES.get() - before).as("what H2's commit alone forces (WRITE_DELAY=0)").isZero();
            assertThat(ledger.count()).isEqualTo(101);
        }
    }

    @Test
    void theDirectoryOfAnEmbeddedH2FileIsFoundInItsUrl() {
        Path home = Path.of(System.getProperty("user.home"));
        assertThat(StableStorage.h2Directory("jdbc:h2:file:/var/lib/twag/accounting;WRITE_DELAY=0"))
                .contains(Path.of("/var/lib/twag"));
        assertThat(StableStorage.h2Directory("jdbc:h2:/var/lib/twag/accounting")).contains(Path.of("/var/lib/twag"));
        assertThat(StableStorage.h2Directory("jdbc:h2:~/acc;MODE=PostgreSQL")).contains(home);
        assertThat(StableStorage.h2Directory("jdbc:h2:mem:acc")).isEmpty();
        assertThat(StableStorage.h2Directory("jdbc:h2:tcp://db:9092/acc")).isEmpty();
        assertThat(StableStorage.h2Directory("jdbc:postgresql://db:5432/opentwag")).isEmpty();
    }

    /** H2's "forcecount:" file system: the default one, with every force() on a channel counted. */
    public static final class ForceCounting extends FilePathWrapper {
        @Override
        public String getScheme() {
            return "forcecount";
        }

        @Override
        public FileChannel open(String mode) throws IOException {
            return new Counted(getBase().open(mode));
        }
    }

    private static final class Counted extends FileBase {
        private final FileChannel base;

        Counted(FileChannel base) {
            this.base = base;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            FORCES.incrementAndGet();
            base.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return base.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return base.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            base.truncate(size);
            return this;
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }
}
