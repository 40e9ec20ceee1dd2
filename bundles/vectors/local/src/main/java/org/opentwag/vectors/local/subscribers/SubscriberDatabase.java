package org.opentwag.vectors.local.subscribers;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.opentwag.milenage.Sqn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribers of {@code etc/hss-subscribers.csv} ({@code imsi,ki,opc,amf,sqn}, hex) and their sequence
 * numbers. The file is the operator's and is never rewritten; it is re-read when it changes. The SQN issued last per
 * subscriber is kept in a separate state file so that a restart never issues an SQN twice.
 *
 * <p>SQN = SEQ || IND (TS 33.102 Annex C.3.2) with a 5-bit IND kept at 0: each vector advances SEQ by one, i.e. SQN
 * by {@value #SQN_STEP}. That is Open5GS's convention; hostapd's hlr_auc_gw also steps by 32 (it cycles IND). A USIM
 * with the IND array accepts it, and so does wpa_supplicant's simulated USIM (any SQN above its highest). Plain +1
 * would work for such a simple USIM but would collide with IND-aware ones.
 *
 * <p>To spare an fsync per vector, SQNs are reserved durably in blocks of {@value #RESERVATION} vectors per
 * subscriber (and a first block for every subscriber when the file is loaded); no SQN is returned before the block
 * that covers it is on disk. After a restart issuing continues above the reserved bound, skipping at most one block,
 * which a USIM accepts (TS 33.102 C.2.2 allows a large jump; Δ is typically 2^28). Writes of concurrent callers are
 * coalesced (group commit). Per-subscriber locking; the state file lock is always taken last.
 */
public final class SubscriberDatabase {

    public static final long SQN_STEP = 32;
    static final long RESERVATION = 64;

    private static final Logger LOG = LoggerFactory.getLogger(SubscriberDatabase.class);

    /**
     * Sequence state of one subscriber: the last SQN issued, the bound asked to be reserved and the bound known to
     * be on disk. Only SQNs up to {@code durable} are ever issued.
     */
    private static final class SqnState {
        long issued;
        volatile long reserved;
        volatile long durable;
    }

    private final Path subscribersFile;
    private final Path sqnStateFile;
    private volatile Map<String, Subscriber> subscribers = Map.of();
    private volatile List<String> loadProblems = List.of();
    private FileTime loadedModified;
    private long loadedSize = -1;
    private final Map<String, SqnState> sqn = new ConcurrentHashMap<>();
    private final Object stateFileLock = new Object();
    /** Bumped on every change of a reserved bound; compared with the last version written (group commit). */
    private final AtomicLong stateVersion = new AtomicLong();
    private long writtenVersion;

    /**
     * @param subscribersFile the CSV; a missing file means no subscribers until it appears
     * @param sqnStateFile    where the reserved SQN bounds are kept; one per user of the database (the local source
     *                        and the HSS simulator must not share one)
     * @throws UncheckedIOException when the state file exists but cannot be read (better than reissuing SQNs)
     */
    public SubscriberDatabase(Path subscribersFile, Path sqnStateFile) {
        this.subscribersFile = subscribersFile;
        this.sqnStateFile = sqnStateFile;
        loadSqnState();
        reloadIfChanged();
    }

    /**
     * Checks the file for changes every {@code interval} on the given scheduler (hot reload); cancel the returned
     * future to stop. A failing check is logged and does not stop later ones.
     */
    public ScheduledFuture<?> reloadEvery(ScheduledExecutorService scheduler, Duration interval) {
        long millis = Math.max(100, interval.toMillis());
        return scheduler.scheduleWithFixedDelay(() -> {
            try {
                reloadIfChanged();
            } catch (RuntimeException e) {
                LOG.error("Reloading {} failed: {}", subscribersFile, e.toString());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    public Path subscribersFile() {
        return subscribersFile;
    }

    /** Re-reads the subscriber file when its modification time or size changed; returns whether it did. */
    public synchronized boolean reloadIfChanged() {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(subscribersFile, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (loadedSize != 0 || loadedModified == null) {
                LOG.warn("Subscriber file {} does not exist: no subscribers", subscribersFile);
                subscribers = Map.of();
                loadProblems = List.of("file " + subscribersFile + " does not exist");
                loadedModified = FileTime.fromMillis(0);
                loadedSize = 0;
                return true;
            }
            return false;
        } catch (IOException e) {
            LOG.error("Cannot read subscriber file {}: {}", subscribersFile, e.toString());
            return false;
        }
        if (attributes.lastModifiedTime().equals(loadedModified) && attributes.size() == loadedSize) {
            return false;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(subscribersFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // Keep serving the previous content rather than dropping every subscriber.
            LOG.error("Cannot read subscriber file {}: {}", subscribersFile, e.toString());
            return false;
        }
        List<String> problems = new ArrayList<>();
        Map<String, Subscriber> loaded = parse(lines, problems);
        problems.forEach(p -> LOG.error("Subscriber file {}: {}", subscribersFile, p));
        reserveFirstBlocks(loaded.values());
        subscribers = loaded;
        loadProblems = List.copyOf(problems);
        loadedModified = attributes.lastModifiedTime();
        loadedSize = attributes.size();
        LOG.info("Loaded {} subscribers from {} ({} lines skipped)", loaded.size(), subscribersFile, problems.size());
        return true;
    }

    /**
     * Parses the CSV; a bad line is reported in {@code problems} with its number and skipped, the others still load.
     * The line itself is never echoed: it holds Ki and OPc.
     */
    public static Map<String, Subscriber> parse(List<String> lines, List<String> problems) {
        Map<String, Subscriber> out = new TreeMap<>();
        HexFormat hex = HexFormat.of();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#") || line.toLowerCase(Locale.ROOT).startsWith("imsi,")) {
                continue;
            }
            String[] f = line.split("\\s*,\\s*", -1);
            try {
                if (f.length != 5) {
                    throw new IllegalArgumentException("expected 5 fields imsi,ki,opc,amf,sqn, found " + f.length);
                }
                if (!f[0].matches("[0-9]{6,15}")) {
                    throw new IllegalArgumentException("IMSI must be 6 to 15 digits");
                }
                byte[] ki = parseHex(hex, f[1], 16, "Ki");
                byte[] opc = parseHex(hex, f[2], 16, "OPc");
                byte[] amf = parseHex(hex, f[3], 2, "AMF");
                if (f[4].length() > 12 || !f[4].matches("[0-9a-fA-F]+")) {
                    throw new IllegalArgumentException("SQN must be 1 to 12 hex digits (48 bits)");
                }
                long s = Long.parseLong(f[4], 16);
                if (out.put(f[0], new Subscriber(f[0], ki, opc, amf, s)) != null) {
                    problems.add("line " + (n + 1) + ": IMSI " + f[0] + " repeated, this later line wins");
                }
            } catch (IllegalArgumentException e) {
                problems.add("line " + (n + 1) + " skipped: " + e.getMessage());
            }
        }
        return Map.copyOf(out);
    }

    private static byte[] parseHex(HexFormat hex, String field, int length, String name) {
        if (field.length() != 2 * length || !field.matches("[0-9a-fA-F]+")) {
            throw new IllegalArgumentException(name + " must be " + length + " bytes in hex (" + 2 * length
                    + " digits)");
        }
        return hex.parseHex(field);
    }

    public Optional<Subscriber> find(String imsi) {
        return Optional.ofNullable(subscribers.get(imsi));
    }

    public int size() {
        return subscribers.size();
    }

    /** The IMSIs currently loaded (for the shell). */
    public Set<String> imsis() {
        return subscribers.keySet();
    }

    /** What was wrong in the file at the last load, one entry per skipped line ("line 7 skipped: ..."). */
    public List<String> loadProblems() {
        return loadProblems;
    }

    /** The last SQN issued to this subscriber (or the file's value when higher), without issuing one. */
    public long currentSqn(Subscriber s) {
        SqnState st = sqn.get(s.imsi());
        if (st == null) {
            return s.sqn();
        }
        synchronized (st) {
            return Math.max(st.issued, s.sqn());
        }
    }

    /**
     * The next SQN for this subscriber, durable before it is returned.
     *
     * @throws UncheckedIOException when the reservation cannot be written (the SQN could be reissued otherwise)
     * @throws IllegalStateException when the 48-bit SQN space is exhausted
     */
    public long nextSqn(Subscriber s) {
        SqnState st = state(s.imsi());
        synchronized (st) {
            long next = Math.max(st.issued, s.sqn()) + SQN_STEP;
            ensureReserved(s.imsi(), st, next);
            st.issued = next;
            return next;
        }
    }

    /**
     * After a verified AUTS: the USIM's SQN_MS becomes the last issued one (plus {@code extraSteps} steps), so the
     * next vector carries SQN_MS + (1 + extraSteps) * {@value #SQN_STEP}, fresh for the USIM. Never moves backwards:
     * an SQN once issued is never issued again.
     */
    public void resynchronize(Subscriber s, long sqnMs, long extraSteps) {
        SqnState st = state(s.imsi());
        synchronized (st) {
            long issued = Math.max(Math.min(Sqn.MAX, sqnMs + extraSteps * SQN_STEP), st.issued);
            ensureReserved(s.imsi(), st, issued + SQN_STEP);
            st.issued = issued;
        }
    }

    private SqnState state(String imsi) {
        return sqn.computeIfAbsent(imsi, k -> new SqnState());
    }

    /** A first durable block for every newly loaded subscriber, in one write, so the hot path rarely writes. */
    private void reserveFirstBlocks(Iterable<Subscriber> loaded) {
        long version = -1;
        for (Subscriber s : loaded) {
            SqnState st = state(s.imsi());
            synchronized (st) {
                long needed = Math.max(st.issued, s.sqn()) + SQN_STEP;
                if (needed > st.durable && needed <= Sqn.MAX) {
                    st.reserved = Math.min(Sqn.MAX, needed + (RESERVATION - 1) * SQN_STEP);
                    version = stateVersion.incrementAndGet();
                }
            }
        }
        if (version >= 0) {
            try {
                flush(version);
            } catch (IOException e) {
                // Not fatal here: nextSqn writes again (and refuses) if the disk stays unwritable.
                LOG.error("Cannot store sequence numbers in {}: {}", sqnStateFile, e.toString());
            }
        }
    }

    private void ensureReserved(String imsi, SqnState st, long needed) {
        if (needed > Sqn.MAX) {
            throw new IllegalStateException("SQN space exhausted for IMSI " + imsi);
        }
        if (needed <= st.durable) {
            return;
        }
        st.reserved = Math.max(st.reserved, Math.min(Sqn.MAX, needed + (RESERVATION - 1) * SQN_STEP));
        try {
            flush(stateVersion.incrementAndGet());
        } catch (IOException e) {
            // An SQN we cannot make durable could be issued twice after a restart: refuse instead.
            throw new UncheckedIOException("cannot store sequence numbers in " + sqnStateFile, e);
        }
        if (needed > st.durable) {
            throw new IllegalStateException("sequence number reservation for IMSI " + imsi + " not durable");
        }
    }

    private void loadSqnState() {
        if (!Files.exists(sqnStateFile)) {
            return;
        }
        Properties p = new Properties();
        try (var in = Files.newInputStream(sqnStateFile)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sequence numbers from " + sqnStateFile, e);
        }
        for (String imsi : p.stringPropertyNames()) {
            long reserved;
            try {
                reserved = Long.parseLong(p.getProperty(imsi).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("sequence number state " + sqnStateFile + ": value of " + imsi
                        + " is not hex; fix or remove the line (never lower it)", e);
            }
            SqnState st = new SqnState();
            // Whatever was reserved may have been issued before the restart: continue above it.
            st.reserved = reserved;
            st.durable = reserved;
            st.issued = reserved;
            sqn.put(imsi, st);
        }
        writtenVersion = stateVersion.get();
    }

    /** Writes the state file unless a write that already covers {@code version} happened meanwhile. */
    private void flush(long version) throws IOException {
        synchronized (stateFileLock) {
            if (writtenVersion >= version) {
                return;
            }
            long covered = stateVersion.get();
            Map<SqnState, Long> snapshot = new IdentityHashMap<>();
            Properties p = new Properties();
            sqn.forEach((imsi, st) -> {
                long reserved = st.reserved;
                snapshot.put(st, reserved);
                p.setProperty(imsi, Long.toHexString(reserved));
            });
            writeAtomically(p);
            // Only now may these bounds be issued up to.
            snapshot.forEach((st, reserved) -> st.durable = Math.max(st.durable, reserved));
            writtenVersion = covered;
        }
    }

    private void writeAtomically(Properties p) throws IOException {
        Path dir = sqnStateFile.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(sqnStateFile.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "OpenTWAG: highest SQN reserved per IMSI (hex); never lower these values");
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, sqnStateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, sqnStateFile, StandardCopyOption.REPLACE_EXISTING);
        }
        // The rename itself is durable only once the directory is synced (possible on Linux, not everywhere).
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Directory {} cannot be synced: {}", dir, e.toString());
        }
    }
}
