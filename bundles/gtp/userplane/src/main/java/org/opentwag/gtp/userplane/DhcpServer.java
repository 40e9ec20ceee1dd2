package org.opentwag.gtp.userplane;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The DHCP server of one phone (RFC 2131 4.3): stateless, since the address is not ours to choose. The PGW assigned
 * it (PAA of the Create Session Response), so a DISCOVER is offered exactly that address and a REQUEST for it is
 * acknowledged; a REQUEST for any other address gets a NAK, and a REQUEST naming another server is left to that
 * server. No lease database: the lease lasts as long as the PDN connection, whatever the lease time says.
 */
public final class DhcpServer {

    /**
     * What a phone is told.
     *
     * @param address      the phone's address (PAA)
     * @param gateway      its default router, also our server identifier
     * @param netmask      the subnet mask (the TWAG answers ARP for every other address anyway)
     * @param dnsServers   DNS servers (from the PGW's PCO, else configured)
     * @param leaseSeconds lease time
     * @param mtu          interface MTU to announce (0 = none)
     */
    public record Lease(int address, int gateway, int netmask, int[] dnsServers, int leaseSeconds, int mtu) {
    }

    /** An answer and where it goes: the phone's MAC always; IP destination per RFC 2131 4.1. */
    public record Answer(DhcpMessage message, int ipDestination) {
    }

    private DhcpServer() {
    }

    /**
     * The phone's default gateway: the configured one, else the first address of the phone's /24 (the last one when
     * the phone has the first).
     */
    public static int gatewayFor(int address, int configured) {
        if (configured != 0) {
            return configured;
        }
        int net = address & 0xffffff00;
        return (address & 0xff) == 1 ? net | 254 : net | 1;
    }

    /** The answer to {@code request} from the phone that holds {@code lease}, or null when none is due. */
    public static Answer answer(DhcpMessage request, Lease lease) {
        if (request.op() != DhcpMessage.BOOTREQUEST) {
            return null;
        }
        switch (request.messageType()) {
            case DhcpMessage.DISCOVER -> {
                return deliver(reply(request, DhcpMessage.OFFER, 0, lease.address(), lease, true), request);
            }
            case DhcpMessage.REQUEST -> {
                int server = request.addressOption(DhcpMessage.OPT_SERVER_ID);
                if (server != 0 && server != lease.gateway()) {
                    return null; // the client took another server's offer (RFC 2131 4.3.2)
                }
                int requested = request.addressOption(DhcpMessage.OPT_REQUESTED_ADDRESS);
                if (requested == 0) {
                    requested = request.ciaddr(); // RENEWING / REBINDING
                }
                if (requested != lease.address()) {
                    // RFC 2131 4.3.2: NAK, broadcast, when the requested address is not the client's
                    return new Answer(reply(request, DhcpMessage.NAK, 0, 0, lease, false), 0xffffffff);
                }
                return deliver(reply(request, DhcpMessage.ACK, request.ciaddr(), lease.address(), lease, true),
                        request);
            }
            case DhcpMessage.INFORM -> {
                // RFC 2131 4.3.5: configuration only, no address, no lease time; sent to ciaddr
                DhcpMessage ack = reply(request, DhcpMessage.ACK, request.ciaddr(), 0, lease, true);
                ack.options().remove(DhcpMessage.OPT_LEASE_TIME);
                ack.options().remove(DhcpMessage.OPT_RENEWAL_TIME);
                ack.options().remove(DhcpMessage.OPT_REBINDING_TIME);
                return new Answer(ack, request.ciaddr() != 0 ? request.ciaddr() : lease.address());
            }
            default -> {
                return null; // DECLINE, RELEASE: nothing to free, the PGW owns the address
            }
        }
    }

    /** RFC 2131 4.1: to ciaddr when the client has one, broadcast when asked to, else to yiaddr. */
    private static Answer deliver(DhcpMessage m, DhcpMessage request) {
        if (request.giaddr() == 0 && request.ciaddr() != 0) {
            return new Answer(m, request.ciaddr());
        }
        if ((request.flags() & DhcpMessage.FLAG_BROADCAST) != 0) {
            return new Answer(m, 0xffffffff);
        }
        return new Answer(m, m.yiaddr());
    }

    private static DhcpMessage reply(DhcpMessage request, int type, int ciaddr, int yiaddr, Lease lease,
                                     boolean configuration) {
        Map<Integer, byte[]> o = new LinkedHashMap<>();
        o.put(DhcpMessage.OPT_MESSAGE_TYPE, new byte[] {(byte) type});
        o.put(DhcpMessage.OPT_SERVER_ID, address(lease.gateway()));
        if (configuration) {
            o.put(DhcpMessage.OPT_LEASE_TIME, u32(lease.leaseSeconds()));
            o.put(DhcpMessage.OPT_RENEWAL_TIME, u32(lease.leaseSeconds() / 2)); // T1 = 0.5 (RFC 2131 4.4.5)
            o.put(DhcpMessage.OPT_REBINDING_TIME, u32((int) (lease.leaseSeconds() * 7L / 8))); // T2 = 0.875
            o.put(DhcpMessage.OPT_SUBNET_MASK, address(lease.netmask()));
            o.put(DhcpMessage.OPT_ROUTER, address(lease.gateway()));
            if (lease.dnsServers().length > 0) {
                ByteBuffer dns = ByteBuffer.allocate(4 * lease.dnsServers().length);
                for (int d : lease.dnsServers()) {
                    dns.putInt(d);
                }
                o.put(DhcpMessage.OPT_DNS, dns.array());
            }
            if (lease.mtu() > 0) {
                o.put(DhcpMessage.OPT_INTERFACE_MTU, new byte[] {(byte) (lease.mtu() >>> 8), (byte) lease.mtu()});
            }
        }
        return new DhcpMessage(DhcpMessage.BOOTREPLY, request.xid(), 0, request.flags(), ciaddr, yiaddr, 0,
                request.giaddr(), request.chaddr(), o);
    }

    private static byte[] address(int a) {
        return u32(a);
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }
}
