package org.opentwag.diameter.stack.internal.osgi;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.diameter.stack.Transport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One peer per factory configuration {@code org.opentwag.diameter.peer-<name>}: adding, changing or
 * deleting the file connects, reconnects or disconnects the peer without restarting the node.
 */
@Component(service = {}, configurationPid = "org.opentwag.diameter.peer", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = PeerConfiguration.class, factory = true)
public class DiameterPeerComponent {
    private final DiameterNode node;
    private volatile String host;

    @Activate
    public DiameterPeerComponent(@Reference(target = "(diameter.node=default)") DiameterNode node,
                                 PeerConfiguration config, Map<String, Object> properties) {
        this.node = node;
        apply(config, properties);
    }

    @Modified
    void modified(PeerConfiguration config, Map<String, Object> properties) {
        apply(config, properties);
    }

    @Deactivate
    void deactivate() {
        String h = host;
        if (h != null) {
            node.removePeer(h);
        }
    }

    private void apply(PeerConfiguration c, Map<String, Object> properties) {
        PeerConfig peer = toPeerConfig(c, properties);
        String previous = host;
        if (previous != null && !previous.equalsIgnoreCase(peer.host())) {
            node.removePeer(previous);
        }
        host = peer.host();
        node.addPeer(peer);
    }

    static PeerConfig toPeerConfig(PeerConfiguration c, Map<String, Object> properties) {
        Set<Long> apps = new HashSet<>();
        for (String a : ConfigValues.list(c.applications())) {
            apps.add(ApplicationId.parse(a).id());
        }
        boolean defaultRoute = c.defaultRoute() || ConfigValues.flag(properties.get("default"), false);
        return new PeerConfig(c.host().trim(), c.realm().isBlank() ? null : c.realm().trim(),
                c.address().isBlank() ? null : c.address().trim(), c.port(), Transport.parse(c.transport()),
                c.initiateConnection(), apps, defaultRoute);
    }
}
