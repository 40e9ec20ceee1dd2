package org.opentwag.gtp.userplane;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Ethernet II (IEEE 802.3 clause 3.2.6), IPv4 (RFC 791) and UDP (RFC 768) framing the access side needs: reading the
 * fields that steer a frame, and building the frames the TWAG sends to a phone. MACs and IPv4 addresses travel as
 * primitive longs/ints to keep the per-packet path free of objects.
 */
public final class Frames {

    public static final int ETHERNET_HEADER = 14;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final long BROADCAST_MAC = 0xffffffffffffL;
    public static final int PROTOCOL_UDP = 17;

    private Frames() {
    }

    public static long destinationMac(byte[] frame) {
        return mac(frame, 0);
    }

    public static long sourceMac(byte[] frame) {
        return mac(frame, 6);
    }

    public static int etherType(byte[] frame) {
        return u16(frame, 12);
    }

    public static long mac(byte[] b, int offset) {
        long m = 0;
        for (int i = 0; i < 6; i++) {
            m = (m << 8) | (b[offset + i] & 0xff);
        }
        return m;
    }

    public static void putMac(byte[] b, int offset, long mac) {
        for (int i = 5; i >= 0; i--) {
            b[offset + i] = (byte) mac;
            mac >>>= 8;
        }
    }

    public static int u16(byte[] b, int offset) {
        return ((b[offset] & 0xff) << 8) | (b[offset + 1] & 0xff);
    }

    public static int ipv4(byte[] b, int offset) {
        return ((b[offset] & 0xff) << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8)
                | (b[offset + 3] & 0xff);
    }

    public static int ipv4(Inet4Address a) {
        return ipv4(a.getAddress(), 0);
    }

    public static Inet4Address inet(int address) {
        try {
            return (Inet4Address) InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(address).array());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four octets are always an address
        }
    }

    /** An Ethernet II frame around {@code payload}. */
    public static byte[] ethernet(long destination, long source, int etherType, byte[] payload, int offset,
                                  int length) {
        byte[] f = new byte[ETHERNET_HEADER + length];
        putMac(f, 0, destination);
        putMac(f, 6, source);
        f[12] = (byte) (etherType >>> 8);
        f[13] = (byte) etherType;
        System.arraycopy(payload, offset, f, ETHERNET_HEADER, length);
        return f;
    }

    /** Whether an Ethernet frame holds a whole IPv4 packet (version 4, header and total length inside the frame). */
    public static boolean holdsIpv4(byte[] frame, int length) {
        if (length < ETHERNET_HEADER + 20 || etherType(frame) != ETHERTYPE_IPV4) {
            return false;
        }
        int versionIhl = frame[ETHERNET_HEADER] & 0xff;
        if ((versionIhl >>> 4) != 4 || (versionIhl & 0x0f) < 5) {
            return false;
        }
        int total = u16(frame, ETHERNET_HEADER + 2);
        return total >= (versionIhl & 0x0f) * 4 && ETHERNET_HEADER + total <= length;
    }

    /** A UDP datagram in an IPv4 packet (TTL 64, DF clear, both checksums computed). */
    public static byte[] udpInIpv4(int source, int destination, int sourcePort, int destinationPort, byte[] data) {
        int udpLength = 8 + data.length;
        ByteBuffer b = ByteBuffer.allocate(20 + udpLength);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + udpLength)).putShort((short) 0).putShort((short) 0)
                .put((byte) 64).put((byte) PROTOCOL_UDP).putShort((short) 0).putInt(source).putInt(destination);
        b.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) udpLength)
                .putShort((short) 0).put(data);
        byte[] p = b.array();
        int ipSum = checksum(p, 0, 20, 0);
        p[10] = (byte) (ipSum >>> 8);
        p[11] = (byte) ipSum;
        // RFC 768: the UDP checksum covers a pseudo header (addresses, protocol, UDP length); 0 is sent as 0xffff.
        long pseudo = (source >>> 16) + (source & 0xffff) + (destination >>> 16) + (destination & 0xffff)
                + PROTOCOL_UDP + udpLength;
        int udpSum = checksum(p, 20, udpLength, pseudo);
        if (udpSum == 0) {
            udpSum = 0xffff;
        }
        p[26] = (byte) (udpSum >>> 8);
        p[27] = (byte) udpSum;
        return p;
    }

    /** The Internet checksum (RFC 1071) of {@code length} octets, starting from the partial sum {@code initial}. */
    public static int checksum(byte[] b, int offset, int length, long initial) {
        long sum = initial;
        int i = offset;
        for (; i + 1 < offset + length; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if (i < offset + length) {
            sum += (b[i] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
