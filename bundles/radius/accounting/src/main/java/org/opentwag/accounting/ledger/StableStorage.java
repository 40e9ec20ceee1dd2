package org.opentwag.accounting.ledger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;

/**
 * How a committed transaction reaches stable storage on the database in use, so that an Accounting-Response is
 * sent only for records a power cut cannot take away (not merely handed to the OS page cache).
 * <ul>
 * <li>H2 (MVStore): {@code commit()} writes the chunk to the file but never forces it; {@code CHECKPOINT SYNC} does
 * (Database.sync: MVStore.commit, then FileStore.sync = FileChannel.force(true), i.e. fsync). Once per group
 * commit, so its cost is shared by every record of the batch. It needs the ADMIN right, which the user that created
 * the database file has.</li>
 * <li>PostgreSQL: {@code COMMIT} returns after the WAL is flushed as long as {@code synchronous_commit} is on (its
 * default); the writer's session sets it on, so a server configured with it off does not weaken accounting.</li>
 * <li>Anything else: the database's own commit, as documented by it.</li>
 * </ul>
 */
public enum StableStorage {
    H2("CHECKPOINT SYNC", null),
    POSTGRESQL(null, "SET synchronous_commit TO on"),
    OTHER(null, null);

    private final String afterCommit;
    private final String onConnect;

    StableStorage(String afterCommit, String onConnect) {
        this.afterCommit = afterCommit;
        this.onConnect = onConnect;
    }

    /** Which database the connection talks to (JDBC metadata's product name). */
    public static StableStorage of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.equals("h2")) {
            return H2;
        }
        return product.contains("postgres") ? POSTGRESQL : OTHER;
    }

    /** Prepares the writer's connection (its own session settings), once when it is opened. */
    void onConnect(Connection c) throws SQLException {
        if (onConnect != null) {
            try (Statement s = c.createStatement()) {
                s.execute(onConnect);
            }
        }
    }

    /** Forces what the last commit wrote to stable storage; returns when it is there. */
    void afterCommit(Connection c) throws SQLException {
        if (afterCommit != null) {
            try (Statement s = c.createStatement()) {
                s.execute(afterCommit);
            }
        }
    }

    /**
     * The directory of an embedded H2 database file named by a JDBC URL ({@code jdbc:h2:file:/x/acc;...},
     * {@code jdbc:h2:/x/acc}, {@code jdbc:h2:~/acc}), empty for in-memory and server URLs.
     */
    public static Optional<Path> h2Directory(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String name = url.substring("jdbc:h2:".length());
        int semicolon = name.indexOf(';');
        if (semicolon >= 0) {
            name = name.substring(0, semicolon);
        }
        String scheme = name.toLowerCase(Locale.ROOT);
        if (scheme.startsWith("file:")) {
            name = name.substring("file:".length());
        } else if (scheme.startsWith("mem:") || scheme.startsWith("tcp:") || scheme.startsWith("ssl:")
                || scheme.matches("^[a-z]{2,}:.*")) {
            return Optional.empty(); // in memory, a server, or another of H2's file systems (zip:, nio...)
        }
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        Path parent = Path.of(name).toAbsolutePath().getParent();
        return Optional.ofNullable(parent);
    }

    /**
     * fsync of a directory, so that the name of a file created in it survives a power cut (an fsync of the file
     * alone makes its content durable, not its directory entry). Linux allows it on a read-only channel.
     */
    public static void syncDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
