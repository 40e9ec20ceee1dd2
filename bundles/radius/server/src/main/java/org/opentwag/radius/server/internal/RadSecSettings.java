package org.opentwag.radius.server.internal;

import java.util.Arrays;

/**
 * RadSec listener settings (keys {@code radsec*} of PID {@code org.opentwag.radius}).
 *
 * @param bindAddress        address to listen on
 * @param port               TCP port (RFC 6614: 2083; 0 = ephemeral, for tests)
 * @param certificate        PEM file: this server's certificate (chain)
 * @param privateKey         PEM file: its PKCS#8 private key, unencrypted
 * @param caCertificates     PEM file: the CA(s) a client certificate must chain to
 * @param protocols          TLS versions offered, e.g. TLSv1.3, TLSv1.2
 * @param idleTimeoutSeconds a connection silent this long is closed (RadSec clients send Status-Server to keep it)
 * @param maxConnections     concurrent TLS connections beyond which new ones are closed at once
 */
public record RadSecSettings(String bindAddress, int port, String certificate, String privateKey, String caCertificates,
                             String[] protocols, int idleTimeoutSeconds, int maxConnections) {

    public RadSecSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("radsecPort " + port + " outside 0..65535");
        }
        for (String[] file : new String[][] {{"radsecCertificate", certificate}, {"radsecPrivateKey", privateKey},
                {"radsecCaCertificates", caCertificates}}) {
            if (file[1] == null || file[1].isBlank()) {
                throw new IllegalArgumentException("RadSec is enabled but " + file[0] + " is not set");
            }
        }
        protocols = Arrays.stream(protocols).map(String::trim).filter(p -> !p.isEmpty()).toArray(String[]::new);
        for (String protocol : protocols) {
            if (!protocol.equals("TLSv1.2") && !protocol.equals("TLSv1.3")) {
                throw new IllegalArgumentException("RadSec protocol " + protocol + " not allowed (TLSv1.2, TLSv1.3)");
            }
        }
        if (protocols.length == 0 || idleTimeoutSeconds < 1 || maxConnections < 1) {
            throw new IllegalArgumentException("radsecProtocols, radsecIdleTimeoutSeconds and radsecMaxConnections must be set");
        }
    }
}
