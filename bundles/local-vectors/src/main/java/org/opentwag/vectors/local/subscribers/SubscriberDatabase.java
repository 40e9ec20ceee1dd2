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
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.opentwag.milenage.Sqn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribers of {@code etc/hss-subscribers.csv} ({@code imsi,ki,opc,amf,sqn}, hex) and their sequence
 * numbers. The file is the operator's and is never rewritten; it is re-read when it changes. The SQN issued last per
 * subscriber is kept in a separate state file so that a restart never issues an SQN twice.
 *
 * <p>SQN = SEQ || IND (TS 33.102 Annex C) with a 5-bit IND always 0: each vector advances SEQ by one, i.e. SQN by
 * {@value #SQN_STEP}, as Open5GS does. To spare an fsync per vector, SQNs are reserved durably in blocks of
 * {@value #RESERVATION} vectors; after a crash the unused rest of a block is skipped, which a USIM accepts.
 */
public final class SubscriberDatabase {

    public static final long SQN_STEP = 32;
    static final long RESERVATION = 64;

    private static final Logger LOG = LoggerFactory.getLogger(SubscriberDatabase.class);

    /** Sequence state of one subscriber: the last SQN issued and the bound reserved durably. */
    private static final class SqnState {
        long issued;
        long reserved;
    }

    private final Path subscribersFile;
    private final Path sqnStateFile;
    private volatile Map<String, Subscriber> subscribers = Map.of();
    private volatile FileTime loadedModified;
    private final Map<String, SqnState> sqn = new ConcurrentHashMap<>();
    private final Object stateFileLock = new Object();

    public SubscriberDatabase(Path subscribersFile, Path sqnStateFile) {
        this.subscribersFile = subscribersFile;
        this.sqnStateFile = sqnStateFile;
        loadSqnState();
        reloadIfChanged();
    }

    /** Re-reads the subscriber file when its modification time changed; returns whether it did. */
    public synchronized boolean reloadIfChanged() {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(subscribersFile);
        } catch (NoSuchFileException e) {
            if (!subscribers.isEmpty() || loadedModified == null) {
                LOG.warn("Subscriber file {} does not exist: no subscribers", subscribersFile);
            }
            subscribers = Map.of();
            loadedModified = FileTime.fromMillis(0);
            return true;
        } catch (IOException e) {
            LOG.error("Cannot read subscriber file {}: {}", subscribersFile, e.toString());
            return false;
        }
        if (modified.equals(loadedModified)) {
            return false;
        }
        try {
            subscribers = parse(Files.readAllLines(subscribersFile, StandardCharsets.UTF_8));
            loadedModified = modified;
            LOG.info("Loaded {} subscribers from {}", subscribers.size(), subscribersFile);
            return true;
        } catch (IOException e) {
            LOG.error("Cannot read subscriber file {}: {}", subscribersFile, e.toString());
            return false;
        }
    }

    /** Parses the CSV; a bad line is logged with its number and skipped, the others still load. */
    static Map<String, Subscriber> parse(List<String> lines) {
        Map<String, Subscriber> out = new TreeMap<>();
        HexFormat hex = HexFormat.of();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty() || line.startsWith("#") || line.toLowerCase().startsWith("imsi,")) {
                continue;
            }
            String[] f = line.split("\\s*,\\s*");
            try {
                if (f.length != 5) {
                    throw new IllegalArgumentException("expected 5 fields imsi,ki,opc,amf,sqn, found " + f.length);
                }
                if (!f[0].matches("\\d{6,15}")) {
                    throw new IllegalArgumentException("IMSI must be 6 to 15 digits");
                }
                byte[] ki = hex.parseHex(f[1]);
                byte[] opc = hex.parseHex(f[2]);
                byte[] amf = hex.parseHex(f[3]);
                if (ki.length != 16 || opc.length != 16 || amf.length != 2) {
                    throw new IllegalArgumentException("Ki and OPc must be 16 bytes, AMF 2 bytes");
                }
                long s = Long.parseLong(f[4], 16);
                if (s < 0 || s > Sqn.MAX) {
                    throw new IllegalArgumentException("SQN must be 48 bits");
                }
                if (out.put(f[0], new Subscriber(f[0], ki, opc, amf, s)) != null) {
                    LOG.warn("Subscriber file line {}: IMSI {} repeated, the later line wins", n + 1, f[0]);
                }
            } catch (IllegalArgumentException e) {
                // Never echo the line: it holds Ki and OPc.
                LOG.error("Subscriber file line {} skipped: {}", n + 1, e.getMessage());
            }
        }
        return Map.copyOf(out);
    }

    public Optional<Subscriber> find(String imsi) {
        return Optional.ofNullable(subscribers.get(imsi));
    }

    public int size() {
        return subscribers.size();
    }

    /** The next SQN for this subscriber, durable before it is returned. */
    public long nextSqn(Subscriber s) {
        SqnState st = sqn.computeIfAbsent(s.imsi(), k -> new SqnState());
        synchronized (st) {
            long next = Math.max(st.issued, s.sqn()) + SQN_STEP;
            ensureReserved(s.imsi(), st, next);
            st.issued = next;
            return next;
        }
    }

    /**
     * After a verified AUTS: the USIM's SQN_MS becomes the last issued one (plus {@code extraSteps} steps, as some
     * HSSs do), so the next vector is fresh for the USIM.
     */
    public void resynchronize(Subscriber s, long sqnMs, long extraSteps) {
        SqnState st = sqn.computeIfAbsent(s.imsi(), k -> new SqnState());
        synchronized (st) {
            long issued = Math.max(sqnMs + extraSteps * SQN_STEP, st.issued);
            ensureReserved(s.imsi(), st, issued + SQN_STEP);
            st.issued = issued;
        }
    }

    private void ensureReserved(String imsi, SqnState st, long needed) {
        if (needed <= st.reserved) {
            return;
        }
        long bound = Math.min(Sqn.MAX, needed + RESERVATION * SQN_STEP);
        if (needed > Sqn.MAX) {
            throw new IllegalStateException("SQN space exhausted for IMSI " + imsi);
        }
        long previous = st.reserved;
        st.reserved = bound;
        try {
            writeSqnState();
        } catch (IOException e) {
            st.reserved = previous;
            // An SQN we cannot make durable could be issued twice after a restart: refuse instead.
            throw new UncheckedIOException("cannot store sequence numbers in " + sqnStateFile, e);
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
            SqnState st = new SqnState();
            // Whatever was reserved may have been issued before the restart: continue above it.
            st.reserved = Long.parseLong(p.getProperty(imsi), 16);
            st.issued = st.reserved;
            sqn.put(imsi, st);
        }
    }

    private void writeSqnState() throws IOException {
        synchronized (stateFileLock) {
            Properties p = new Properties();
            sqn.forEach((imsi, st) -> p.setProperty(imsi, Long.toHexString(st.reserved)));
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
        }
    }
}
