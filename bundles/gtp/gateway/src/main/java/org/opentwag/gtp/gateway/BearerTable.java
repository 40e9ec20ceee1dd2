package org.opentwag.gtp.gateway;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.opentwag.api.s2a.UserPlaneBearers;
import org.opentwag.gtp.codec.GtpUPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user plane's view of the gateway's PDN connections: the default bearer by the phone's MAC and by our GTP-U
 * TEID. Filled when a Create Session is accepted and emptied when the connection is forgotten, by {@link S2aGateway}
 * only (the owner of the connections); read by the user plane for every packet, hence plain hash maps.
 */
final class BearerTable implements UserPlaneBearers {

    private static final Logger LOG = LoggerFactory.getLogger(BearerTable.class);

    private final Map<Long, Bearer> byMac = new ConcurrentHashMap<>();
    private final Map<Long, Bearer> byTeid = new ConcurrentHashMap<>();

    /** Binds the phone that logged in with {@code callingStationId} to the connection's default bearer. */
    void bind(S2aGateway.PdnConnection c, String callingStationId, List<Inet4Address> dns) {
        long mac = UserPlaneBearers.parseMac(callingStationId);
        if (mac < 0 || c.pgwUserPlane() == null || c.pgwUserPlane().ipv4() == null) {
            LOG.warn("S2a: IMSI {} has no user plane: Calling-Station-Id '{}', PGW-U F-TEID {}", c.imsi(),
                    callingStationId, c.pgwUserPlane());
            return;
        }
        Bearer b = new Bearer(c.imsi(), mac, c.address(), List.copyOf(dns), c.localUserTeid(),
                c.pgwUserPlane().teid(), new InetSocketAddress(c.pgwUserPlane().ipv4(), GtpUPacket.PORT));
        Bearer before = byMac.put(mac, b);
        if (before != null) {
            byTeid.remove(before.localTeid(), before);
        }
        byTeid.put(b.localTeid(), b);
    }

    void unbind(S2aGateway.PdnConnection c) {
        Bearer b = byTeid.remove(c.localUserTeid());
        if (b != null) {
            byMac.remove(b.mac(), b);
        }
    }

    @Override
    public Optional<Bearer> byMac(long mac) {
        return Optional.ofNullable(byMac.get(mac));
    }

    @Override
    public Optional<Bearer> byLocalTeid(long localTeid) {
        return Optional.ofNullable(byTeid.get(localTeid));
    }
}
