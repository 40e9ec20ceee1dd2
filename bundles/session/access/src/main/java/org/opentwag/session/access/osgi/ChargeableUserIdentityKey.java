package org.opentwag.session.access.osgi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.opentwag.session.access.ChargeableUserIdentities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the Chargeable-User-Identity key comes from: the configured value (base64, usually a $[secret:...] reference
 * resolved by Config Admin), else etc/opentwag-cui.key, which the first start makes (mode 0600) so that identities
 * stay the same across restarts. Every node of a cluster must hold the same key (docs/subscriber-identity.md).
 */
final class ChargeableUserIdentityKey {

    private static final Logger LOG = LoggerFactory.getLogger(ChargeableUserIdentityKey.class);
    static final String FILE = "opentwag-cui.key";

    private ChargeableUserIdentityKey() {
    }

    /** The identities to hand out, or null (with an ERROR logged) when no usable key could be found or made. */
    static ChargeableUserIdentities load(String keyId, String configured) {
        try {
            byte[] key;
            if (configured != null && !configured.isBlank() && !configured.startsWith("$[")) {
                key = decode(configured);
            } else {
                key = fromFile(etc().resolve(FILE));
            }
            return new ChargeableUserIdentities(keyId, key);
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("No Chargeable-User-Identity will be sent: its key is unusable ({}). Set cuiKey in "
                    + "etc/org.opentwag.session.cui.cfg to the base64 of 32 random bytes.", e.getMessage());
            return null;
        }
    }

    private static byte[] decode(String value) {
        byte[] key = Base64.getDecoder().decode(value.trim());
        if (key.length < ChargeableUserIdentities.MIN_KEY_BYTES) {
            throw new IllegalArgumentException("cuiKey decodes to " + key.length + " bytes, fewer than "
                    + ChargeableUserIdentities.MIN_KEY_BYTES);
        }
        return key;
    }

    private static byte[] fromFile(Path file) throws IOException {
        if (Files.exists(file)) {
            return decode(Files.readString(file, StandardCharsets.US_ASCII));
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.createDirectories(file.getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                StandardOpenOption.TRUNCATE_EXISTING);
        LOG.info("Made the Chargeable-User-Identity key {} (copy it to every node of a cluster)", file);
        return key;
    }

    private static Path etc() {
        String etc = System.getProperty("karaf.etc");
        return Path.of(etc != null ? etc : "etc");
    }
}
