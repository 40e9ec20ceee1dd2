package org.opentwag.diameter.stack.internal.osgi;

import java.util.ArrayList;
import java.util.List;
import org.opentwag.api.check.Finding;
import org.opentwag.api.check.SafetyCheck;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.diameter.stack.Transport;
import org.opentwag.diameter.stack.internal.TlsContexts;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * What {@code twag:check} says about the Diameter node of PID {@code org.opentwag.diameter}: TLS asked for (a TLS
 * peer or listener) on a node that refuses it for want of a trust store or key store, and peers on other hosts
 * reached over plain TCP, where SWx answers carry CK/IK in clear (RFC 6733 13: not without TLS, DTLS or IPsec).
 */
@Component(service = SafetyCheck.class)
public class DiameterSafetyCheck implements SafetyCheck {
    static final String NODE_FILE = "etc/org.opentwag.diameter.cfg";

    private final DiameterNode node;

    @Activate
    public DiameterSafetyCheck(@Reference(target = "(diameter.node=default)") DiameterNode node) {
        this.node = node;
    }

    @Override
    public List<Finding> findings() {
        return findings(node.config(), node.peerConfigs());
    }

    static List<Finding> findings(NodeConfig config, List<PeerConfig> peers) {
        List<Finding> out = new ArrayList<>();
        TlsContexts.Refusal refusal = TlsContexts.refusal(config.tls());
        String remedy = refusal != null && TlsContexts.NO_TRUST_STORE.equals(refusal.reason())
                ? "set tlsTrustStore (and .tlsTrustStorePassword) in " + NODE_FILE + " to a PKCS12 or JKS store holding "
                        + "the CA that signs the peers' certificates"
                : "set tlsKeyStore (our certificate and key, SAN dNSName = originHost) and tlsTrustStore (the peers' CA) in "
                        + NODE_FILE;
        if (refusal != null && config.tlsListenPort() >= 0) {
            out.add(Finding.warning("diameter", "The Diameter TLS listener (port " + config.tlsListenPort()
                    + ") is not started: " + refusal.message() + ".", remedy));
        }
        for (PeerConfig p : peers) {
            if (p.transport() == Transport.TLS && refusal != null) {
                out.add(Finding.warning("diameter", "Diameter peer " + p.host() + " is configured for TLS but the node "
                        + "refuses TLS with it: " + refusal.message() + ".", remedy));
            } else if (p.transport() == Transport.TCP && p.initiateConnection() && !p.addressIsLoopback()) {
                out.add(Finding.warning("diameter", "Diameter peer " + p.host() + " at " + p.address() + " is reached "
                        + "over plain TCP: its answers (SWx authentication vectors with CK/IK) cross the network in clear.",
                        "transport = tls in its etc/org.opentwag.diameter.peer-<name>.cfg (with tlsKeyStore and "
                                + "tlsTrustStore in " + NODE_FILE + "), or IPsec between the two hosts"));
            }
        }
        return out;
    }
}
