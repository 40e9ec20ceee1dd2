package org.opentwag.dashboard.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebCertificateActivatorTest {

    @TempDir
    Path etc;

    private void cfg(String secureEnabled, String type) throws Exception {
        cfg(secureEnabled, type, "store-pw");
    }

    private void cfg(String secureEnabled, String type, String password) throws Exception {
        Files.writeString(etc.resolve(WebCertificateActivator.PAX_WEB_CFG), String.join("\n",
                "org.osgi.service.http.secure.enabled = " + secureEnabled,
                "org.ops4j.pax.web.ssl.keystore = ${karaf.etc}/web.p12",
                "org.ops4j.pax.web.ssl.keystore.type = " + type,
                "org.ops4j.pax.web.ssl.keystore.password = " + password,
                "org.ops4j.pax.web.ssl.key.password = " + password,
                "org.ops4j.pax.web.ssl.key.alias = the-alias", ""));
    }

    @Test
    void makesTheKeystorePaxWebIsConfiguredToReadOnce() throws Exception {
        cfg("true", "PKCS12");
        assertThat(WebCertificateActivator.ensureKeystore(etc)).isTrue();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(etc.resolve("web.p12"))) {
            ks.load(in, "store-pw".toCharArray());
        }
        assertThat(ks.isKeyEntry("the-alias")).isTrue();
        assertThat(ks.getKey("the-alias", "store-pw".toCharArray())).isNotNull();
        assertThat(WebCertificateActivator.ensureKeystore(etc)).isFalse(); // second start: kept
    }

    @Test
    void leavesItAloneWithoutHttpsOrForAnotherStoreType() throws Exception {
        assertThat(WebCertificateActivator.ensureKeystore(etc)).isFalse(); // no cfg at all
        cfg("false", "PKCS12");
        assertThat(WebCertificateActivator.ensureKeystore(etc)).isFalse();
        cfg("true", "JKS");
        assertThat(WebCertificateActivator.ensureKeystore(etc)).isFalse();
        assertThat(etc.resolve("web.p12")).doesNotExist();
    }

    @Test
    void aSecretReferenceGetsAPasswordOfThisInstallInAnOwnerOnlyFileAndTheKeystoreOpensWithIt() throws Exception {
        cfg("true", "PKCS12", "$[secret:web.password]");

        assertThat(WebCertificateActivator.ensureKeystore(etc)).isTrue();

        Path secret = etc.resolve("web.password");
        String password = Files.readString(secret);
        assertThat(password).hasSizeGreaterThanOrEqualTo(20).matches("[A-Za-z0-9]+");
        assertThat(Files.getPosixFilePermissions(secret))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(etc.resolve("web.p12"))) {
            ks.load(in, password.toCharArray());
        }
        assertThat(ks.getKey("the-alias", password.toCharArray())).isNotNull();
        // a second start keeps both; another install gets another password
        assertThat(WebCertificateActivator.ensureKeystore(etc)).isFalse();
        assertThat(Files.readString(secret)).isEqualTo(password);
    }

    @Test
    void twoInstallsGetDifferentKeystorePasswords(@TempDir Path otherEtc) throws Exception {
        cfg("true", "PKCS12", "$[secret:web.password]");
        Files.copy(etc.resolve(WebCertificateActivator.PAX_WEB_CFG), otherEtc.resolve(WebCertificateActivator.PAX_WEB_CFG));
        WebCertificateActivator.ensureKeystore(etc);
        WebCertificateActivator.ensureKeystore(otherEtc);

        assertThat(Files.readString(etc.resolve("web.password")))
                .isNotEqualTo(Files.readString(otherEtc.resolve("web.password")));
    }

    @Test
    void anExistingSecretFileIsTheKeystoresPassword() throws Exception {
        cfg("true", "PKCS12", "$[secret:web.password]");
        Files.writeString(etc.resolve("web.password"), "the-operators-password\n");

        assertThat(WebCertificateActivator.ensureKeystore(etc)).isTrue();

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(etc.resolve("web.p12"))) {
            ks.load(in, "the-operators-password".toCharArray()); // trimmed, as the interpolation plugin does
        }
    }

    @Test
    void aReferenceOutsideEtcIsRefusedAndNothingIsWrittenThere() throws Exception {
        cfg("true", "PKCS12", "$[secret:../outside.password]");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebCertificateActivator.ensureKeystore(etc))
                .isInstanceOf(java.io.IOException.class);

        assertThat(etc.resolveSibling("outside.password")).doesNotExist();
        assertThat(etc.resolve("web.p12")).doesNotExist();
    }
}
