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
        Files.writeString(etc.resolve(WebCertificateActivator.PAX_WEB_CFG), String.join("\n",
                "org.osgi.service.http.secure.enabled = " + secureEnabled,
                "org.ops4j.pax.web.ssl.keystore = ${karaf.etc}/web.p12",
                "org.ops4j.pax.web.ssl.keystore.type = " + type,
                "org.ops4j.pax.web.ssl.keystore.password = store-pw",
                "org.ops4j.pax.web.ssl.key.password = store-pw",
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
}
