package org.opentwag.gtp.userplane;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.opentwag.api.s2a.UserPlaneBearers;
import org.opentwag.api.s2a.UserPlaneBearers.Bearer;
import org.opentwag.gtp.codec.GtpDecodeException;
import org.opentwag.gtp.codec.GtpUPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S2a user plane between the access interface (the phones' Ethernet frames) and the PGW-U (GTP-U, TS 29.281).
 * Towards a phone whose MAC has an open PDN connection it is the first-hop router: it answers its ARP for any
 * address but its own with the TWAG's MAC, its DHCP with the PGW-assigned address, and tunnels its IPv4 packets as
 * G-PDUs to the PGW-U's TEID; G-PDUs arriving for our TEID go back to the phone's MAC. A MAC without a PDN connection
 * gets nothing.
 * Plain Java: the access and tunnel sides are given as functions, the TAP and the UDP socket live elsewhere.
 */
public final class UserPlane {

    private static final Logger LOG = LoggerFactory.getLogger(UserPlane.class);

    /** Hands a frame to the access interface; false when its bounded queue is full. */
    public interface Access {
        boolean send(byte[] frame);
    }

    /** Sends GTP-U datagrams; false when the socket's bounded buffer is full. */
    public interface Tunnel {
        /** A G-PDU (any source port, TS 29.281 4.4.2.0). */
        boolean send(byte[] datagram, InetSocketAddress to);

        /** A signalling message (Echo Response, Error Indication): from port 2152 (TS 29.281 4.4.2.2, 4.4.2.4). */
        default boolean answer(byte[] datagram, InetSocketAddress to) {
            return send(datagram, to);
        }
    }

    /**
     * @param gateway      the phones' default gateway (0 = the first address of each phone's /24)
     * @param netmask      subnet mask told by DHCP
     * @param dnsServers   DNS servers when the PGW gave none
     * @param leaseSeconds DHCP lease time
     * @param mtu          interface MTU told by DHCP (0 = none)
     */
    public record Settings(int gateway, int netmask, int[] dnsServers, int leaseSeconds, int mtu) {
    }

    private final UserPlaneBearers bearers;
    private final Settings settings;
    private final long ourMac;
    private final Access access;
    private final Tunnel tunnel;
    private final Metrics metrics = new Metrics();
    private final Inet4Address tunnelAddress;
    /** Error Indications sent in the current second, at most {@link #ERROR_INDICATIONS_PER_SECOND}. */
    private final AtomicLong errorIndicationWindow = new AtomicLong();
    static final int ERROR_INDICATIONS_PER_SECOND = 100;

    /**
     * @param ourMac        the TWAG's MAC on the access interface: source of our frames, the phones' gateway MAC
     * @param tunnelAddress our GTP-U address (in our F-TEIDs), named in the Error Indications we send
     */
    public UserPlane(UserPlaneBearers bearers, Settings settings, long ourMac, Inet4Address tunnelAddress,
                     Access access, Tunnel tunnel) {
        this.bearers = bearers;
        this.tunnelAddress = tunnelAddress;
        this.settings = settings;
        this.ourMac = ourMac;
        this.access = access;
        this.tunnel = tunnel;
    }

    public Metrics metrics() {
        return metrics;
    }

    public long ourMac() {
        return ourMac;
    }

    // ------------------------------------------------------------------ from the phones

    /** One Ethernet frame read from the access interface ({@code length} octets of {@code frame}). */
    public void fromAccess(byte[] frame, int length) {
        if (length < Frames.ETHERNET_HEADER) {
            metrics.drop("runt_frame");
            return;
        }
        long source = Frames.sourceMac(frame);
        if (source == ourMac) {
            return; // our own frame flooded back by a bridge
        }
        int etherType = Frames.etherType(frame);
        if (etherType == Frames.ETHERTYPE_ARP) {
            arp(frame, length, source);
        } else if (Frames.holdsIpv4(frame, length)) {
            ipv4(frame, source);
        } else {
            metrics.drop(etherType == Frames.ETHERTYPE_IPV4 ? "malformed_ipv4" : "ethertype");
        }
    }

    private void arp(byte[] frame, int length, long source) {
        if (!Arp.isRequest(frame, length)) {
            metrics.drop("arp_not_request");
            return;
        }
        Optional<Bearer> bearer = bearers.byMac(source);
        if (bearer.isEmpty()) {
            metrics.drop("unknown_mac");
            return;
        }
        int target = Arp.targetIp(frame);
        if (target == Frames.ipv4(bearer.get().address()) || target == Arp.senderIp(frame)) {
            return; // the phone probing or announcing its own address (RFC 5227): not ours to claim
        }
        if (access.send(Arp.reply(frame, ourMac))) {
            metrics.arpReplies.increment();
        } else {
            metrics.drop("access_queue_full");
        }
    }

    private void ipv4(byte[] frame, long source) {
        int ip = Frames.ETHERNET_HEADER;
        int headerLength = (frame[ip] & 0x0f) * 4;
        int total = Frames.u16(frame, ip + 2);
        int protocol = frame[ip + 9] & 0xff;
        if (protocol == Frames.PROTOCOL_UDP && total >= headerLength + 8
                && Frames.u16(frame, ip + headerLength + 2) == DhcpMessage.SERVER_PORT) {
            dhcp(frame, ip + headerLength + 8, total - headerLength - 8, source);
            return;
        }
        if (Frames.destinationMac(frame) != ourMac) {
            metrics.drop("not_to_gateway"); // broadcast, multicast or another host's unicast flooded by a bridge
            return;
        }
        Optional<Bearer> found = bearers.byMac(source);
        if (found.isEmpty()) {
            metrics.drop("unknown_mac");
            return;
        }
        Bearer b = found.get();
        if (Frames.ipv4(frame, ip + 12) != Frames.ipv4(b.address())) {
            metrics.drop("source_address");
            return;
        }
        byte[] packet = new byte[total];
        System.arraycopy(frame, ip, packet, 0, total); // without Ethernet padding
        if (tunnel.send(GtpUPacket.gpdu(b.pgwTeid(), packet).encode(), b.pgwUserPlane())) {
            metrics.uplinkPackets.increment();
            metrics.uplinkBytes.add(total);
        } else {
            metrics.drop("tunnel_queue_full");
        }
    }

    private void dhcp(byte[] frame, int offset, int length, long source) {
        Optional<Bearer> found = bearers.byMac(source);
        if (found.isEmpty()) {
            metrics.drop("unknown_mac"); // a phone without a PDN connection gets no address from us
            return;
        }
        DhcpMessage request;
        try {
            request = DhcpMessage.decode(frame, offset, length);
        } catch (IllegalArgumentException e) {
            metrics.drop("malformed_dhcp");
            LOG.debug("S2a user plane: DHCP from {} dropped: {}", UserPlaneBearers.formatMac(source), e.getMessage());
            return;
        }
        if (request.chaddr() != source) {
            metrics.drop("dhcp_chaddr"); // a client asking for another MAC: not the authenticated phone
            return;
        }
        Bearer b = found.get();
        int address = Frames.ipv4(b.address());
        int[] dns = b.dnsServers().isEmpty() ? settings.dnsServers()
                : b.dnsServers().stream().mapToInt(Frames::ipv4).toArray();
        DhcpServer.Lease lease = new DhcpServer.Lease(address, DhcpServer.gatewayFor(address, settings.gateway()),
                settings.netmask(), dns, settings.leaseSeconds(), settings.mtu());
        DhcpServer.Answer answer = DhcpServer.answer(request, lease);
        if (answer == null) {
            return;
        }
        byte[] udp = Frames.udpInIpv4(lease.gateway(), answer.ipDestination(), DhcpMessage.SERVER_PORT,
                DhcpMessage.CLIENT_PORT, answer.message().encode());
        byte[] reply = Frames.ethernet(source, ourMac, Frames.ETHERTYPE_IPV4, udp, 0, udp.length);
        if (access.send(reply)) {
            metrics.dhcp(answer.message().messageType());
            if (answer.message().messageType() == DhcpMessage.ACK) {
                LOG.info("S2a user plane: IMSI {} ({}) bound to {} by DHCP", b.imsi(),
                        UserPlaneBearers.formatMac(source), b.address().getHostAddress());
            }
        } else {
            metrics.drop("access_queue_full");
        }
    }

    // ------------------------------------------------------------------ from the PGW-U

    /** One UDP datagram received on the GTP-U port. */
    public void fromTunnel(byte[] datagram, InetSocketAddress sender) {
        GtpUPacket p;
        try {
            p = GtpUPacket.decode(datagram);
        } catch (GtpDecodeException e) {
            metrics.drop("malformed_gtpu");
            LOG.debug("S2a user plane: GTP-U from {} dropped: {}", sender, e.getMessage());
            return;
        }
        switch (p.type()) {
            case GtpUPacket.G_PDU -> downlink(p, sender);
            case GtpUPacket.ECHO_REQUEST -> {
                // TS 29.281 7.2.2: answered with the request's sequence number, whatever the TEID
                if (tunnel.answer(GtpUPacket.echo(true, Math.max(0, p.sequence())).encode(), sender)) {
                    metrics.echoReplies.increment();
                }
            }
            case GtpUPacket.ERROR_INDICATION -> {
                metrics.drop("error_indication_received");
                LOG.warn("S2a user plane: Error Indication from {}: it knows no bearer for a TEID we sent to",
                        sender);
            }
            default -> metrics.drop("gtpu_message");
        }
    }

    private void downlink(GtpUPacket p, InetSocketAddress sender) {
        Optional<Bearer> found = bearers.byLocalTeid(p.teid());
        if (found.isEmpty()) {
            metrics.drop("unknown_teid");
            errorIndication(p.teid(), sender);
            return;
        }
        Bearer b = found.get();
        byte[] ip = p.payload();
        if (ip.length < 20 || (ip[0] & 0xf0) != 0x40 || Frames.ipv4(ip, 16) != Frames.ipv4(b.address())) {
            metrics.drop("destination_address");
            return;
        }
        if (access.send(Frames.ethernet(b.mac(), ourMac, Frames.ETHERTYPE_IPV4, ip, 0, ip.length))) {
            metrics.downlinkPackets.increment();
            metrics.downlinkBytes.add(ip.length);
        } else {
            metrics.drop("access_queue_full");
        }
    }

    /** TS 29.281 7.3.1, bounded: a flood of G-PDUs for dead TEIDs must not become a flood of answers. */
    private void errorIndication(long teid, InetSocketAddress sender) {
        long second = System.nanoTime() / 1_000_000_000L;
        long window = errorIndicationWindow.updateAndGet(w -> (w >>> 32) == second ? w + 1 : (second << 32) | 1);
        if ((window & 0xffffffffL) > ERROR_INDICATIONS_PER_SECOND) {
            return;
        }
        // sent to the G-PDU's source address, port 2152 (TS 29.281 4.4.2.4)
        if (tunnel.answer(ErrorIndication.encode(teid, tunnelAddress, sender.getPort()),
                new InetSocketAddress(sender.getAddress(), GtpUPacket.PORT))) {
            metrics.errorIndications.increment();
        }
    }

    /** Counters; LongAdders so that the per-packet path never contends with a scrape. */
    public static final class Metrics {
        final LongAdder uplinkPackets = new LongAdder();
        final LongAdder uplinkBytes = new LongAdder();
        final LongAdder downlinkPackets = new LongAdder();
        final LongAdder downlinkBytes = new LongAdder();
        final LongAdder arpReplies = new LongAdder();
        final LongAdder echoReplies = new LongAdder();
        final LongAdder errorIndications = new LongAdder();
        private final Map<String, LongAdder> drops = new ConcurrentHashMap<>();
        private final Map<String, LongAdder> dhcp = new ConcurrentHashMap<>();

        void drop(String reason) {
            drops.computeIfAbsent(reason, r -> new LongAdder()).increment();
        }

        void dhcp(int type) {
            String name = switch (type) {
                case DhcpMessage.OFFER -> "offer";
                case DhcpMessage.ACK -> "ack";
                case DhcpMessage.NAK -> "nak";
                default -> "other";
            };
            dhcp.computeIfAbsent(name, r -> new LongAdder()).increment();
        }

        public long drops(String reason) {
            LongAdder a = drops.get(reason);
            return a == null ? 0 : a.sum();
        }

        public long dhcpReplies(String message) {
            LongAdder a = dhcp.get(message);
            return a == null ? 0 : a.sum();
        }

        public long uplinkPackets() {
            return uplinkPackets.sum();
        }

        public long downlinkPackets() {
            return downlinkPackets.sum();
        }

        public long errorIndications() {
            return errorIndications.sum();
        }

        public long arpReplies() {
            return arpReplies.sum();
        }

        /** Prometheus series name -> value. */
        public Map<String, Number> values() {
            Map<String, Number> v = new LinkedHashMap<>();
            v.put("s2a_gtpu_packets_count{direction=\"uplink\"}", uplinkPackets.sum());
            v.put("s2a_gtpu_packets_count{direction=\"downlink\"}", downlinkPackets.sum());
            v.put("s2a_gtpu_bytes_count{direction=\"uplink\"}", uplinkBytes.sum());
            v.put("s2a_gtpu_bytes_count{direction=\"downlink\"}", downlinkBytes.sum());
            v.put("s2a_arp_replies_count", arpReplies.sum());
            v.put("s2a_gtpu_echo_replies_count", echoReplies.sum());
            v.put("s2a_gtpu_error_indications_sent_count", errorIndications.sum());
            for (String m : List.of("offer", "ack", "nak")) {
                v.put("s2a_dhcp_replies_count{message=\"" + m + "\"}", dhcpReplies(m));
            }
            drops.forEach((reason, a) -> v.put("s2a_userplane_drops_count{reason=\"" + reason + "\"}", a.sum()));
            return v;
        }
    }
}
