package org.opentwag.radius.server.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 CIDR block. A bare address is a /32 (or /128). */
public record Subnet(byte[] network, int prefixLength) {

    public Subnet {
        network = network.clone();
        int bits = network.length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix /" + prefixLength + " outside 0.." + bits);
        }
        // Keep only the network bits so "10.1.2.3/8" behaves as 10.0.0.0/8.
        for (int bit = prefixLength; bit < bits; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
    }

    /** Parses {@code 10.7.15.0/24}, {@code 2001:db8::/32} or a bare address; only literal addresses, never DNS. */
    public static Subnet parse(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (address.isEmpty() || !(address.indexOf(':') >= 0 || address.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            throw new IllegalArgumentException("not an IP address or CIDR: '" + cidr + "'");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress(); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address or CIDR: '" + cidr + "'", e);
        }
        int prefix;
        try {
            prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + cidr + "'", e);
        }
        return new Subnet(bytes, prefix);
    }

    /** True when every address of this block is on this machine's loopback (inside 127.0.0.0/8, or ::1). */
    public boolean isLoopback() {
        if (network.length == 4) {
            return prefixLength >= 8 && network[0] == 127;
        }
        return prefixLength == 128 && java.util.Arrays.equals(network, LOOPBACK_V6);
    }

    private static final byte[] LOOPBACK_V6 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    /** This machine's loopback blocks, IPv4 and IPv6. */
    public static final java.util.List<Subnet> LOOPBACK = java.util.List.of(parse("127.0.0.0/8"), parse("::1/128"));

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int remaining = prefixLength % 8;
        if (remaining == 0) {
            return true;
        }
        int mask = (0xff << (8 - remaining)) & 0xff;
        return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Subnet other && prefixLength == other.prefixLength && java.util.Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            return "invalid";
        }
    }
}
