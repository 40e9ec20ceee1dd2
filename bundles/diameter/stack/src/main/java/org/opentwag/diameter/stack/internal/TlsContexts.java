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

/**
 * JDK SSLContext from our key store and the configured trust store (TLS 1.2/1.3, RFC 6733 13.1). Both are required:
 * without a trust store the JDK would trust its public web CAs, and RFC 6733 13.2 expects the CAs trusted for
 * Diameter to be "unique to Diameter usage and distinct from the root CAs that might be trusted for other purposes
 * such as Web browsing"; without our own key store we cannot take part in the mutual authentication of 13.1.
 */
public final class TlsContexts {
    /** Protocols offered on Diameter TLS connections: nothing below TLS 1.2. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /**
     * Why a node refuses TLS.
     *
     * @param reason  short and stable, the label of {@code diameter_tls_refused_count}
     * @param message what is missing, for a log line or a finding
     */
    public record Refusal(String reason, String message) {
    }

    public static final String NO_KEY_STORE = "no_key_store";
    public static final String NO_TRUST_STORE = "no_trust_store";

    private TlsContexts() {
    }

    /** Why TLS cannot be offered with these settings, or null when it can. */
    public static Refusal refusal(TlsSettings settings) {
        if (settings == null || blank(settings.keyStorePath())) {
            return new Refusal(NO_KEY_STORE, "no TLS key store is configured (tlsKeyStore)");
        }
        if (blank(settings.trustStorePath())) {
            return new Refusal(NO_TRUST_STORE, "no trust store is configured (tlsTrustStore); the JDK's public CAs "
                    + "are never trusted for Diameter peers (RFC 6733 13.2)");
        }
        return null;
    }

    /** The context of settings for which {@link #refusal(TlsSettings)} is null. */
    static SSLContext create(TlsSettings settings) {
        if (refusal(settings) != null) {
            throw new IllegalArgumentException(refusal(settings).message());
        }
        try {
            KeyStore ks = load(settings.keyStorePath(), settings.keyStorePassword());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password(settings.keyStorePassword()));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(settings.trustStorePath(), settings.trustStorePassword()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot load Diameter TLS key material (" + settings + "): " + e.getMessage(), e);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
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
