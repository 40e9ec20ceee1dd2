package org.opentwag.diameter.stack;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.opentwag.diameter.codec.DiameterMessage;

/**
 * A Diameter node as other bundles use it: send requests, answer requests, see peers and counters.
 * Registered as an OSGi service by the node configured with PID {@code org.opentwag.diameter}.
 */
public interface DiameterService {

    /** Our Origin-Host. */
    String originHost();

    /** Our Origin-Realm. */
    String originRealm();

    /** A new Session-Id, {@code <Origin-Host>;<boot time>;<counter>} (RFC 6733 8.8). */
    String newSessionId();

    /** {@link #send(DiameterMessage, RequestOptions)} with the default options. */
    default CompletionStage<DiameterMessage> send(DiameterMessage request) {
        return send(request, RequestOptions.defaults());
    }

    /**
     * Sends a request and completes with its answer (whatever its Result-Code). The node stamps the
     * hop-by-hop and end-to-end identifiers and adds Origin-Host/Origin-Realm when missing. Routing: the
     * Destination-Host peer if it is open, else an open peer serving the Destination-Realm, else a default
     * route; round-robin among equals; only peers that share the request's application. Each request carries
     * OC-Supported-Features (DOIC, RFC 7683, loss algorithm); an OC-OLR in an answer makes the node drop that share
     * of new requests to the reporting host or realm for its validity, or send them to another peer of the realm
     * when the report is about one host and the request names none.
     *
     * <p>Fails with {@link DiameterRequestException} (TIMEOUT, NO_ROUTE, PEER_DOWN, NODE_CLOSED, OVERLOADED). Completed on
     * a worker thread of the node, never on a Netty event loop; still, dependent stages should not block long.
     */
    CompletionStage<DiameterMessage> send(DiameterMessage request, RequestOptions options);

    /**
     * Answers requests of this application and command. One handler per (application, command); a new
     * registration replaces the previous one. Requests with no handler get DIAMETER_COMMAND_UNSUPPORTED (3001).
     */
    Registration registerRequestHandler(long applicationId, int commandCode, RequestHandler handler);

    /** Every configured or connected peer. */
    List<PeerInfo> peers();

    Optional<PeerInfo> peer(String host);

    /** The settings of every configured peer (not those accepted through {@code acceptUnknownPeers}). */
    default List<PeerConfig> peerConfigs() {
        return List.of();
    }

    /**
     * TLS connections and peers refused so far, by reason: {@code no_trust_store}, {@code no_key_store} (a TLS peer or
     * listener on a node without them), {@code name_mismatch} (the certificate does not name the peer's
     * DiameterIdentity), {@code handshake_failed}, {@code tcp_for_tls_peer} (a TLS peer's CER over TCP).
     */
    default Map<String, Long> tlsRefusals() {
        return Map.of();
    }

    /**
     * Requests dropped so far by DOIC loss abatement (RFC 7683), by reporting node and application: each failed with
     * {@link DiameterRequestException.Reason#OVERLOADED} without leaving this node.
     */
    default Map<OverloadAbatedKey, Long> overloadAbated() {
        return Map.of();
    }

    /** Requests, errors and answer times per peer (requests this node sent), by peer host. */
    default List<PeerTraffic> peerTraffic() {
        return List.of();
    }

    /** Snapshot of {@code diameter_message_count{application,command,direction}}. */
    Map<MessageCountKey, Long> messageCounts();

    /** Sees every message in and out (for metrics or tracing). */
    Registration addMessageListener(MessageListener listener);
}
