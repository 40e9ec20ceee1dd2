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
 */
public record ClientGroup(String name, List<Subnet> subnets, byte[] secret, boolean requireMessageAuthenticator, int dasPort) {

    public ClientGroup {
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("client group '" + name + "' has no secret");
        }
        secret = secret.clone();
        subnets = List.copyOf(subnets);
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
                && dasPort == other.dasPort;
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
                + " dasPort=" + dasPort + "]";
    }
}
