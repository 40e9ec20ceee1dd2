package org.opentwag.dashboard.osgi;

import java.util.List;
import java.util.Set;

import org.opentwag.dashboard.rest.PeerView;
import org.opentwag.diameter.stack.DiameterService;
import org.opentwag.diameter.stack.PeerInfo;
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
        return diameter.peers().stream().map(DiameterPeerDirectory::view).toList();
    }

    static PeerView view(PeerInfo p) {
        return new PeerView(p.host(), p.realm(), p.address(), p.port(),
                p.transport() == null ? null : p.transport().name(),
                p.role() == null ? null : p.role().name(),
                p.isOpen() ? "Connected" : (p.state() == null ? "Unknown" : p.state().name()),
                p.isOpen(), p.since() == null ? null : p.since().toString(), p.productName(),
                sorted(p.advertisedApplications()), sorted(p.commonApplications()), p.defaultRoute(),
                p.pendingRequests());
    }

    private static List<Long> sorted(Set<Long> ids) {
        return ids == null ? List.of() : ids.stream().sorted().toList();
    }
}
