package org.opentwag.gtp.userplane;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DHCP message (RFC 2131 2, Figure 1: the BOOTP layout, then the magic cookie 99.130.83.99 and the options of
 * RFC 2132). Only Ethernet hardware addresses (htype 1, hlen 6); the sname and file fields are neither read nor
 * used (option overload, RFC 2132 9.3, is not honoured: its options would be ignored).
 *
 * @param op       1 BOOTREQUEST, 2 BOOTREPLY
 * @param xid      transaction id chosen by the client
 * @param secs     seconds since the client began
 * @param flags    bit 15 = broadcast
 * @param ciaddr   client address (when it has one), IPv4 as an int
 * @param yiaddr   "your" address: the one offered/assigned
 * @param siaddr   next server address
 * @param giaddr   relay agent address
 * @param chaddr   client hardware address (48 bits)
 * @param options  option code -> value, in order (pad and end not included)
 */
public record DhcpMessage(int op, long xid, int secs, int flags, int ciaddr, int yiaddr, int siaddr, int giaddr,
                          long chaddr, Map<Integer, byte[]> options) {

    public static final int BOOTREQUEST = 1;
    public static final int BOOTREPLY = 2;
    public static final int SERVER_PORT = 67;
    public static final int CLIENT_PORT = 68;
    public static final int FLAG_BROADCAST = 0x8000;
    static final int MAGIC_COOKIE = 0x63825363;
    /** op .. file: the fixed BOOTP part before the cookie. */
    static final int FIXED = 236;

    // RFC 2132 option codes used here
    public static final int OPT_SUBNET_MASK = 1;
    public static final int OPT_ROUTER = 3;
    public static final int OPT_DNS = 6;
    public static final int OPT_INTERFACE_MTU = 26;
    public static final int OPT_REQUESTED_ADDRESS = 50;
    public static final int OPT_LEASE_TIME = 51;
    public static final int OPT_MESSAGE_TYPE = 53;
    public static final int OPT_SERVER_ID = 54;
    public static final int OPT_RENEWAL_TIME = 58;
    public static final int OPT_REBINDING_TIME = 59;

    // RFC 2132 9.6 DHCP message types
    public static final int DISCOVER = 1;
    public static final int OFFER = 2;
    public static final int REQUEST = 3;
    public static final int DECLINE = 4;
    public static final int ACK = 5;
    public static final int NAK = 6;
    public static final int RELEASE = 7;
    public static final int INFORM = 8;

    /** The DHCP message type (option 53), 0 for a plain BOOTP message. */
    public int messageType() {
        byte[] t = options.get(OPT_MESSAGE_TYPE);
        return t == null || t.length != 1 ? 0 : t[0] & 0xff;
    }

    /** An IPv4 option (4 octets) as an int, or 0 when absent or of another length. */
    public int addressOption(int code) {
        byte[] v = options.get(code);
        return v == null || v.length != 4 ? 0 : Frames.ipv4(v, 0);
    }

    public static DhcpMessage decode(byte[] b, int offset, int length) {
        if (length < FIXED + 4) {
            throw new IllegalArgumentException("DHCP message of " + length + " octets is shorter than "
                    + (FIXED + 4));
        }
        ByteBuffer in = ByteBuffer.wrap(b, offset, length);
        int op = in.get() & 0xff;
        int htype = in.get() & 0xff;
        int hlen = in.get() & 0xff;
        in.get(); // hops
        if (htype != 1 || hlen != 6) {
            throw new IllegalArgumentException("hardware type " + htype + "/length " + hlen + " is not Ethernet");
        }
        long xid = in.getInt() & 0xffffffffL;
        int secs = in.getShort() & 0xffff;
        int flags = in.getShort() & 0xffff;
        int ciaddr = in.getInt();
        int yiaddr = in.getInt();
        int siaddr = in.getInt();
        int giaddr = in.getInt();
        long chaddr = Frames.mac(b, offset + 28);
        if (Frames.ipv4(b, offset + FIXED) != MAGIC_COOKIE) {
            throw new IllegalArgumentException("no DHCP magic cookie");
        }
        Map<Integer, byte[]> options = new LinkedHashMap<>();
        int p = offset + FIXED + 4;
        int end = offset + length;
        while (p < end) {
            int code = b[p++] & 0xff;
            if (code == 0) {
                continue;
            }
            if (code == 255) {
                break;
            }
            if (p >= end || p + 1 + (b[p] & 0xff) > end) {
                throw new IllegalArgumentException("option " + code + " runs past the message");
            }
            int len = b[p++] & 0xff;
            // RFC 3396: an option split over several instances is their concatenation
            byte[] value = Arrays.copyOfRange(b, p, p + len);
            options.merge(code, value, (x, y) -> {
                byte[] joined = Arrays.copyOf(x, x.length + y.length);
                System.arraycopy(y, 0, joined, x.length, y.length);
                return joined;
            });
            p += len;
        }
        return new DhcpMessage(op, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr, options);
    }

    public byte[] encode() {
        int optionLength = 1; // end
        for (byte[] v : options.values()) {
            optionLength += 2 + v.length;
        }
        // RFC 2131 2: a client must accept up to 576-octet IP datagrams; BOOTP relays expect at least 300 octets of
        // BOOTP message (RFC 1542 2.1), so pad to that.
        ByteBuffer out = ByteBuffer.allocate(Math.max(300, FIXED + 4 + optionLength));
        out.put((byte) op).put((byte) 1).put((byte) 6).put((byte) 0).putInt((int) xid).putShort((short) secs)
                .putShort((short) flags).putInt(ciaddr).putInt(yiaddr).putInt(siaddr).putInt(giaddr);
        byte[] hw = new byte[16];
        Frames.putMac(hw, 0, chaddr);
        out.put(hw);
        out.position(FIXED);
        out.putInt(MAGIC_COOKIE);
        options.forEach((code, value) -> {
            if (value.length > 255) {
                throw new IllegalArgumentException("option " + code + " longer than 255 octets");
            }
            out.put((byte) (int) code).put((byte) value.length).put(value);
        });
        out.put((byte) 255);
        return out.array();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DhcpMessage m) || m.op != op || m.xid != xid || m.secs != secs || m.flags != flags
                || m.ciaddr != ciaddr || m.yiaddr != yiaddr || m.siaddr != siaddr || m.giaddr != giaddr
                || m.chaddr != chaddr || !m.options.keySet().equals(options.keySet())) {
            return false;
        }
        return options.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), m.options.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return Long.hashCode(xid) * 31 + Long.hashCode(chaddr);
    }
}
