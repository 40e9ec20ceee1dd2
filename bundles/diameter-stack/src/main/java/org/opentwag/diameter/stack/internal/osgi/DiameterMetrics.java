package org.opentwag.diameter.stack.internal.osgi;

import java.util.LinkedHashMap;
import java.util.Map;

import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.diameter.stack.DiameterService;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.diameter.stack.PeerState;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The guide's {@code diameter_message_count{application,command,direction}} and the peers' states, for Prometheus. */
@Component(service = MetricsSource.class)
public class DiameterMetrics implements MetricsSource {

    @Reference(target = "(diameter.node=default)")
    private DiameterService diameter;

    @Override
    public Map<String, String> help() {
        return Map.of("diameter_message_count", "Diameter messages by application, command and direction",
                "diameter_peer_open", "1 when the Diameter peer is OPEN, else 0");
    }

    @Override
    public Map<String, Number> values() {
        Map<String, Number> v = new LinkedHashMap<>();
        diameter.messageCounts().forEach((k, n) -> v.put("diameter_message_count{application=\"" + k.application()
                + "\",command=\"" + k.command() + "\",direction=\"" + k.direction() + "\"}", n));
        for (PeerInfo p : diameter.peers()) {
            v.put("diameter_peer_open{peer=\"" + p.host() + "\"}", p.state() == PeerState.OPEN ? 1 : 0);
        }
        return v;
    }

    @Override
    public Kind kind(String metricName) {
        return metricName.equals("diameter_peer_open") ? Kind.GAUGE : Kind.COUNTER;
    }
}
