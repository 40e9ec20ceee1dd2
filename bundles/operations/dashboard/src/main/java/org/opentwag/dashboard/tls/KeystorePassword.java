package org.opentwag.dashboard.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keystore password as etc/org.ops4j.pax.web.cfg gives it: a literal, or a Config Admin secret reference
 * {@code $[secret:NAME]} that the interpolation plugin resolves for Pax Web from the file etc/NAME. For a reference
 * whose file is missing while the keystore is missing too (a fresh install), a random password is generated into
 * that file first (owner-only), so each installation gets its own and no password ships.
 */
public final class KeystorePassword {

    private static final Pattern SECRET = Pattern.compile("^\\$\\[secret:([^\\]\\s;]+)\\]$");
    static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    static final int LENGTH = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeystorePassword() {
    }

    /** The secret file a value refers to, or empty for a literal password. */
    public static Optional<Path> secretFile(String value, Path etc) {
        Matcher m = SECRET.matcher(value.strip());
        return m.matches() ? Optional.of(etc.resolve(m.group(1)).normalize()) : Optional.empty();
    }

    /**
     * The password a value stands for, generating it when it is a secret reference without its file (call it only
     * when no keystore exists that another password would open).
     *
     * @throws IOException when the reference points outside etc/ or its file cannot be read or written
     */
    public static String resolve(String value, Path etc) throws IOException {
        Optional<Path> file = secretFile(value, etc);
        if (file.isEmpty()) {
            return value.strip();
        }
        Path secret = file.get();
        if (!secret.startsWith(etc.normalize())) {
            throw new IOException("secret reference outside " + etc + ": " + value);
        }
        if (Files.exists(secret)) {
            return Files.readString(secret, StandardCharsets.UTF_8).strip(); // the plugin trims too
        }
        String password = generate();
        writeOwnerOnly(secret, password);
        return password;
    }

    static String generate() {
        StringBuilder b = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** Created 0600 (never readable by others, not even for a moment), filled, renamed into place. */
    private static void writeOwnerOnly(Path file, String secret) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnly);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(secret.getBytes(StandardCharsets.UTF_8));
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
