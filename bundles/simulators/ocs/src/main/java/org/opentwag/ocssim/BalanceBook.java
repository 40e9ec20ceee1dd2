package org.opentwag.ocssim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscriber balances in octets from a CSV file {@code imsi,balance_octets} ('#' comments, a header line allowed).
 * Debits live in memory; when the file changes, the balances it lists replace the ones in memory (an operator tops a
 * subscriber up by editing the file), and IMSIs it no longer lists are forgotten. Thread-safe.
 */
public final class BalanceBook {

    private static final Logger LOG = LoggerFactory.getLogger(BalanceBook.class);

    private final Path file;
    private final Map<String, Long> balances = new HashMap<>();
    private Map<String, Long> lastFileValues = Map.of();
    private FileTime loadedModified;
    private long loadedSize = -1;

    public BalanceBook(Path file) {
        this.file = file;
        reloadIfChanged();
    }

    public Path file() {
        return file;
    }

    public synchronized OptionalLong balance(String imsi) {
        Long b = balances.get(imsi);
        return b == null ? OptionalLong.empty() : OptionalLong.of(b);
    }

    /** Sets a balance (an IMSI unknown to the file gets one at its first request: the default balance). */
    public synchronized void set(String imsi, long octets) {
        balances.put(imsi, Math.max(0, octets));
    }

    /** Takes used octets off the balance, never below zero; returns the new balance. */
    public synchronized long debit(String imsi, long octets) {
        Long before = balances.get(imsi);
        long now = Math.max(0, (before == null ? 0 : before) - Math.max(0, octets));
        if (before == null || before != now) { // most CCR-Ts report nothing used: no second lookup, no new Long
            balances.put(imsi, now);
        }
        return now;
    }

    public synchronized int size() {
        return balances.size();
    }

    /** Re-reads the file when its modification time or size changed; true when it did. */
    public boolean reloadIfChanged() {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (loadedSize != -2) {
                LOG.warn("OCS balance file {} not found: every subscriber gets the default balance", file);
                loadedSize = -2;
            }
            return false;
        } catch (IOException e) {
            LOG.error("OCS balance file {} unreadable: {}", file, e.toString());
            return false;
        }
        synchronized (this) {
            if (attributes.lastModifiedTime().equals(loadedModified) && attributes.size() == loadedSize) {
                return false;
            }
            Map<String, Long> read;
            try {
                read = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
            } catch (IOException | IllegalArgumentException e) {
                LOG.error("OCS balance file {} not loaded, balances unchanged: {}", file, e.getMessage());
                return false;
            }
            // Only lines the operator changed overwrite the debited balance in memory.
            for (Map.Entry<String, Long> e : read.entrySet()) {
                if (!e.getValue().equals(lastFileValues.get(e.getKey()))) {
                    balances.put(e.getKey(), e.getValue());
                }
            }
            balances.keySet().removeIf(imsi -> lastFileValues.containsKey(imsi) && !read.containsKey(imsi));
            lastFileValues = read;
            loadedModified = attributes.lastModifiedTime();
            loadedSize = attributes.size();
            LOG.info("OCS balances loaded from {}: {} subscribers", file, read.size());
            return true;
        }
    }

    static Map<String, Long> parse(List<String> lines) {
        Map<String, Long> out = new HashMap<>();
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.toLowerCase().startsWith("imsi")) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length < 2 || !f[0].strip().matches("\\d{5,15}")) {
                throw new IllegalArgumentException("line " + n + ": expected imsi,balance_octets");
            }
            try {
                long balance = Long.parseLong(f[1].strip());
                if (balance < 0) {
                    throw new NumberFormatException("negative");
                }
                out.put(f[0].strip(), balance);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("line " + n + ": balance '" + f[1].strip() + "' is not octets");
            }
        }
        return out;
    }

    public ScheduledFuture<?> reloadEvery(ScheduledExecutorService scheduler, Duration interval) {
        long millis = Math.max(100, interval.toMillis());
        return scheduler.scheduleWithFixedDelay(() -> {
            try {
                reloadIfChanged();
            } catch (RuntimeException e) {
                LOG.error("Reloading {} failed: {}", file, e.toString());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }
}
