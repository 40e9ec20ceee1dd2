package org.opentwag.dashboard.osgi;

import java.util.List;
import java.util.Set;

import org.opentwag.dashboard.rest.PeerView;
import org.opentwag.diameter.stack.DiameterService;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.diameter.stack.PeerTraffic;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Publishes the default Diameter node's peers as {@link PeerDirectory} while that node runs. */
@Component(service = PeerDirectory.class)
public class DiameterPeerDirectory implements PeerDirectory {

    private final DiameterService diameter;

    @Activate
    public DiameterPeerDirectory(@Reference(target = "(diameter.node=default)") DiameterService diameter) {
        this.diameter = diameter;
    }

    @Override
    public List<PeerView> peers() {
        Map<String, PeerTraffic> traffic = new HashMap<>();
        diameter.peerTraffic().forEach(t -> traffic.put(t.host().toLowerCase(Locale.ROOT), t));
        return diameter.peers().stream().map(p -> view(p, traffic.get(p.host().toLowerCase(Locale.ROOT)))).toList();
    }

    static PeerView view(PeerInfo p, PeerTraffic t) {
        return new PeerView(p.host(), p.realm(), p.address(), p.port(),
                p.transport() == null ? null : p.transport().name(),
                p.role() == null ? null : p.role().name(),
                p.isOpen() ? "Connected" : (p.state() == null ? "Unknown" : p.state().name()),
                p.isOpen(), p.since() == null ? null : p.since().toString(), p.productName(),
                sorted(p.advertisedApplications()), sorted(p.commonApplications()), p.defaultRoute(),
                p.pendingRequests(), t == null ? 0L : t.requests(), t == null ? 0L : t.errors(),
                t == null || Double.isNaN(t.p50Millis()) ? null : t.p50Millis(),
                t == null || Double.isNaN(t.p99Millis()) ? null : t.p99Millis());
    }

    private static List<Long> sorted(Set<Long> ids) {
        return ids == null ? List.of() : ids.stream().sorted().toList();
    }
}
