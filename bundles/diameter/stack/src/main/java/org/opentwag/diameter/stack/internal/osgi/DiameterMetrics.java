package org.opentwag.diameter.stack.internal.osgi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.diameter.stack.DiameterService;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.diameter.stack.PeerTraffic;
import org.opentwag.diameter.stack.PeerState;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The guide's {@code diameter_message_count{application,command,direction}} and the peers' states, for Prometheus. */
@Component(service = MetricsSource.class)
public class DiameterMetrics implements MetricsSource {
    /** Listed even at zero, so that a rate or an alert has a series from the start. */
    private static final List<String> TLS_REFUSAL_REASONS = List.of("no_trust_store", "no_key_store", "name_mismatch",
            "handshake_failed", "tcp_for_tls_peer");

    @Reference(target = "(diameter.node=default)")
    private DiameterService diameter;

    @Override
    public Map<String, String> help() {
        return Map.of("diameter_message_count", "Diameter messages by application, command and direction",
                "diameter_peer_open", "1 when the Diameter peer is OPEN, else 0",
                "diameter_overload_abated_count", "Requests dropped by DOIC loss abatement (RFC 7683), by reporting "
                        + "host or realm and application",
                "diameter_peer_request_count", "Requests this node sent to the peer and that were answered or timed out",
                "diameter_peer_error_count", "Of those, answers with a result code outside 2xxx and timeouts",
                "diameter_peer_latency_seconds", "Answer time of the peer's requests: median and 99th percentile since "
                        + "start (quantile 0.5, 0.99)",
                "diameter_tls_refused_count", "Diameter TLS peers and connections refused, by reason (no_trust_store, "
                        + "no_key_store, name_mismatch, handshake_failed, tcp_for_tls_peer)");
    }

    @Override
    public Map<String, Number> values() {
        Map<String, Number> v = new LinkedHashMap<>();
        diameter.messageCounts().forEach((k, n) -> v.put("diameter_message_count{application=\"" + k.application()
                + "\",command=\"" + k.command() + "\",direction=\"" + k.direction() + "\"}", n));
        Map<String, Long> refused = diameter.tlsRefusals();
        for (String reason : TLS_REFUSAL_REASONS) {
            v.put("diameter_tls_refused_count{reason=\"" + reason + "\"}", refused.getOrDefault(reason, 0L));
        }
        // The peer label comes from a foreign answer's Origin-Host/Origin-Realm: keep it a valid label value.
        diameter.overloadAbated().forEach((k, n) -> v.put("diameter_overload_abated_count{peer=\"" + label(k.peer())
                + "\",application=\"" + k.application() + "\"}", n));
        for (PeerInfo p : diameter.peers()) {
            v.put("diameter_peer_open{peer=\"" + p.host() + "\"}", p.state() == PeerState.OPEN ? 1 : 0);
        }
        for (PeerTraffic t : diameter.peerTraffic()) {
            String peer = "{peer=\"" + t.host() + "\"";
            v.put("diameter_peer_request_count" + peer + "}", t.requests());
            v.put("diameter_peer_error_count" + peer + "}", t.errors());
            if (!Double.isNaN(t.p50Millis())) {
                v.put("diameter_peer_latency_seconds" + peer + ",quantile=\"0.5\"}", t.p50Millis() / 1000);
                v.put("diameter_peer_latency_seconds" + peer + ",quantile=\"0.99\"}", t.p99Millis() / 1000);
            }
        }
        return v;
    }

    private static String label(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public Kind kind(String metricName) {
        return metricName.equals("diameter_peer_open") || metricName.equals("diameter_peer_latency_seconds")
                ? Kind.GAUGE : Kind.COUNTER;
    }
}
