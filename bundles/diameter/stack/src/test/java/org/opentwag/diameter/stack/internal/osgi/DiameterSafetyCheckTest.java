package org.opentwag.diameter.stack.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentwag.api.check.Finding;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.diameter.stack.TlsSettings;
import org.opentwag.diameter.stack.Transport;

/** What twag:check reports about the Diameter node's TLS and its peers' transports. */
class DiameterSafetyCheckTest {
    private static final String REALM = "epc.mnc001.mcc001.3gppnetwork.org";

    private static NodeConfig node(TlsSettings tls, int tlsListenPort) {
        return NodeConfig.builder("twag.localdomain", REALM).tls(tls).tlsListenPort(tlsListenPort).build();
    }

    @Test
    void theShippedSetupHasNothingToReport() {
        List<PeerConfig> peers = List.of(PeerConfig.connectTo("hss.localdomain", REALM, "127.0.0.1", 3869),
                PeerConfig.connectTo("ocs.localdomain", REALM, "localhost", 3870));
        assertThat(DiameterSafetyCheck.findings(node(null, -1), peers)).isEmpty();
    }

    @Test
    void aTlsPeerOnANodeWithoutTrustStoreIsReported() {
        TlsSettings keyStoreOnly = new TlsSettings("/etc/twag.p12", "x", "", "");
        List<Finding> findings = DiameterSafetyCheck.findings(node(keyStoreOnly, 5658), List.of(
                PeerConfig.connectTo("hss.example", REALM, "10.0.0.5", 5658).withTransport(Transport.TLS)));
        assertThat(findings).hasSize(2).allMatch(f -> f.severity() == Finding.Severity.WARNING && f.area().equals("diameter"));
        assertThat(findings.get(0).problem()).contains("TLS listener (port 5658) is not started", "no trust store");
        assertThat(findings.get(1).problem()).contains("hss.example is configured for TLS", "no trust store");
        assertThat(findings.get(1).remedy()).contains("tlsTrustStore", "etc/org.opentwag.diameter.cfg");
        assertThat(findings.get(1).toString()).doesNotContain("\"x\"");
    }

    @Test
    void aTlsPeerWithBothStoresIsFineAndARemoteTcpPeerIsReported() {
        TlsSettings both = new TlsSettings("/etc/twag.p12", "x", "/etc/peers-ca.p12", "y");
        List<Finding> findings = DiameterSafetyCheck.findings(node(both, 5658), List.of(
                PeerConfig.connectTo("hss.example", REALM, "10.0.0.5", 5658).withTransport(Transport.TLS),
                PeerConfig.connectTo("dra.example", REALM, "dra.example", 3868)));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.problem()).contains("dra.example", "plain TCP", "CK/IK");
            assertThat(f.remedy()).contains("transport = tls", "IPsec");
        });
    }
}
