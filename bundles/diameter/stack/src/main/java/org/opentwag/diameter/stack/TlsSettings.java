package org.opentwag.diameter.stack;

/**
 * Key material for TLS peers: a PKCS12 (or JKS) key store with our certificate and key, and a trust store
 * with the CAs (or certificates) of the peers we accept. Both are required: a node missing either refuses TLS rather
 * than trust the JDK's public CAs. Passwords never appear in toString.
 */
public record TlsSettings(String keyStorePath, String keyStorePassword, String trustStorePath, String trustStorePassword) {

    @Override
    public String toString() {
        return "TlsSettings[keyStore=" + keyStorePath + ", trustStore=" + trustStorePath + "]";
    }
}
