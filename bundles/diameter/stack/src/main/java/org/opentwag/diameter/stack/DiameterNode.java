package org.opentwag.diameter.stack;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.opentwag.diameter.stack.internal.Node;

/**
 * A Diameter node with its peers: the plain-Java entry point (tests, or a second node in the same JVM such
 * as the embedded HSS simulator). In OSGi, prefer the {@link DiameterService} of PID
 * {@code org.opentwag.diameter} or the {@link DiameterNodeFactory} service.
 */
public interface DiameterNode extends DiameterService, AutoCloseable {

    /** Creates and starts a node: binds its listener (if any) and is ready for {@link #addPeer(PeerConfig)}. */
    static DiameterNode create(NodeConfig config) {
        return Node.start(config);
    }

    NodeConfig config();

    /** Adds a peer, or replaces the one with the same host (reconnecting only if its connection settings changed). */
    void addPeer(PeerConfig peer);

    /** Disconnects (DPR) and forgets a peer; false if there was none. */
    boolean removePeer(String host);

    /** Where the TCP listener is bound (resolves an ephemeral port), if listening. */
    Optional<InetSocketAddress> listenAddress();

    /** Where the TLS listener is bound, if any. */
    Optional<InetSocketAddress> tlsListenAddress();

    /** Sends DPR to open peers, waits briefly for DPA, closes connections, fails pending requests. */
    @Override
    void close();
}
