package org.opentwag.diameter.stack;

import java.util.Objects;
import java.util.Set;

/**
 * One Diameter peer (HSS, DRA, OCS, or an AAA client that connects to us).
 *
 * @param host               the peer's Origin-Host (its DiameterIdentity)
 * @param realm              the realm it serves (requests with this Destination-Realm go to it); null: learnt from CER/CEA
 * @param address            IP address or host name to connect to (ignored when we do not initiate)
 * @param port               TCP port, 3868 by default
 * @param transport          TCP or TLS
 * @param initiateConnection true: we connect to it; false: we wait for it to connect
 * @param applications       application ids we use with this peer (empty: any it has in common with us)
 * @param defaultRoute       true: a DRA/default route, used for any realm no other open peer serves
 */
public record PeerConfig(String host, String realm, String address, int port, Transport transport,
                         boolean initiateConnection, Set<Long> applications, boolean defaultRoute) {
    public static final int DEFAULT_PORT = 3868;

    public PeerConfig {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("peer host (Origin-Host) is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("peer " + host + ": port " + port + " out of range");
        }
        if (initiateConnection && (address == null || address.isBlank())) {
            throw new IllegalArgumentException("peer " + host + ": an address is needed to connect to it");
        }
        transport = transport == null ? Transport.TCP : transport;
        applications = applications == null ? Set.of() : Set.copyOf(applications);
    }

    /** Whether {@link #address()} is on this host (see {@link #isLoopback(String)}). */
    public boolean addressIsLoopback() {
        return isLoopback(address);
    }

    /** Whether requests of this application may go to this peer (no list: any application in common). */
    public boolean serves(long applicationId) {
        return applications.isEmpty() || applications.contains(applicationId);
    }

    /**
     * Whether {@code address} is on this host: a loopback literal (127/8, ::1) or {@code localhost}. Answers without
     * a DNS lookup, so any other name counts as another host (and 0.0.0.0, every interface, too).
     */
    public static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        String a = address.trim();
        if (a.equalsIgnoreCase("localhost")) {
            return true;
        }
        boolean literal = a.indexOf(':') >= 0 || a.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9'));
        if (!literal) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(a).isLoopbackAddress(); // a literal: parsed, never looked up
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** A peer we connect to over TCP, serving one realm. */
    public static PeerConfig connectTo(String host, String realm, String address, int port) {
        return new PeerConfig(host, realm, address, port, Transport.TCP, true, Set.of(), false);
    }

    /** A peer that connects to us. */
    public static PeerConfig acceptFrom(String host, String realm) {
        return new PeerConfig(host, realm, null, DEFAULT_PORT, Transport.TCP, false, Set.of(), false);
    }

    public PeerConfig withDefaultRoute(boolean isDefault) {
        return new PeerConfig(host, realm, address, port, transport, initiateConnection, applications, isDefault);
    }

    public PeerConfig withTransport(Transport t) {
        return new PeerConfig(host, realm, address, port, t, initiateConnection, applications, defaultRoute);
    }

    public PeerConfig withApplications(Set<Long> ids) {
        return new PeerConfig(host, realm, address, port, transport, initiateConnection, ids, defaultRoute);
    }
}
