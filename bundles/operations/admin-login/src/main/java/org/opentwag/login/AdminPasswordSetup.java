package org.opentwag.login;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * Gives the installation's admin account a password of its own on first start: random, stored hashed (Karaf's
 * encryption from etc/org.apache.karaf.jaas.cfg) in etc/users.properties, the clear text written once to
 * {@link #PASSWORD_FILE} for the operator. Runs on every start and does nothing once admin has a password other
 * than the one older versions shipped.
 */
public final class AdminPasswordSetup {

    public static final String USER = "admin";
    /** The clear text, in etc/ (readable by the Karaf account only) until the operator deletes it. */
    public static final String PASSWORD_FILE = "admin-password";
    /** Shipped by OpenTWAG up to 0.1: an installation still using it gets a generated one too. */
    static final String OLD_DEFAULT = "opentwag";
    static final String ROLES = "_g_:admingroup";

    /** What {@link #ensure} did. */
    public enum Outcome {
        /** A new password was generated and stored. */
        GENERATED,
        /** admin already had a password of the operator's: nothing changed. */
        KEPT,
        /** Karaf's password encryption is off: nothing stored (a clear password in users.properties would leak). */
        ENCRYPTION_OFF
    }

    private final Path etc;

    public AdminPasswordSetup(Path etc) {
        this.etc = etc;
    }

    public Path passwordFile() {
        return etc.resolve(PASSWORD_FILE);
    }

    public Outcome ensure() throws IOException, GeneralSecurityException {
        UsersFile users = new UsersFile(etc.resolve("users.properties"));
        Optional<KarafPasswordEncryption> encryption = KarafPasswordEncryption.configuredIn(etc);
        Optional<String> stored = users.password(USER);
        if (stored.isPresent() && !isOldDefault(stored.get(), encryption)) {
            return Outcome.KEPT;
        }
        if (encryption.isEmpty()) {
            return Outcome.ENCRYPTION_OFF;
        }
        String password = RandomPassword.next();
        // The file first: a crash between the two writes leaves admin without a password (generated again on the
        // next start), never a stored password nobody knows.
        OwnerOnlyFile.write(passwordFile(), password);
        users.setPassword(USER, encryption.get().encrypt(password), ROLES);
        return Outcome.GENERATED;
    }

    private static boolean isOldDefault(String stored, Optional<KarafPasswordEncryption> encryption) {
        return stored.equals(OLD_DEFAULT) || encryption.map(e -> e.matches(OLD_DEFAULT, stored)).orElse(false);
    }
}
