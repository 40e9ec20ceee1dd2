package org.opentwag.radius.server.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.opentwag.support.Secrets;

/**
 * One access point group: the APs in some subnets sharing a secret.
 *
 * @param name                         operator's name for the group
 * @param subnets                      source subnets; empty = any source
 * @param secret                       shared secret
 * @param requireMessageAuthenticator  drop Access-Requests without Message-Authenticator (BlastRADIUS)
 * @param dasPort                      UDP port of the APs' Dynamic Authorization Server (RFC 5176)
 * @param tlsPeerNames                 RadSec: certificate names (subject CN or DNS subjectAltName; "*.example.net"
 *                                     for any name under a domain) of the clients of this group; empty = no RadSec
 */
public record AccessPointGroup(String name, List<Subnet> subnets, byte[] secret, boolean requireMessageAuthenticator, int dasPort,
                          List<String> tlsPeerNames) {

    /**
     * The secret the distribution ships in etc/org.opentwag.radius.client-default.cfg. It is printed in the README, so
     * it protects nothing beyond this machine.
     */
    public static final String PLACEHOLDER_SECRET = "CHANGE-ME-opentwag-lab-secret";

    /**
     * Shortest secret served for sources beyond loopback. The RADIUS authenticator is MD5 keyed by the secret: a short
     * one falls to an offline search of one captured exchange (the BlastRADIUS advice is long random secrets).
     */
    public static final int MIN_SECRET_LENGTH = 16;

    /** RFC 6614 section 2.3: over TLS the RADIUS shared secret is the fixed string "radsec". */
    public static final byte[] RADSEC_SECRET = "radsec".getBytes(StandardCharsets.US_ASCII);

    public AccessPointGroup {
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("client group '" + name + "' has no secret");
        }
        secret = secret.clone();
        subnets = List.copyOf(subnets);
        tlsPeerNames = tlsPeerNames.stream().map(n -> n.trim().toLowerCase(java.util.Locale.ROOT))
                .filter(n -> !n.isEmpty()).toList();
    }

    public AccessPointGroup(String name, List<Subnet> subnets, byte[] secret, boolean requireMessageAuthenticator, int dasPort) {
        this(name, subnets, secret, requireMessageAuthenticator, dasPort, List.of());
    }

    /** The same group as seen over RadSec: the shared secret is "radsec" (RFC 6614 section 2.3). */
    public AccessPointGroup overTls() {
        return new AccessPointGroup(name, subnets, RADSEC_SECRET, requireMessageAuthenticator, dasPort, tlsPeerNames);
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

    /**
     * Why this group's secret is too weak to be served beyond this machine: it is the shipped placeholder, or shorter
     * than {@link #MIN_SECRET_LENGTH}; empty when it is not.
     */
    public Optional<String> weakSecret() {
        if (Arrays.equals(secret, PLACEHOLDER_SECRET.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of("its secret is the shipped placeholder");
        }
        if (secret.length < MIN_SECRET_LENGTH) {
            return Optional.of("its secret is shorter than " + MIN_SECRET_LENGTH + " characters");
        }
        return Optional.empty();
    }

    /**
     * The source blocks this group serves over UDP: all its subnets, or with a {@link #weakSecret() weak secret}
     * only those on loopback (a group without subnets then serves loopback alone).
     */
    public List<Subnet> servedSubnets() {
        if (weakSecret().isEmpty()) {
            return subnets;
        }
        return subnets.isEmpty() ? Subnet.LOOPBACK : subnets.stream().filter(Subnet::isLoopback).toList();
    }

    /** The source blocks configured for this group that it does not serve because its secret is weak. */
    public List<Subnet> refusedSubnets() {
        if (weakSecret().isEmpty()) {
            return List.of();
        }
        return subnets.stream().filter(s -> !s.isLoopback()).toList();
    }

    /** True when the group is refused for some sources: a weak secret and subnets beyond loopback, or none at all. */
    public boolean refusedBeyondLoopback() {
        return weakSecret().isPresent() && (subnets.isEmpty() || !refusedSubnets().isEmpty());
    }

    /** True when the group accepts any source address. */
    public boolean allowsAnySource() {
        return subnets.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessPointGroup other && name.equals(other.name) && subnets.equals(other.subnets)
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
        return "AccessPointGroup[" + name + " subnets=" + (subnets.isEmpty() ? "any" : subnets) + " secret="
                + Secrets.fingerprint(secret) + " requireMessageAuthenticator=" + requireMessageAuthenticator
                + " dasPort=" + dasPort + (tlsPeerNames.isEmpty() ? "" : " tlsPeerNames=" + tlsPeerNames) + "]";
    }
}
