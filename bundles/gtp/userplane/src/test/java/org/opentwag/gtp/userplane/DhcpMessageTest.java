package org.opentwag.gtp.userplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The DHCP message layout of RFC 2131 2 (Figure 1) and the option format of RFC 2132 2. */
class DhcpMessageTest {

    @Test
    void aDiscoverBuiltFromTheRfcLayoutDecodesToItsFields() {
        byte[] frame = TestFrames.discover(TestFrames.PHONE, 0x3903f326, DhcpMessage.DISCOVER, 0x0a2d0002, 0);
        DhcpMessage m = DhcpMessage.decode(frame, 14 + 20 + 8, frame.length - 42);
        assertThat(m.op()).isEqualTo(DhcpMessage.BOOTREQUEST);
        assertThat(m.xid()).isEqualTo(0x3903f326L);
        assertThat(m.chaddr()).isEqualTo(TestFrames.PHONE);
        assertThat(m.messageType()).isEqualTo(DhcpMessage.DISCOVER);
        assertThat(m.addressOption(DhcpMessage.OPT_REQUESTED_ADDRESS)).isEqualTo(0x0a2d0002);
        assertThat(m.options().get(55)).containsExactly(1, 3, 6, 26);
        assertThat(m.options()).containsOnlyKeys(53, 61, 50, 55);
    }

    @Test
    void aReplyHasItsFieldsAtTheRfcOffsets() {
        Map<Integer, byte[]> options = new LinkedHashMap<>();
        options.put(DhcpMessage.OPT_MESSAGE_TYPE, new byte[] {DhcpMessage.OFFER});
        options.put(DhcpMessage.OPT_ROUTER, new byte[] {10, 45, 0, 1});
        byte[] o = new DhcpMessage(2, 0x11223344L, 0, 0x8000, 0, 0x0a2d0002, 0, 0, TestFrames.PHONE, options).encode();
        assertThat(o).hasSize(300); // padded to the BOOTP minimum (RFC 1542 2.1)
        assertThat(o[0]).isEqualTo((byte) 2); // op
        assertThat(o[1]).isEqualTo((byte) 1); // htype Ethernet
        assertThat(o[2]).isEqualTo((byte) 6); // hlen
        assertThat(new byte[] {o[4], o[5], o[6], o[7]}).containsExactly(0x11, 0x22, 0x33, 0x44); // xid
        assertThat(new byte[] {o[10], o[11]}).containsExactly(0x80, 0); // flags: broadcast
        assertThat(new byte[] {o[16], o[17], o[18], o[19]}).containsExactly(10, 45, 0, 2); // yiaddr
        assertThat(new byte[] {o[28], o[29], o[30], o[31], o[32], o[33]}).containsExactly(2, 0, 0, 0, 0, 2);
        assertThat(new byte[] {o[236], o[237], o[238], o[239]}).containsExactly(99, 130, 83, 99); // magic cookie
        assertThat(new byte[] {o[240], o[241], o[242]}).containsExactly(53, 1, 2); // option 53 = OFFER
        assertThat(new byte[] {o[243], o[244], o[245], o[246], o[247], o[248]}).containsExactly(3, 4, 10, 45, 0, 1);
        assertThat(o[249]).isEqualTo((byte) 255); // end
        assertThat(DhcpMessage.decode(o, 0, o.length)).isEqualTo(
                new DhcpMessage(2, 0x11223344L, 0, 0x8000, 0, 0x0a2d0002, 0, 0, TestFrames.PHONE, options));
    }

    @Test
    void badMessagesAreRefusedWithAReason() {
        byte[] frame = TestFrames.discover(TestFrames.PHONE, 1, DhcpMessage.DISCOVER, 0, 0);
        assertThatThrownBy(() -> DhcpMessage.decode(frame, 42, 200)).hasMessageContaining("shorter");
        byte[] noCookie = frame.clone();
        noCookie[42 + 236] = 0;
        assertThatThrownBy(() -> DhcpMessage.decode(noCookie, 42, noCookie.length - 42))
                .hasMessageContaining("cookie");
        byte[] longOption = frame.clone();
        longOption[42 + 241] = (byte) 200; // option 53 claims 200 octets
        assertThatThrownBy(() -> DhcpMessage.decode(longOption, 42, longOption.length - 42))
                .hasMessageContaining("runs past");
    }
}
