package org.opentwag.gtp.codec;

import org.opentwag.support.test.Tshark;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wireshark's GTPv2 dissector as an independent decoder of what this codec encodes: every S2a message is written to
 * a pcap (UDP port 2123) and tshark must report no malformed packet and no error-level expert info, and read back
 * the interface types, instances, RAT type, TWAN SSID/BSSID and causes we meant.
 */
class WiresharkDecodeTest {

    static final byte[] BSSID = HexFormat.of().parseHex("020000000001");

    static List<GtpV2Message> s2aMessages() throws Exception {
        Inet4Address twan = (Inet4Address) InetAddress.getByName("127.0.0.1");
        CreateSessionRequest csr = new CreateSessionRequest("001010000000001", "491700000001",
                new Ies.Plmn("001", "01"), "internet", new Ies.FTeid(Ies.IF_S2A_TWAN_GTPC, 0x1001, twan, null),
                new Ies.FTeid(Ies.IF_S2A_TWAN_GTPU, 0x2001, twan, null), 5, Ies.BearerQos.defaultBearer(),
                new Ies.TwanIdentifier("OpenTWAG", BSSID), 7, new Ies.Ambr(1000, 2000));
        return List.of(S2aMessages.echoRequest(1, 7), S2aMessages.echoResponse(1, 9), csr.toMessage(2),
                S2aMessages.deleteSessionRequest(0xf04, 3, 5),
                S2aMessages.response(MessageType.DELETE_SESSION_RESPONSE, 0x1001, 3, Cause.of(16), 0),
                S2aMessages.response(MessageType.DELETE_BEARER_RESPONSE, 0xf04, 0x800004, Cause.of(16), 5),
                GtpV2Message.decode(PublishedVectorsTest.CREATE_SESSION_RESPONSE));
    }

    @Test
    void tsharkDecodesEveryS2aMessageWithoutError(@TempDir Path dir) throws Exception {
        List<GtpV2Message> messages = s2aMessages();
        List<byte[]> datagrams = new ArrayList<>();
        for (GtpV2Message m : messages) {
            byte[] encoded = m.encode();
            assertThat(GtpV2Message.decode(encoded)).isEqualTo(m);
            datagrams.add(encoded);
        }
        Path pcap = dir.resolve("s2a.pcap");
        Pcap.writeUdp(pcap, 2123, 2123, datagrams);

        assertThat(Tshark.run("-r", pcap.toString(), "-Y", "_ws.malformed || _ws.expert.severity >= \"error\""))
                .as("malformed or error packets").isEmpty();
        assertThat(Tshark.run("-r", pcap.toString(), "-Y", "gtpv2", "-T", "fields", "-e", "gtpv2.message_type"))
                .containsExactly("1", "2", "32", "36", "37", "100", "33");
        List<String> csr = Tshark.run("-r", pcap.toString(), "-Y", "gtpv2.message_type == 32", "-T", "fields",
                "-e", "gtpv2.rat_type", "-e", "gtpv2.f_teid_interface_type",
                "-e", "gtpv2.twan_id.ssid", "-e", "gtpv2.twan_id.bssid", "-e", "gtpv2.apn", "-e", "e212.imsi",
                "-e", "gtpv2.ebi");
        assertThat(csr).hasSize(1);
        String[] f = csr.get(0).split("\t", -1);
        assertThat(f[0]).isEqualTo("3");
        assertThat(f[1]).isEqualTo("35,34");
        assertThat(f[2]).isEqualTo(HexFormat.of().formatHex("OpenTWAG".getBytes(StandardCharsets.US_ASCII))); // SSID shown as octets
        assertThat(f[3]).isEqualTo("020000000001");
        assertThat(f[4]).isEqualTo("internet");
        assertThat(f[5]).isEqualTo("001010000000001");
        assertThat(f[6]).isEqualTo("5");
        List<String> instances = Tshark.run("-r", pcap.toString(), "-Y", "gtpv2.message_type == 32", "-T", "fields",
                "-e", "gtpv2.ie_type", "-e", "gtpv2.instance");
        String[] types = instances.get(0).split("\t")[0].split(",");
        String[] inst = instances.get(0).split("\t")[1].split(",");
        // the F-TEID inside the Bearer Context is instance 6 (S2a-U TWAN)
        int lastFteid = -1;
        for (int i = 0; i < types.length; i++) {
            if (types[i].equals("87")) {
                lastFteid = i;
            }
        }
        assertThat(inst[lastFteid]).isEqualTo("6");
    }

}
