package org.opentwag.gtp.gateway;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.opentwag.api.s2a.PdnConnectionRecord;
import org.opentwag.api.state.StateStore;
import org.opentwag.gtp.codec.Ies;
import org.opentwag.gtp.gateway.S2aGateway.PdnConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's PDN connections in the {@link StateStore} (memory or Hazelcast), keyed by IMSI, so that they outlive a
 * restart or update of the gateway bundle: the next gateway restores them and still sends the Delete Session at the
 * Accounting-Stop. Written through at each open and end; read at start. Without a store (null) nothing is kept.
 */
final class PdnConnectionStore {

    private static final Logger LOG = LoggerFactory.getLogger(PdnConnectionStore.class);
    /** IMSI → {@link PdnConnectionRecord}. */
    static final String MAP = "s2a.pdn-connections";

    private final StateStore store;
    private final Duration lifetime;

    /** @param lifetime how long a connection is kept without an end: at least the access session's lifetime */
    PdnConnectionStore(StateStore store, Duration lifetime) {
        this.store = store;
        this.lifetime = lifetime;
    }

    void saved(PdnConnection c, InetSocketAddress local) {
        if (store == null) {
            return;
        }
        try {
            store.put(MAP, c.imsi(), new PdnConnectionRecord(c.imsi(), c.apn(), c.address().getHostAddress(),
                    c.pgw().getAddress().getHostAddress(), c.pgw().getPort(), local.getAddress().getHostAddress(),
                    c.localTeid(), c.pgwTeid(), c.localUserTeid(),
                    c.pgwUserPlane() == null ? -1 : c.pgwUserPlane().teid(),
                    c.pgwUserPlane() == null || c.pgwUserPlane().ipv4() == null ? null
                            : c.pgwUserPlane().ipv4().getHostAddress(), c.openedMillis()), lifetime);
        } catch (RuntimeException e) {
            // A full or unreachable store costs the restart-safety of this connection, not the login.
            LOG.warn("S2a: PDN connection of IMSI {} not kept in the state store: {}", c.imsi(), e.toString());
        }
    }

    void removed(PdnConnection c) {
        if (store == null) {
            return;
        }
        try {
            PdnConnectionRecord r = store.get(MAP, c.imsi(), PdnConnectionRecord.class);
            // Only this connection: a newer one of the subscriber (another node) stays.
            if (r != null && r.localTeid() == c.localTeid()) {
                store.remove(MAP, c.imsi(), PdnConnectionRecord.class);
            }
        } catch (RuntimeException e) {
            LOG.warn("S2a: PDN connection of IMSI {} not removed from the state store: {}", c.imsi(), e.toString());
        }
    }

    /** The connection kept for the subscriber, or null. */
    PdnConnection find(String imsi) {
        if (store == null) {
            return null;
        }
        try {
            PdnConnectionRecord r = store.get(MAP, imsi, PdnConnectionRecord.class);
            return r == null ? null : connection(r);
        } catch (RuntimeException e) {
            LOG.warn("S2a: PDN connection of IMSI {} not read from the state store: {}", imsi, e.toString());
            return null;
        }
    }

    /** The connections opened from our GTP-C address (those of other cluster nodes stay theirs). */
    List<PdnConnection> restore(InetSocketAddress local) {
        List<PdnConnection> out = new ArrayList<>();
        if (store == null) {
            return out;
        }
        String ours = local.getAddress().getHostAddress();
        try {
            for (PdnConnectionRecord r : store.snapshot(MAP, PdnConnectionRecord.class).values()) {
                if (ours.equals(r.localAddress())) {
                    PdnConnection c = connection(r);
                    if (c != null) {
                        out.add(c);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("S2a: PDN connections not restored from the state store: {}", e.toString());
        }
        return out;
    }

    private static PdnConnection connection(PdnConnectionRecord r) {
        try {
            Inet4Address address = (Inet4Address) InetAddress.getByName(r.address());
            Ies.FTeid user = r.pgwUserTeid() < 0 ? null : new Ies.FTeid(Ies.IF_S2A_PGW_GTPU, r.pgwUserTeid(),
                    r.pgwUserAddress() == null ? null : (Inet4Address) InetAddress.getByName(r.pgwUserAddress()),
                    null);
            return new PdnConnection(r.imsi(), r.apn(), address,
                    new InetSocketAddress(InetAddress.getByName(r.pgwAddress()), r.pgwPort()), r.localTeid(),
                    r.pgwTeid(), r.localUserTeid(), user, r.openedMillis());
        } catch (UnknownHostException | ClassCastException e) {
            LOG.warn("S2a: stored PDN connection of IMSI {} unreadable: {}", r.imsi(), e.toString());
            return null;
        }
    }
}
