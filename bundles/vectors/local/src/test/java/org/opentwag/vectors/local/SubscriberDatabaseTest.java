package org.opentwag.vectors.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opentwag.vectors.local.Fixtures.HEX;
import static org.opentwag.vectors.local.Fixtures.IMSI;
import static org.opentwag.vectors.local.Fixtures.KI;
import static org.opentwag.vectors.local.Fixtures.OPC;
import static org.opentwag.vectors.local.Fixtures.fetch;
import static org.opentwag.vectors.local.Fixtures.line;
import static org.opentwag.vectors.local.Fixtures.writeCsv;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.milenage.UsimSimulator;
import org.opentwag.vectors.local.internal.LocalVectorSource;
import org.opentwag.vectors.local.subscribers.Subscriber;
import org.opentwag.vectors.local.subscribers.SubscriberDatabase;

class SubscriberDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void badLinesAreSkippedByNumberAndTheOthersLoad() {
        List<String> problems = new ArrayList<>();
        var subscribers = SubscriberDatabase.parse(List.of(
                "imsi,ki,opc,amf,sqn",                                   // 1 header
                "# a comment",                                           // 2
                line(IMSI, KI, "8000", "000000000020"),                  // 3 good
                line("00101000000000x", KI, "8000", "0"),                // 4 IMSI not digits
                line("001010000000002", "abcd", "8000", "0"),            // 5 Ki too short
                "001010000000003," + KI + "," + OPC + ",8000",           // 6 missing field
                line("001010000000004", KI, "80", "0"),                  // 7 AMF too short
                line("001010000000005", KI, "8000", "1000000000000"),    // 8 SQN over 48 bits
                line("001010000000006", KI.replace('a', 'g'), "8000", "0"), // 9 not hex
                "",                                                      // 10 blank
                "  " + line("001010000000007", KI.toUpperCase(), "8000", "ff") + "  ", // 11 good, spaces, upper
                line(IMSI, KI, "8000", "40")), problems);                 // 12 repeat, wins
        assertThat(subscribers.keySet()).containsExactlyInAnyOrder(IMSI, "001010000000007");
        assertThat(subscribers.get(IMSI).sqn()).isEqualTo(0x40);
        assertThat(subscribers.get("001010000000007").ki()).isEqualTo(HEX.parseHex(KI));
        assertThat(subscribers.get("001010000000007").sqn()).isEqualTo(0xff);
        assertThat(problems).hasSize(7);
        assertThat(problems.get(0)).startsWith("line 4 ").contains("IMSI");
        assertThat(problems.get(1)).startsWith("line 5 ").contains("Ki");
        assertThat(problems.get(2)).startsWith("line 6 ").contains("5 fields");
        assertThat(problems.get(3)).startsWith("line 7 ").contains("AMF");
        assertThat(problems.get(4)).startsWith("line 8 ").contains("SQN");
        assertThat(problems.get(5)).startsWith("line 9 ").contains("Ki");
        assertThat(problems.get(6)).startsWith("line 12").contains("repeated");
        // Key material never appears in a problem report nor in toString.
        assertThat(String.join("\n", problems)).doesNotContain(KI).doesNotContain(OPC);
        assertThat(subscribers.get(IMSI).toString()).doesNotContain(KI).doesNotContain(OPC);
    }

    @Test
    void aChangedFileIsReloadedWithinTheIntervalAndAKiChangeApplies() throws Exception {
        Path csv = writeCsv(dir.resolve("hss-subscribers.csv"), line(IMSI, KI, "8000", "20"),
                line("001010000000002", KI, "8000", "20"));
        SubscriberDatabase db = new SubscriberDatabase(csv, dir.resolve("sqn.properties"));
        LocalVectorSource source = new LocalVectorSource(db, 0);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            db.reloadEvery(scheduler, Duration.ofMillis(100));
            String newKi = "00112233445566778899aabbccddeeff";
            writeCsv(csv, line(IMSI, newKi, "8000", "20"), line("001010000000009", KI, "8000", "20"));
            // Some filesystems keep whole-second times: make sure the change is visible.
            Files.setLastModifiedTime(csv, FileTime.fromMillis(System.currentTimeMillis() + 2_000));

            waitUntil(() -> db.find("001010000000009").isPresent());
            assertThat(db.find("001010000000002")).as("removed subscriber vanishes").isEmpty();
            AuthVector v = fetch(source, IMSI, AuthScheme.EAP_AKA);
            assertThat(new UsimSimulator(HEX.parseHex(newKi), HEX.parseHex(OPC), 0).authenticate(v.rand(), v.autn()))
                    .isInstanceOf(UsimSimulator.Answer.Success.class);
            assertThat(new UsimSimulator(HEX.parseHex(KI), HEX.parseHex(OPC), 0).authenticate(v.rand(), v.autn()))
                    .isInstanceOf(UsimSimulator.Answer.MacFailure.class);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aMissingFileMeansNoSubscribersUntilItAppears() throws Exception {
        Path csv = dir.resolve("later.csv");
        SubscriberDatabase db = new SubscriberDatabase(csv, dir.resolve("sqn.properties"));
        assertThat(db.size()).isZero();
        assertThat(db.loadProblems()).singleElement().asString().contains("does not exist");
        writeCsv(csv, line(IMSI, KI, "8000", "20"));
        assertThat(db.reloadIfChanged()).isTrue();
        assertThat(db.find(IMSI)).isPresent();
        assertThat(db.reloadIfChanged()).as("unchanged file is not re-read").isFalse();
    }

    @Test
    void aRestartNeverReissuesAnSqn() throws Exception {
        Path csv = writeCsv(dir.resolve("hss-subscribers.csv"), line(IMSI, KI, "8000", "000000000020"));
        Path state = dir.resolve("data/opentwag/sqn.properties");
        UsimSimulator usim = new UsimSimulator(HEX.parseHex(KI), HEX.parseHex(OPC), 0x20);
        long previous = 0x20;
        for (int restart = 0; restart < 3; restart++) {
            SubscriberDatabase db = new SubscriberDatabase(csv, state);
            LocalVectorSource source = new LocalVectorSource(db, 0);
            for (int j = 0; j < 5; j++) {
                AuthVector v = fetch(source, IMSI, AuthScheme.EAP_AKA);
                // Every vector after a restart is still fresh for a USIM that accepted all earlier ones.
                assertThat(usim.authenticate(v.rand(), v.autn())).isInstanceOf(UsimSimulator.Answer.Success.class);
                assertThat(usim.highestSqn()).isGreaterThan(previous);
                previous = usim.highestSqn();
                // Never handed out before it is durable.
                assertThat(storedBound(state, IMSI)).isGreaterThanOrEqualTo(previous);
            }
        }
        assertThat(Files.list(state.getParent()).map(p -> p.getFileName().toString()))
                .as("no temp file left behind").containsExactly("sqn.properties");
    }

    @Test
    void theFileSqnWinsWhenTheOperatorRaisesIt() throws Exception {
        Path csv = writeCsv(dir.resolve("hss-subscribers.csv"), line(IMSI, KI, "8000", "20"));
        SubscriberDatabase db = new SubscriberDatabase(csv, dir.resolve("sqn.properties"));
        Subscriber s = db.find(IMSI).orElseThrow();
        assertThat(db.nextSqn(s)).isEqualTo(0x40);
        writeCsv(csv, line(IMSI, KI, "8000", "100000"));
        Files.setLastModifiedTime(csv, FileTime.fromMillis(System.currentTimeMillis() + 2_000));
        assertThat(db.reloadIfChanged()).isTrue();
        long next = db.nextSqn(db.find(IMSI).orElseThrow());
        assertThat(next).isEqualTo(0x100020);
        assertThat(storedBound(dir.resolve("sqn.properties"), IMSI)).isGreaterThanOrEqualTo(next);
    }

    @Test
    void concurrentCallersNeverShareAnSqn() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            lines.add(line("00101000000001" + i, KI, "8000", "0"));
        }
        Path state = dir.resolve("sqn.properties");
        SubscriberDatabase db = new SubscriberDatabase(writeCsv(dir.resolve("s.csv"), lines.toArray(String[]::new)),
                state);
        int threads = 8;
        int perThread = 300;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Set<String> issued = Collections.synchronizedSet(new HashSet<>());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Subscriber s = db.find("00101000000001" + ((thread + i) % 4)).orElseThrow();
                        long sqn = db.nextSqn(s);
                        assertThat(issued.add(s.imsi() + ":" + sqn)).as("SQN issued twice").isTrue();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(issued).hasSize(threads * perThread);
        for (int i = 0; i < 4; i++) {
            String imsi = "00101000000001" + i;
            long highest = issued.stream().filter(x -> x.startsWith(imsi + ":"))
                    .mapToLong(x -> Long.parseLong(x.substring(imsi.length() + 1))).max().orElseThrow();
            assertThat(highest).isEqualTo(threads * perThread / 4 * SubscriberDatabase.SQN_STEP);
            assertThat(storedBound(state, imsi)).isGreaterThanOrEqualTo(highest);
        }
    }

    @Test
    void noVectorWhenTheSqnCannotBeMadeDurable() throws Exception {
        Path csv = writeCsv(dir.resolve("hss-subscribers.csv"), line(IMSI, KI, "8000", "20"));
        // The state file's directory is a regular file: every write fails.
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
        SubscriberDatabase db = new SubscriberDatabase(csv, blocker.resolve("sqn.properties"));
        assertThatThrownBy(() -> db.nextSqn(db.find(IMSI).orElseThrow())).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot store sequence numbers");
        assertThatThrownBy(() -> fetch(new LocalVectorSource(db, 0), IMSI, AuthScheme.EAP_AKA)).cause()
                .isInstanceOf(org.opentwag.api.vectors.VectorSourceException.class)
                .satisfies(e -> assertThat(((org.opentwag.api.vectors.VectorSourceException) e).reason())
                        .isEqualTo(org.opentwag.api.vectors.VectorSourceException.Reason.UNAVAILABLE));
    }

    @Test
    void aCorruptStateFileIsRefusedRatherThanIgnored() throws Exception {
        Path csv = writeCsv(dir.resolve("hss-subscribers.csv"), line(IMSI, KI, "8000", "20"));
        Path state = Files.writeString(dir.resolve("sqn.properties"), IMSI + "=zz\n");
        assertThatThrownBy(() -> new SubscriberDatabase(csv, state)).hasMessageContaining(IMSI)
                .hasMessageContaining("not hex");
    }

    private static long storedBound(Path state, String imsi) throws Exception {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(state)) {
            p.load(in);
        }
        return Long.parseLong(p.getProperty(imsi), 16);
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
