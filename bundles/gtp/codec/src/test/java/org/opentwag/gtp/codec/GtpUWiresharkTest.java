package org.opentwag.gtp.codec;

import org.opentwag.support.test.Tshark;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wireshark's GTP dissector as an independent decoder of the GTP-U packets this codec encodes (UDP port 2152): a
 * G-PDU with an ICMP echo from the phone (10.45.0.2) to the UPF's gateway (10.45.0.1), Echo Request and Response,
 * with no malformed packet or error, the TEID we meant and the inner packet seen as ICMP.
 */
class GtpUWiresharkTest {

    /** An IPv4 ICMP echo request with correct checksums. */
    static byte[] icmpEcho(int src, int dst) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 28).putShort((short) 1).putShort((short) 0)
                .put((byte) 64).put((byte) 1).putShort((short) 0).putInt(src).putInt(dst);
        b.putShort(10, checksum(b.array(), 0, 20));
        b.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) 0x5132).putShort((short) 1);
        b.putShort(22, checksum(b.array(), 20, 8));
        return b.array();
    }

    static short checksum(byte[] a, int from, int n) {
        int sum = 0;
        for (int i = from; i < from + n; i += 2) {
            sum += ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }

    @Test
    void tsharkDecodesGpduAndEcho(@TempDir Path dir) throws Exception {
        byte[] ping = icmpEcho(0x0a2d0002, 0x0a2d0001);
        List<GtpUPacket> packets = List.of(GtpUPacket.gpdu(0x12345678L, ping), GtpUPacket.echo(false, 7),
                GtpUPacket.echo(true, 7));
        List<byte[]> datagrams = packets.stream().map(GtpUPacket::encode).toList();
        for (int i = 0; i < packets.size(); i++) {
            assertThat(GtpUPacket.decode(datagrams.get(i))).isEqualTo(packets.get(i));
        }
        Path pcap = dir.resolve("gtpu.pcap");
        Pcap.writeUdp(pcap, GtpUPacket.PORT, GtpUPacket.PORT, datagrams);
        assertThat(Tshark.run("-r", pcap.toString(), "-Y",
                "_ws.malformed || _ws.expert.severity >= \"error\"")).as("malformed or error packets").isEmpty();
        assertThat(Tshark.run("-r", pcap.toString(), "-Y", "gtp", "-T", "fields",
                "-e", "gtp.message", "-e", "gtp.teid")).containsExactly("0xff\t0x12345678", "0x01\t0x00000000",
                "0x02\t0x00000000");
        assertThat(Tshark.run("-r", pcap.toString(), "-Y", "gtp && icmp.type == 8", "-T", "fields",
                "-e", "ip.dst")).containsExactly("127.0.0.1,10.45.0.1");
    }

    @Test
    void aSequenceNumberAndExtensionHeadersAreSkippedToThePayload() {
        // S and E set, next extension type 0x85 (PDU session container), one 4-octet extension, then the payload
        byte[] p = {0x36, (byte) 0xff, 0, 12, 0, 0, 0, 5, 0, 9, 0, (byte) 0x85, 1, 0x10, 0x01, 0, 0x45, 0, 0, 0};
        GtpUPacket g = GtpUPacket.decode(p);
        assertThat(g.sequence()).isEqualTo(9);
        assertThat(g.teid()).isEqualTo(5);
        assertThat(g.payload()).containsExactly(0x45, 0, 0, 0);
    }
}
