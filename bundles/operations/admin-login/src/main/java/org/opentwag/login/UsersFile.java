package org.opentwag.login;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Karaf's etc/users.properties as lines ({@code user = password,role,...,_g_:group}), read and changed as text so
 * the operator's comments and other users stay as they are.
 */
final class UsersFile {

    /** The user line of a name: "name = password[,roles...]" (also ':' as separator, as Java properties allow). */
    private static Pattern userLine(String user) {
        return Pattern.compile("^\\s*" + Pattern.quote(user) + "\\s*[=:]\\s*(.*)$");
    }

    private final Path file;

    UsersFile(Path file) {
        this.file = file;
    }

    /** The stored password of the user (hashed or clear), or empty when the file has no line for it. */
    Optional<String> password(String user) throws IOException {
        return line(user, lines()).map(m -> m.group(1).split(",", 2)[0].strip());
    }

    /**
     * Sets the user's stored password, keeping the roles and groups of an existing line (or giving {@code roles}
     * to a new one, placed before the first group definition), and replaces the file in one atomic rename with
     * the old file's permissions.
     */
    void setPassword(String user, String storedPassword, String roles) throws IOException {
        List<String> lines = lines();
        String newLine = user + " = " + storedPassword + "," + roles;
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = userLine(user).matcher(lines.get(i));
            if (m.matches()) {
                String[] parts = m.group(1).split(",", 2);
                lines.set(i, user + " = " + storedPassword + (parts.length > 1 ? "," + parts[1].strip() : ""));
                replaced = true;
            }
        }
        if (!replaced) {
            int at = lines.size();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).stripLeading().startsWith("_g_")) {
                    at = i;
                    break;
                }
            }
            lines.add(at, newLine);
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".users", ".properties");
        try {
            Files.write(tmp, lines, StandardCharsets.ISO_8859_1);
            copyPermissions(file, tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private List<String> lines() throws IOException {
        // Java properties files are ISO-8859-1; reading them so never fails on a byte.
        return Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.ISO_8859_1)) : new ArrayList<>();
    }

    private static Optional<Matcher> line(String user, List<String> lines) {
        for (String l : lines) {
            Matcher m = userLine(user).matcher(l);
            if (m.matches()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        if (!Files.exists(from) || Files.getFileAttributeView(from, PosixFileAttributeView.class) == null) {
            return;
        }
        Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
    }
}
