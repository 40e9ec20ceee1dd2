package org.opentwag.diameter.stack.internal.osgi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.DiameterService;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.TlsSettings;
import org.opentwag.diameter.stack.internal.ForwardingDiameterNode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The node of PID {@code org.opentwag.diameter}, registered as {@link DiameterService} (and as
 * {@link DiameterNode} for the peer components) with {@code diameter.node=default}. A changed
 * configuration restarts the node: DS deactivates and activates it, and the peers follow.
 */
@Component(service = {DiameterService.class, DiameterNode.class}, configurationPid = "org.opentwag.diameter",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = "diameter.node=default")
@Designate(ocd = NodeConfiguration.class)
public class DiameterNodeComponent extends ForwardingDiameterNode {

    @Activate
    public DiameterNodeComponent(NodeConfiguration c) {
        super(DiameterNode.create(toNodeConfig(c)));
    }

    @Deactivate
    void deactivate() {
        close();
    }

    static NodeConfig toNodeConfig(NodeConfiguration c) {
        List<ApplicationId> apps = new ArrayList<>();
        for (String a : ConfigValues.list(c.applications())) {
            apps.add(ApplicationId.parse(a));
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (String a : ConfigValues.list(new String[] {c.hostIpAddresses()})) {
            try {
                addresses.add(InetAddress.getByName(a));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("hostIpAddresses: '" + a + "' is not an address", e);
            }
        }
        NodeConfig.Builder b = NodeConfig.builder(c.originHost(), c.originRealm())
                .hostAddresses(addresses)
                .applications(apps)
                .productName(c.productName())
                .vendorId(c.vendorId())
                .watchdogInterval(Duration.ofSeconds(c.watchdogSeconds()))
                .requestTimeout(Duration.ofMillis(c.requestTimeoutMillis()))
                .connectTimeout(Duration.ofMillis(c.connectTimeoutMillis()))
                .reconnectDelay(Duration.ofMillis(c.reconnectMinMillis()), Duration.ofMillis(c.reconnectMaxMillis()))
                .acceptUnknownPeers(c.acceptUnknownPeers())
                .duplicateWindow(Duration.ofSeconds(c.duplicateWindowSeconds()))
                .workerThreads(Math.max(1, c.workerThreads()));
        if (c.listenPort() > 0) {
            b.listen(c.listenAddress(), c.listenPort());
        }
        if (!c.tlsKeyStore().isBlank() || !c.tlsTrustStore().isBlank()) {
            b.tls(new TlsSettings(c.tlsKeyStore(), c._tlsKeyStorePassword(), c.tlsTrustStore(), c._tlsTrustStorePassword()));
        }
        if (c.tlsListenPort() > 0) {
            // Without a key store and a trust store the node logs, counts and reports why it does not listen.
            b.tlsListenPort(c.tlsListenPort());
        }
        return b.build();
    }
}
