package org.opentwag.gtp.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes UDP datagrams as a pcap of raw IPv4 packets (LINKTYPE_RAW 101), 127.0.0.1 to 127.0.0.1. */
final class Pcap {
    private Pcap() {
    }

    static void writeUdp(Path file, int sourcePort, int destinationPort, List<byte[]> payloads) throws IOException {
        int size = 24;
        for (byte[] p : payloads) {
            size += 16 + 28 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        int second = 1;
        for (byte[] p : payloads) {
            int len = 28 + p.length;
            b.order(ByteOrder.LITTLE_ENDIAN).putInt(second++).putInt(0).putInt(len).putInt(len);
            b.order(ByteOrder.BIG_ENDIAN);
            int start = b.position();
            b.put((byte) 0x45).put((byte) 0).putShort((short) len).putShort((short) 0).putShort((short) 0)
                    .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(0x7f000001).putInt(0x7f000001);
            int sum = 0;
            for (int i = 0; i < 20; i += 2) {
                sum += ((b.get(start + i) & 0xff) << 8) | (b.get(start + i + 1) & 0xff);
            }
            while ((sum >> 16) != 0) {
                sum = (sum & 0xffff) + (sum >> 16);
            }
            b.putShort(start + 10, (short) ~sum);
            b.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + p.length))
                    .putShort((short) 0).put(p);
        }
        Files.write(file, b.array());
    }
}
