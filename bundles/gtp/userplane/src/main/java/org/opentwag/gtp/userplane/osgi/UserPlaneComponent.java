package org.opentwag.gtp.userplane.osgi;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;

import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.api.s2a.UserPlaneBearers;
import org.opentwag.gtp.codec.GtpUPacket;
import org.opentwag.gtp.userplane.Frames;
import org.opentwag.gtp.userplane.GtpUEndpoint;
import org.opentwag.gtp.userplane.TapDevice;
import org.opentwag.gtp.userplane.UserPlane;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S2a user plane as an OSGi component, configured by the same {@code etc/org.opentwag.s2a.cfg} as the gateway:
 * idle unless home routing is enabled and {@code accessInterface} names a TAP device. Then it attaches to that TAP,
 * binds GTP-U on {@code localAddress}:2152 (the address in our F-TEIDs) and forwards between the two for the phones
 * whose PDN connections the gateway's {@link UserPlaneBearers} lists.
 */
@Component(service = MetricsSource.class, configurationPid = "org.opentwag.s2a", immediate = true,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class UserPlaneComponent implements MetricsSource {

    /** The user-plane keys of {@code org.opentwag.s2a} (the gateway's component describes the others). */
    public @interface Config {
        boolean enabled() default false;

        String localAddress() default "127.0.0.1";

        /** TAP interface of the phones' frames; empty = no user plane. */
        String accessInterface() default "";

        /** The TWAG's MAC on the access side; empty = the TAP's MAC with its last bit flipped. */
        String accessMac() default "";

        /** The phones' default gateway; empty = the first address of each phone's /24. */
        String accessGateway() default "";

        String accessNetmask() default "255.255.255.0";

        /** DNS servers told by DHCP when the PGW's PCO has none (comma-separated). */
        String accessDnsServers() default "";

        int accessLeaseSeconds() default 3600;

        /** Interface MTU told by DHCP; 0 = none. */
        int accessMtu() default 1400;

        /** Frames queued for the TAP at most; beyond that they are dropped (counted). */
        int accessQueueFrames() default 4096;
    }

    private static final Logger LOG = LoggerFactory.getLogger(UserPlaneComponent.class);

    @Reference
    private UserPlaneBearers bearers;

    private TapDevice tap;
    private GtpUEndpoint gtpu;
    private volatile UserPlane userPlane;

    @Activate
    void activate(Config config) throws Exception {
        if (!config.enabled() || config.accessInterface().isBlank()) {
            LOG.info("S2a user plane off (etc/org.opentwag.s2a.cfg: enabled {}, accessInterface '{}')",
                    config.enabled(), config.accessInterface());
            return;
        }
        UserPlane.Settings settings = new UserPlane.Settings(address(config.accessGateway()),
                address(config.accessNetmask()), Arrays.stream(config.accessDnsServers().split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(UserPlaneComponent::address).toArray(),
                Math.max(60, config.accessLeaseSeconds()), Math.max(0, config.accessMtu()));
        tap = TapDevice.open(config.accessInterface().trim(), Math.max(64, config.accessQueueFrames()));
        try {
            long mac = config.accessMac().isBlank() ? tap.interfaceMac() ^ 1L
                    : UserPlaneBearers.parseMac(config.accessMac());
            if (mac < 0 || (mac & 0x010000000000L) != 0) {
                throw new IllegalArgumentException("accessMac '" + config.accessMac() + "' is not a unicast MAC");
            }
            UserPlane[] holder = new UserPlane[1];
            InetAddress local = InetAddress.getByName(config.localAddress());
            if (!(local instanceof Inet4Address local4)) {
                throw new IllegalArgumentException("localAddress must be IPv4 for the user plane: " + local);
            }
            gtpu = new GtpUEndpoint(new InetSocketAddress(local4, GtpUPacket.PORT),
                    (datagram, sender) -> holder[0].fromTunnel(datagram, sender));
            holder[0] = new UserPlane(bearers, settings, mac, local4, tap, gtpu);
            userPlane = holder[0];
            tap.start(userPlane::fromAccess);
            LOG.info("S2a user plane: access interface {} (gateway MAC {}), GTP-U on {}", tap.name(),
                    UserPlaneBearers.formatMac(mac), gtpu.localAddress());
        } catch (Exception | Error e) {
            deactivate();
            throw e;
        }
    }

    private static int address(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            byte[] a = InetAddress.getByName(text.trim()).getAddress();
            if (a.length != 4) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            return Frames.ipv4(a, 0);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + text, e);
        }
    }

    @Deactivate
    void deactivate() {
        userPlane = null;
        if (tap != null) {
            tap.close();
            tap = null;
        }
        if (gtpu != null) {
            gtpu.close();
            gtpu = null;
        }
    }

    @Override
    public Map<String, String> help() {
        return Map.of("s2a_gtpu_packets_count", "GTP-U G-PDUs by direction (uplink: phone to PGW-U)",
                "s2a_gtpu_bytes_count", "Octets of the phones' IP packets carried in G-PDUs, by direction",
                "s2a_arp_replies_count", "ARP requests of bound phones answered with the TWAG's MAC",
                "s2a_gtpu_echo_replies_count", "GTP-U Echo Requests answered",
                "s2a_gtpu_error_indications_sent_count", "Error Indications sent for G-PDUs to unknown TEIDs "
                        + "(at most 100/s)",
                "s2a_dhcp_replies_count", "DHCP OFFER/ACK/NAK sent to bound phones",
                "s2a_userplane_drops_count", "Frames and GTP-U packets dropped, by reason (unknown_mac: no PDN "
                        + "connection for the phone; unknown_teid: no bearer for the TEID; *_queue_full: overload)");
    }

    @Override
    public Map<String, Number> values() {
        UserPlane u = userPlane;
        return u == null ? Map.of() : u.metrics().values();
    }
}
