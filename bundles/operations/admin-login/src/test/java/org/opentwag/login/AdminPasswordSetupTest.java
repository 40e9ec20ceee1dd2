package org.opentwag.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import org.apache.karaf.jaas.modules.encryption.BasicEncryption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.login.AdminPasswordSetup.Outcome;

class AdminPasswordSetupTest {

    private static final String JAAS_ON = """
            encryption.enabled = true
            encryption.name = basic
            encryption.prefix = {CRYPT}
            encryption.suffix = {CRYPT}
            encryption.algorithm = SHA-256
            encryption.encoding = hexadecimal
            """;

    /** As shipped: comments, no admin line, the admin group. */
    private static final String SHIPPED_USERS = """
            # Karaf users
            _g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh
            """;

    @TempDir
    Path etc;

    @BeforeEach
    void shipped() throws Exception {
        Files.writeString(etc.resolve("org.apache.karaf.jaas.cfg"), JAAS_ON);
        Files.writeString(etc.resolve("users.properties"), SHIPPED_USERS);
    }

    @Test
    void aFreshInstallGetsARandomPasswordStoredAsKarafsHashAndTheClearTextInAnOwnerOnlyFile() throws Exception {
        AdminPasswordSetup setup = new AdminPasswordSetup(etc);

        assertThat(setup.ensure()).isEqualTo(Outcome.GENERATED);

        Path file = etc.resolve("admin-password");
        String password = Files.readString(file);
        assertThat(password).hasSizeGreaterThanOrEqualTo(20).matches("[A-Za-z0-9]+");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String users = Files.readString(etc.resolve("users.properties"));
        assertThat(users).doesNotContain(password);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(password.getBytes(StandardCharsets.US_ASCII)));
        assertThat(users).contains("admin = {CRYPT}" + sha256 + "{CRYPT},_g_:admingroup")
                .contains("# Karaf users").contains("_g_\\:admingroup = group,admin");
        // the line comes before the group definitions, as in Karaf's own file
        assertThat(users.indexOf("admin = ")).isLessThan(users.indexOf("_g_\\:admingroup"));
    }

    @Test
    void karafsOwnBasicEncryptionAcceptsTheStoredValue() throws Exception {
        new AdminPasswordSetup(etc).ensure();
        String password = Files.readString(etc.resolve("admin-password"));
        String stored = new UsersFile(etc.resolve("users.properties")).password("admin").orElseThrow();
        String hash = stored.substring("{CRYPT}".length(), stored.length() - "{CRYPT}".length());

        BasicEncryption karaf = new BasicEncryption(Map.of("algorithm", "SHA-256", "encoding", "hexadecimal"));

        assertThat(karaf.checkPassword(password, hash)).isTrue();
        assertThat(karaf.checkPassword("opentwag", hash)).isFalse();
    }

    @Test
    void everyLaterStartKeepsThePasswordAndTheFile() throws Exception {
        AdminPasswordSetup setup = new AdminPasswordSetup(etc);
        setup.ensure();
        String users = Files.readString(etc.resolve("users.properties"));
        String password = Files.readString(etc.resolve("admin-password"));

        assertThat(setup.ensure()).isEqualTo(Outcome.KEPT);
        Files.delete(etc.resolve("admin-password")); // the operator stored it and deleted the file
        assertThat(setup.ensure()).isEqualTo(Outcome.KEPT);

        assertThat(Files.readString(etc.resolve("users.properties"))).isEqualTo(users);
        assertThat(Files.exists(etc.resolve("admin-password"))).isFalse();
        assertThat(password).isNotEmpty();
    }

    @Test
    void twoInstallsGetDifferentPasswords(@TempDir Path otherEtc) throws Exception {
        Files.writeString(otherEtc.resolve("org.apache.karaf.jaas.cfg"), JAAS_ON);
        Files.writeString(otherEtc.resolve("users.properties"), SHIPPED_USERS);
        new AdminPasswordSetup(etc).ensure();
        new AdminPasswordSetup(otherEtc).ensure();

        assertThat(Files.readString(etc.resolve("admin-password")))
                .isNotEqualTo(Files.readString(otherEtc.resolve("admin-password")));
    }

    @Test
    void theOldShippedPasswordIsReplacedKeepingTheRoles() throws Exception {
        Files.writeString(etc.resolve("users.properties"), "admin = opentwag,_g_:admingroup,extra\n" + SHIPPED_USERS);

        assertThat(new AdminPasswordSetup(etc).ensure()).isEqualTo(Outcome.GENERATED);

        String users = Files.readString(etc.resolve("users.properties"));
        assertThat(users).doesNotContain("opentwag").containsPattern("admin = \\{CRYPT\\}[0-9a-f]{64}\\{CRYPT\\},_g_:admingroup,extra\n");
        assertThat(users.lines().filter(l -> l.startsWith("admin")).count()).isEqualTo(1);
    }

    @Test
    void theOldShippedPasswordAlreadyHashedByKarafIsReplacedToo() throws Exception {
        String hashed = "{CRYPT}" + HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("opentwag".getBytes(StandardCharsets.US_ASCII))) + "{CRYPT}";
        Files.writeString(etc.resolve("users.properties"), "admin = " + hashed + ",_g_:admingroup\n" + SHIPPED_USERS);

        assertThat(new AdminPasswordSetup(etc).ensure()).isEqualTo(Outcome.GENERATED);
        assertThat(Files.readString(etc.resolve("users.properties"))).doesNotContain(hashed);
    }

    @Test
    void anOperatorsPasswordIsKept() throws Exception {
        String users = "admin = {CRYPT}abcdef{CRYPT},_g_:admingroup\n" + SHIPPED_USERS;
        Files.writeString(etc.resolve("users.properties"), users);

        assertThat(new AdminPasswordSetup(etc).ensure()).isEqualTo(Outcome.KEPT);

        assertThat(Files.readString(etc.resolve("users.properties"))).isEqualTo(users);
        assertThat(Files.exists(etc.resolve("admin-password"))).isFalse();
    }

    @Test
    void withKarafsEncryptionOffNothingIsWrittenInClear() throws Exception {
        Files.writeString(etc.resolve("org.apache.karaf.jaas.cfg"), JAAS_ON.replace("enabled = true", "enabled = false"));

        assertThat(new AdminPasswordSetup(etc).ensure()).isEqualTo(Outcome.ENCRYPTION_OFF);

        assertThat(Files.readString(etc.resolve("users.properties"))).isEqualTo(SHIPPED_USERS);
        assertThat(Files.exists(etc.resolve("admin-password"))).isFalse();
    }

    @Test
    void theSafetyCheckWarnsWhileTheClearTextIsOnDisk() throws Exception {
        GeneratedPasswordCheck check = new GeneratedPasswordCheck(etc);
        assertThat(check.findings()).isEmpty();

        new AdminPasswordSetup(etc).ensure();
        assertThat(check.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(org.opentwag.api.check.Finding.Severity.WARNING);
            assertThat(f.problem()).contains(etc.resolve("admin-password").toString());
            assertThat(f.problem()).doesNotContain(Files.readString(etc.resolve("admin-password")));
        });

        Files.delete(etc.resolve("admin-password"));
        assertThat(check.findings()).isEmpty();
    }
}
