package org.opentwag.radius.server.internal;

import java.util.Arrays;
import java.util.List;
import org.opentwag.api.Secrets;

/**
 * One RADIUS client group: the APs in some subnets sharing a secret.
 *
 * @param name                         operator's name for the group
 * @param subnets                      source subnets; empty = any source
 * @param secret                       shared secret
 * @param requireMessageAuthenticator  drop Access-Requests without Message-Authenticator (BlastRADIUS)
 * @param dasPort                      UDP port of the APs' Dynamic Authorization Server (RFC 5176)
 * @param tlsPeerNames                 RadSec: certificate names (subject CN or DNS subjectAltName; "*.example.net"
 *                                     for any name under a domain) of the clients of this group; empty = no RadSec
 */
public record ClientGroup(String name, List<Subnet> subnets, byte[] secret, boolean requireMessageAuthenticator, int dasPort,
                          List<String> tlsPeerNames) {

    /** RFC 6614 section 2.3: over TLS the RADIUS shared secret is the fixed string "radsec". */
    public static final byte[] RADSEC_SECRET = "radsec".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    public ClientGroup {
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("client group '" + name + "' has no secret");
        }
        secret = secret.clone();
        subnets = List.copyOf(subnets);
        tlsPeerNames = tlsPeerNames.stream().map(n -> n.trim().toLowerCase(java.util.Locale.ROOT))
                .filter(n -> !n.isEmpty()).toList();
    }

    public ClientGroup(String name, List<Subnet> subnets, byte[] secret, boolean requireMessageAuthenticator, int dasPort) {
        this(name, subnets, secret, requireMessageAuthenticator, dasPort, List.of());
    }

    /** The same group as seen over RadSec: the shared secret is "radsec" (RFC 6614 section 2.3). */
    public ClientGroup overTls() {
        return new ClientGroup(name, subnets, RADSEC_SECRET, requireMessageAuthenticator, dasPort, tlsPeerNames);
    }

    /** True when one of the certificate's names is one this group's RadSec clients may present. */
    public boolean acceptsCertificateName(String certificateName) {
        String candidate = certificateName.toLowerCase(java.util.Locale.ROOT);
        for (String allowed : tlsPeerNames) {
            if (allowed.startsWith("*.") ? candidate.endsWith(allowed.substring(1)) && candidate.length() > allowed.length() - 1
                    : candidate.equals(allowed)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** True when the group accepts any source address. */
    public boolean allowsAnySource() {
        return subnets.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientGroup other && name.equals(other.name) && subnets.equals(other.subnets)
                && Arrays.equals(secret, other.secret) && requireMessageAuthenticator == other.requireMessageAuthenticator
                && dasPort == other.dasPort && tlsPeerNames.equals(other.tlsPeerNames);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + subnets.hashCode();
    }

    /** Never the secret itself: only its fingerprint. */
    @Override
    public String toString() {
        return "ClientGroup[" + name + " subnets=" + (subnets.isEmpty() ? "any" : subnets) + " secret="
                + Secrets.fingerprint(secret) + " requireMessageAuthenticator=" + requireMessageAuthenticator
                + " dasPort=" + dasPort + (tlsPeerNames.isEmpty() ? "" : " tlsPeerNames=" + tlsPeerNames) + "]";
    }
}
