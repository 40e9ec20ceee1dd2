package org.opentwag.gtp.userplane;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * A GTP-U Error Indication (TS 29.281 7.3.1): the answer to a G-PDU for a TEID we do not know, so that the PGW-U
 * (and through it the PGW) can clean up a bearer that no longer exists here. Header TEID 0, S flag set (5.1), the UDP
 * Port extension header (5.2.2.1) with the source port of the G-PDU, then Tunnel Endpoint Identifier Data I (8.3, TV)
 * with the unknown TEID and GTP-U Peer Address (8.4, TLV) with our address, where the G-PDU was sent.
 */
public final class ErrorIndication {

    static final int TYPE = 26;
    static final int EXTENSION_UDP_PORT = 0x40;
    static final int IE_TEID_DATA_I = 16;
    static final int IE_PEER_ADDRESS = 133;

    private ErrorIndication() {
    }

    public static byte[] encode(long unknownTeid, Inet4Address ourAddress, int gpduSourcePort) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 4 + 5 + 7);
        b.put((byte) 0x36) // version 1, PT 1, E 1, S 1
                .put((byte) TYPE).putShort((short) (b.capacity() - 8)).putInt(0);
        b.putShort((short) 0).put((byte) 0).put((byte) EXTENSION_UDP_PORT); // sequence 0, N-PDU 0, next: UDP Port
        b.put((byte) 1).putShort((short) gpduSourcePort).put((byte) 0); // 1 x 4 octets, no further extension
        b.put((byte) IE_TEID_DATA_I).putInt((int) unknownTeid);
        b.put((byte) IE_PEER_ADDRESS).putShort((short) 4).put(ourAddress.getAddress());
        return b.array();
    }
}
