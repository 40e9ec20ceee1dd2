package org.opentwag.gtp.userplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Frames a phone sends, built here octet by octet from the RFCs (not with the code under test), and tshark. */
final class TestFrames {

    static final long PHONE = 0x020000000002L;
    static final long TWAG = 0x02aabbccdd01L;

    private TestFrames() {
    }

    /**
     * A DHCPDISCOVER (RFC 2131 Figure 1) as busybox udhcpc sends it, broadcast from 0.0.0.0:68 to
     * 255.255.255.255:67, with client identifier and parameter request list.
     */
    static byte[] discover(long mac, int xid, int type, int requested, int serverId) {
        ByteBuffer b = ByteBuffer.allocate(300);
        b.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 0).putInt(xid).putShort((short) 0)
                .putShort((short) 0).putInt(0).putInt(0).putInt(0).putInt(0);
        byte[] hw = new byte[16];
        Frames.putMac(hw, 0, mac);
        b.put(hw).position(236);
        b.put(new byte[] {99, (byte) 130, 83, 99});
        b.put(new byte[] {53, 1, (byte) type});
        b.put(new byte[] {61, 7, 1}).put(hw, 0, 6);
        if (requested != 0) {
            b.put((byte) 50).put((byte) 4).putInt(requested);
        }
        if (serverId != 0) {
            b.put((byte) 54).put((byte) 4).putInt(serverId);
        }
        b.put(new byte[] {55, 4, 1, 3, 6, 26, (byte) 255});
        byte[] dhcp = b.array();
        return ethernet(Frames.BROADCAST_MAC, mac, 0x0800, Frames.udpInIpv4(0, 0xffffffff, 68, 67, dhcp));
    }

    static byte[] ethernet(long dst, long src, int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        byte[] macs = new byte[12];
        Frames.putMac(macs, 0, dst);
        Frames.putMac(macs, 6, src);
        return b.put(macs).putShort((short) type).put(payload).array();
    }

    /** An ARP request (RFC 826) from {@code mac}/{@code senderIp} for {@code targetIp}, broadcast. */
    static byte[] arpRequest(long mac, int senderIp, int targetIp) {
        ByteBuffer b = ByteBuffer.allocate(28);
        byte[] m = new byte[6];
        Frames.putMac(m, 0, mac);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1).put(m)
                .putInt(senderIp).put(new byte[6]).putInt(targetIp);
        return ethernet(Frames.BROADCAST_MAC, mac, 0x0806, b.array());
    }

    /** An ICMP echo request in IPv4 with correct checksums. */
    static byte[] icmpEcho(int src, int dst) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 28).putShort((short) 1).putShort((short) 0)
                .put((byte) 64).put((byte) 1).putShort((short) 0).putInt(src).putInt(dst);
        b.putShort(10, (short) Frames.checksum(b.array(), 0, 20, 0));
        b.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) 0x5132).putShort((short) 1);
        b.putShort(22, (short) Frames.checksum(b.array(), 20, 8, 0));
        return b.array();
    }

    /** A pcap of Ethernet frames (LINKTYPE_ETHERNET 1). */
    static void writePcap(Path file, List<byte[]> frames) throws IOException {
        int size = 24;
        for (byte[] f : frames) {
            size += 16 + f.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        int second = 1;
        for (byte[] f : frames) {
            b.putInt(second++).putInt(0).putInt(f.length).putInt(f.length).put(f);
        }
        Files.write(file, b.array());
    }

}
