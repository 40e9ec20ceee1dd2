package org.opentwag.gtp.userplane;

/**
 * ARP for IPv4 over Ethernet (RFC 826): recognising a request and building the reply that names the TWAG as the owner
 * of the asked address.
 */
public final class Arp {

    public static final int REQUEST = 1;
    public static final int REPLY = 2;
    /** Ethernet header + the 28-octet ARP packet for IPv4 over Ethernet. */
    static final int LENGTH = Frames.ETHERNET_HEADER + 28;

    private Arp() {
    }

    /** Whether the frame is an ARP request for an IPv4 address over Ethernet (htype 1, ptype 0x0800, 6/4). */
    public static boolean isRequest(byte[] frame, int length) {
        int a = Frames.ETHERNET_HEADER;
        return length >= LENGTH && Frames.etherType(frame) == Frames.ETHERTYPE_ARP && Frames.u16(frame, a) == 1
                && Frames.u16(frame, a + 2) == Frames.ETHERTYPE_IPV4 && frame[a + 4] == 6 && frame[a + 5] == 4
                && Frames.u16(frame, a + 6) == REQUEST;
    }

    public static long senderMac(byte[] frame) {
        return Frames.mac(frame, Frames.ETHERNET_HEADER + 8);
    }

    public static int senderIp(byte[] frame) {
        return Frames.ipv4(frame, Frames.ETHERNET_HEADER + 14);
    }

    public static int targetIp(byte[] frame) {
        return Frames.ipv4(frame, Frames.ETHERNET_HEADER + 24);
    }

    /** The reply to {@code request}: {@code ourMac} has the target address; sent to the asker only. */
    public static byte[] reply(byte[] request, long ourMac) {
        byte[] r = new byte[LENGTH];
        int a = Frames.ETHERNET_HEADER;
        long asker = senderMac(request);
        Frames.putMac(r, 0, asker);
        Frames.putMac(r, 6, ourMac);
        r[12] = 0x08;
        r[13] = 0x06;
        r[a + 1] = 1; // htype Ethernet
        r[a + 2] = 0x08; // ptype IPv4
        r[a + 4] = 6;
        r[a + 5] = 4;
        r[a + 7] = REPLY;
        Frames.putMac(r, a + 8, ourMac);
        System.arraycopy(request, a + 24, r, a + 14, 4); // sender IP = the address asked for
        Frames.putMac(r, a + 18, asker);
        System.arraycopy(request, a + 14, r, a + 24, 4); // target IP = the asker's
        return r;
    }
}
