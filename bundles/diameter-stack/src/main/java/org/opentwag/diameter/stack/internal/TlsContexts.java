package org.opentwag.diameter.stack.internal;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.opentwag.diameter.stack.TlsSettings;

/** JDK SSLContext from key and trust stores (TLS 1.2/1.3, RFC 6733 13.1). */
final class TlsContexts {
    private TlsContexts() {
    }

    static SSLContext create(TlsSettings settings) {
        try {
            KeyManagerFactory kmf = null;
            if (settings.keyStorePath() != null && !settings.keyStorePath().isBlank()) {
                KeyStore ks = load(settings.keyStorePath(), settings.keyStorePassword());
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, password(settings.keyStorePassword()));
            }
            TrustManagerFactory tmf = null;
            if (settings.trustStorePath() != null && !settings.trustStorePath().isBlank()) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(settings.trustStorePath(), settings.trustStorePassword()));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot load Diameter TLS key material (" + settings + "): " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String path, String password) throws GeneralSecurityException, java.io.IOException {
        String type = path.endsWith(".jks") ? "JKS" : "PKCS12";
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            ks.load(in, password(password));
        }
        return ks;
    }

    private static char[] password(String p) {
        return p == null ? new char[0] : p.toCharArray();
    }
}
