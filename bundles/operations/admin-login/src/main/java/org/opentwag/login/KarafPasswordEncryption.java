package org.opentwag.login;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Karaf's "basic" password encryption as configured in etc/org.apache.karaf.jaas.cfg, so that a password we store in
 * etc/users.properties is one Karaf's PropertiesLoginModule accepts. Karaf 4.4's BasicEncryption stores
 * {@code prefix + encode(digest(password.getBytes())) + suffix}; hexadecimal is compared ignoring case.
 * The generated passwords are ASCII, so the JVM's default charset (what Karaf uses) does not matter.
 */
final class KarafPasswordEncryption {

    static final String JAAS_CFG = "org.apache.karaf.jaas.cfg";

    private final String algorithm;
    private final boolean base64;
    private final String prefix;
    private final String suffix;

    KarafPasswordEncryption(String algorithm, boolean base64, String prefix, String suffix)
            throws NoSuchAlgorithmException {
        MessageDigest.getInstance(algorithm); // fail now, not when a password is stored
        this.algorithm = algorithm;
        this.base64 = base64;
        this.prefix = prefix;
        this.suffix = suffix;
    }

    /**
     * The encryption etc/org.apache.karaf.jaas.cfg switches on, or empty when it is off or not Karaf's "basic" one
     * (then nothing we could write would be both hashed and accepted).
     */
    static Optional<KarafPasswordEncryption> configuredIn(Path etc) throws IOException, NoSuchAlgorithmException {
        Path cfg = etc.resolve(JAAS_CFG);
        if (!Files.exists(cfg)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(cfg)) {
            p.load(in);
        }
        if (!Boolean.parseBoolean(p.getProperty("encryption.enabled", "false").strip())) {
            return Optional.empty();
        }
        String name = p.getProperty("encryption.name", "").strip();
        if (!name.isEmpty() && !"basic".equalsIgnoreCase(name)) {
            return Optional.empty();
        }
        String encoding = p.getProperty("encryption.encoding", "hexadecimal").strip().toLowerCase(Locale.ROOT);
        if (!encoding.equals("hexadecimal") && !encoding.equals("base64")) {
            return Optional.empty();
        }
        return Optional.of(new KarafPasswordEncryption(p.getProperty("encryption.algorithm", "MD5").strip(),
                encoding.equals("base64"), p.getProperty("encryption.prefix", "").strip(),
                p.getProperty("encryption.suffix", "").strip()));
    }

    /** The value to store in etc/users.properties for this password. */
    String encrypt(String password) {
        byte[] digest = digest(password);
        return prefix + (base64 ? Base64.getEncoder().encodeToString(digest) : HexFormat.of().formatHex(digest)) + suffix;
    }

    /** Whether a value stored in etc/users.properties (hashed or, as Karaf also accepts, clear) is this password. */
    boolean matches(String password, String stored) {
        if (!prefix.isEmpty() && stored.startsWith(prefix) && stored.endsWith(suffix)
                && stored.length() >= prefix.length() + suffix.length()) {
            String encoded = stored.substring(prefix.length(), stored.length() - suffix.length());
            byte[] expected;
            try {
                expected = base64 ? Base64.getDecoder().decode(encoded) : HexFormat.of().parseHex(encoded);
            } catch (IllegalArgumentException notEncoded) {
                return false;
            }
            return MessageDigest.isEqual(expected, digest(password));
        }
        return MessageDigest.isEqual(stored.getBytes(), password.getBytes());
    }

    private byte[] digest(String password) {
        try {
            return MessageDigest.getInstance(algorithm).digest(password.getBytes());
        } catch (NoSuchAlgorithmException checkedInConstructor) {
            throw new IllegalStateException(checkedInConstructor);
        }
    }
}
