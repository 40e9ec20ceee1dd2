package org.opentwag.diameter.stack.internal;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.opentwag.diameter.codec.BaseProtocol;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.stack.ConnectionRole;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.diameter.stack.PeerState;
import org.opentwag.diameter.stack.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one peer (RFC 6733 5.6): at most one open connection, at most one connection
 * attempt of ours, election when both sides connect, reconnect with bounded exponential back-off.
 * Transitions are synchronized on the entry; routing reads the volatile fields without locking.
 */
final class PeerEntry {
    private static final Logger LOG = LoggerFactory.getLogger(PeerEntry.class);

    enum CerDecision { ACCEPT, ELECTION_LOST, ALREADY_OPEN }

    private final Node node;
    final PeerConfig config;
    /** False for a peer accepted through acceptUnknownPeers: forgotten when it disconnects. */
    final boolean configured;

    private volatile PeerState state = PeerState.CLOSED;
    private volatile Instant since = Instant.now();
    private volatile Connection open;
    private Connection attempt;
    private volatile String productName;
    private volatile Set<Long> advertised = Set.of();
    private volatile Set<Long> common = Set.of();
    private volatile String learntRealm;
    private int reconnectFailures;
    private boolean slowReconnect;
    private ScheduledFuture<?> reconnectTask;
    private boolean removed;

    PeerEntry(Node node, PeerConfig config, boolean configured) {
        this.node = node;
        this.config = config;
        this.configured = configured;
    }

    String host() {
        return config.host();
    }

    String key() {
        return config.host().toLowerCase(Locale.ROOT);
    }

    String realm() {
        return config.realm() != null && !config.realm().isBlank() ? config.realm() : learntRealm;
    }

    PeerState state() {
        return state;
    }

    /** The connection requests go to, or null when the peer is not OPEN. */
    Connection openConnection() {
        Connection c = open;
        return state == PeerState.OPEN && c != null && !c.suspect && !c.closing ? c : null;
    }

    /** Whether requests of this application may be routed to this peer now. */
    boolean routable(long applicationId) {
        if (openConnection() == null) {
            return false;
        }
        Set<Long> shared = common;
        if (!shared.contains(applicationId) && !shared.contains(BaseProtocol.RELAY_APPLICATION)) {
            return false;
        }
        return config.applications().isEmpty() || config.applications().contains(applicationId);
    }

    boolean shares(long applicationId) {
        Set<Long> shared = common;
        return shared.contains(applicationId) || shared.contains(BaseProtocol.RELAY_APPLICATION);
    }

    // ------------------------------------------------------------------ initiating

    synchronized void start() {
        TlsContexts.Refusal refusal = node.tlsRefusal();
        if (config.transport() == Transport.TLS && refusal != null) {
            // Not retried: only a new node configuration (which restarts the node and its peers) can change this.
            LOG.error("Diameter peer {} refused: it is configured for TLS but {}", host(), refusal.message());
            node.countTlsRefusal(refusal.reason());
            return;
        }
        if (config.initiateConnection()) {
            connectNow();
        }
    }

    private void connectNow() {
        if (removed || node.isClosing() || open != null || attempt != null) {
            return;
        }
        setState(PeerState.WAIT_CONN_ACK);
        attempt = new Connection(node, ConnectionRole.INITIATOR, config.transport(), this);
        node.connect(this, attempt);
    }

    synchronized void onConnectFailed(Connection c, Throwable cause) {
        if (c != attempt) {
            return;
        }
        attempt = null;
        if (cause instanceof io.netty.channel.ConnectTimeoutException) {
            LOG.warn("Diameter peer connection timeout: {} at {}:{} ({})", host(), config.address(), config.port(), cause.getMessage());
        } else {
            LOG.warn("Diameter peer {} at {}:{} unreachable: {}", host(), config.address(), config.port(), cause.getMessage());
        }
        if (open == null) {
            setState(PeerState.CLOSED);
        }
        scheduleReconnect();
    }

    synchronized void onTransportUp(Connection c) {
        if (c == attempt && open == null) {
            setState(PeerState.WAIT_CEA);
        }
    }

    /** A successful CEA on our connection: adopt it unless the election gave us the peer's connection. */
    synchronized boolean onCeaSuccess(Connection c, DiameterMessage cea, Set<Long> theirApps, Set<Long> shared) {
        if (c != attempt || removed) {
            return false;
        }
        attempt = null;
        if (open != null) {
            return false;
        }
        adopt(c, cea, theirApps, shared);
        return true;
    }

    // ------------------------------------------------------------------ responding

    /** A CER from this peer on a new connection of its own (RFC 6733 5.6.4 election). */
    synchronized CerDecision onCer(Connection c, DiameterMessage cer, Set<Long> theirApps, Set<Long> shared) {
        if (removed) {
            return CerDecision.ALREADY_OPEN;
        }
        Connection current = open;
        if (current != null) {
            if (!current.suspect && !current.closing) {
                return CerDecision.ALREADY_OPEN;
            }
            LOG.info("Diameter peer {} reconnected while {}: the new connection replaces the old", host(), state);
            open = null;
            current.close();
        }
        if (attempt != null) {
            // the responder connection survives when our Origin-Host is the higher one
            if (node.originHost().compareToIgnoreCase(host()) > 0) {
                LOG.info("Diameter peer {}: election won, keeping its connection and dropping ours", host());
                Connection ours = attempt;
                attempt = null;
                ours.close();
            } else {
                LOG.info("Diameter peer {}: election lost, keeping our own connection", host());
                return CerDecision.ELECTION_LOST;
            }
        }
        adopt(c, cer, theirApps, shared);
        return CerDecision.ACCEPT;
    }

    private void adopt(Connection c, DiameterMessage capabilities, Set<Long> theirApps, Set<Long> shared) {
        cancelReconnect();
        open = c;
        c.peer = this;
        productName = capabilities.find(BaseProtocol.PRODUCT_NAME).map(a -> {
            try {
                return a.utf8();
            } catch (RuntimeException e) {
                return "?";
            }
        }).orElse(null);
        advertised = Set.copyOf(theirApps);
        common = Set.copyOf(shared);
        learntRealm = capabilities.originRealm().orElse(null);
        reconnectFailures = 0;
        slowReconnect = false;
        c.opened();
        setState(PeerState.OPEN);
        LOG.info("Diameter peer {} connected ({}), product {}, applications {}", host(), c.describeTransport(), productName, advertised);
        LOG.info("Diameter peer {} state OPEN", host());
    }

    // ------------------------------------------------------------------ both

    synchronized void onSuspect(Connection c) {
        if (c == open) {
            setState(PeerState.SUSPECT);
        }
    }

    synchronized void onRecovered(Connection c) {
        if (c == open && state == PeerState.SUSPECT) {
            setState(PeerState.OPEN);
            LOG.info("Diameter peer {} answered the watchdog again: state OPEN", host());
        }
    }

    synchronized void onDisconnectRequested(Connection c, int cause) {
        if (c == open) {
            setState(PeerState.CLOSING);
        }
        // RFC 6733 5.4.3: after BUSY or DO_NOT_WANT_TO_TALK_TO_YOU do not hurry back
        slowReconnect = cause != BaseProtocol.DisconnectCause.REBOOTING;
    }

    synchronized void onConnectionClosed(Connection c) {
        if (c == attempt) {
            attempt = null;
            if (open == null) {
                setState(PeerState.CLOSED);
            }
            scheduleReconnect();
        } else if (c == open) {
            open = null;
            setState(PeerState.CLOSED);
            LOG.info("Diameter peer {} disconnected", host());
            scheduleReconnect();
        } else {
            return;
        }
        if (!configured && open == null && attempt == null) {
            node.forget(this);
        }
    }

    private void scheduleReconnect() {
        if (!config.initiateConnection() || removed || node.isClosing() || open != null || attempt != null || reconnectTask != null) {
            return;
        }
        long min = node.config().reconnectDelayMin().toMillis();
        long max = node.config().reconnectDelayMax().toMillis();
        long delay = slowReconnect ? max : Math.min(max, min << Math.min(reconnectFailures, 20));
        reconnectFailures++;
        LOG.debug("Diameter peer {}: reconnecting in {} ms", host(), delay);
        reconnectTask = node.schedule(() -> {
            synchronized (PeerEntry.this) {
                reconnectTask = null;
                connectNow();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void cancelReconnect() {
        if (reconnectTask != null) {
            reconnectTask.cancel(false);
            reconnectTask = null;
        }
    }

    /** Stops reconnecting and disconnects (DPR) the open connection. */
    synchronized CompletableFuture<Void> remove(int disconnectCause, long graceMillis) {
        removed = true;
        cancelReconnect();
        if (attempt != null) {
            attempt.close();
            attempt = null;
        }
        Connection c = open;
        if (c == null) {
            setState(PeerState.CLOSED);
            return CompletableFuture.completedFuture(null);
        }
        setState(PeerState.CLOSING);
        return c.disconnect(disconnectCause, graceMillis);
    }

    private void setState(PeerState next) {
        if (state != next) {
            LOG.debug("Diameter peer {}: {} -> {}", host(), state, next);
            state = next;
            since = Instant.now();
        }
    }

    PeerInfo info() {
        Connection c = open;
        InetSocketAddress remote = c != null ? c.remoteAddress() : null;
        ConnectionRole role = c != null ? c.role : config.initiateConnection() ? ConnectionRole.INITIATOR : ConnectionRole.RESPONDER;
        return new PeerInfo(host(), realm(),
                remote != null ? remote.getAddress().getHostAddress() : config.address(),
                remote != null ? remote.getPort() : config.port(),
                c != null ? c.transport : config.transport(), role, state, since, productName, advertised, common,
                config.defaultRoute(), configured, c != null ? c.pending.size() : 0);
    }
}
