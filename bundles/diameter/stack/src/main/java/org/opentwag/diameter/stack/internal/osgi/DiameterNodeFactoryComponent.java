package org.opentwag.diameter.stack.internal.osgi;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.DiameterNodeFactory;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.internal.ForwardingDiameterNode;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/** Creates extra nodes (HSS or OCS simulators); closes those still open when this bundle stops. */
@Component(service = DiameterNodeFactory.class)
public class DiameterNodeFactoryComponent implements DiameterNodeFactory {
    private final Set<DiameterNode> created = ConcurrentHashMap.newKeySet();

    @Override
    public DiameterNode create(NodeConfig config) {
        DiameterNode node = DiameterNode.create(config);
        DiameterNode tracked = new ForwardingDiameterNode(node) {
            @Override
            public void close() {
                created.remove(this);
                super.close();
            }
        };
        created.add(tracked);
        return tracked;
    }

    @Deactivate
    void deactivate() {
        for (DiameterNode node : Set.copyOf(created)) {
            node.close();
        }
    }
}
