package org.opentwag.diameter.stack.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.DiameterNode;
import org.opentwag.diameter.stack.NodeConfig;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.diameter.stack.PeerState;
import org.opentwag.diameter.stack.Transport;

/** The Config Admin mapping and the peer component's add/modify/remove, without a framework. */
class ConfigurationComponentsTest {

    /** What DS hands a component: the annotation's defaults overridden by the configuration's values. */
    @SuppressWarnings("unchecked")
    static <A> A configuration(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String key = method.getName().startsWith("_") ? "." + method.getName().substring(1) : method.getName();
            Object v = values.get(key);
            return v != null ? v : method.getDefaultValue();
        });
    }

    @Test
    void nodeDefaultsFollowTheGuide() {
        NodeConfig c = DiameterNodeComponent.toNodeConfig(configuration(NodeConfiguration.class, Map.of()));
        assertThat(c.originHost()).isEqualTo("twag.localdomain");
        assertThat(c.originRealm()).isEqualTo("epc.mnc001.mcc001.3gppnetwork.org");
        assertThat(c.listen()).isTrue();
        assertThat(c.listenAddress()).isEqualTo("127.0.0.1");
        assertThat(c.listenPort()).isEqualTo(3868);
        assertThat(c.watchdogInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofMillis(2000));
        assertThat(c.productName()).isEqualTo("OpenTWAG");
        assertThat(c.applications()).containsExactly(ApplicationId.SWX, ApplicationId.GY);
        assertThat(c.tls()).isNull();
    }

    @Test
    void listenPortZeroMeansNoListenerAndListsMaySplitOnCommas() {
        NodeConfig c = DiameterNodeComponent.toNodeConfig(configuration(NodeConfiguration.class, Map.of(
                "listenPort", 0, "applications", new String[] {"swx, 4"}, "hostIpAddresses", "10.0.0.1,10.0.0.2",
                "tlsKeyStore", "/x/node.p12", ".tlsKeyStorePassword", "s3cret")));
        assertThat(c.listen()).isFalse();
        assertThat(c.applications()).containsExactly(ApplicationId.SWX, ApplicationId.GY);
        assertThat(c.hostAddresses()).hasSize(2);
        assertThat(c.tls().keyStorePassword()).isEqualTo("s3cret");
        assertThat(c.tls().toString()).doesNotContain("s3cret");
    }

    @Test
    void aTrustStoreOrATlsPortAloneStillReachesTheNodeWhichThenSaysWhatIsMissing() {
        NodeConfig c = DiameterNodeComponent.toNodeConfig(configuration(NodeConfiguration.class, Map.of(
                "tlsTrustStore", "/x/peers-ca.p12", "tlsListenPort", 5658)));
        assertThat(c.tls().trustStorePath()).isEqualTo("/x/peers-ca.p12");
        assertThat(c.tls().keyStorePath()).isEmpty();
        assertThat(c.tlsListenPort()).isEqualTo(5658);
        assertThat(org.opentwag.diameter.stack.internal.TlsContexts.refusal(c.tls()).reason()).isEqualTo("no_key_store");
    }

    @Test
    void peerConfigurationMapsTheGuideFields() {
        PeerConfig p = DiameterPeerComponent.toPeerConfig(configuration(PeerConfiguration.class, Map.of(
                "host", "hss.example", "realm", "epc.example", "address", "10.1.1.1", "transport", "TLS",
                "applications", new String[] {"swx"})), Map.of("default", "true"));
        assertThat(p.host()).isEqualTo("hss.example");
        assertThat(p.port()).isEqualTo(3868);
        assertThat(p.transport()).isEqualTo(Transport.TLS);
        assertThat(p.initiateConnection()).isTrue();
        assertThat(p.applications()).containsExactly(16777265L);
        assertThat(p.defaultRoute()).isTrue();
        assertThatThrownBy(() -> DiameterPeerComponent.toPeerConfig(configuration(PeerConfiguration.class,
                Map.of("host", "h", "address", "a", "transport", "sctp")), Map.of()))
                .hasMessageContaining("sctp");
        assertThatThrownBy(() -> DiameterPeerComponent.toPeerConfig(configuration(PeerConfiguration.class,
                Map.of("host", "h")), Map.of()))
                .hasMessageContaining("address");
    }

    @Test
    void peerComponentAddsChangesAndRemovesPeersAtRuntime() {
        try (DiameterNode hss = DiameterNode.create(NodeConfig.builder("hss.localdomain", "r").applications(ApplicationId.SWX)
                .listen("127.0.0.1", 0).build());
             DiameterNode twag = DiameterNode.create(NodeConfig.builder("twag.localdomain", "r").applications(ApplicationId.SWX)
                     .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(200)).build())) {
            hss.addPeer(PeerConfig.acceptFrom("twag.localdomain", "r"));
            int port = hss.listenAddress().orElseThrow().getPort();
            Map<String, Object> values = Map.of("host", "hss.localdomain", "realm", "r", "address", "127.0.0.1", "port", port);
            DiameterPeerComponent component = new DiameterPeerComponent(twag,
                    configuration(PeerConfiguration.class, values), values);
            awaitOpen(twag, "hss.localdomain");

            Map<String, Object> changed = Map.of("host", "hss.localdomain", "realm", "other", "address", "127.0.0.1", "port", port);
            component.modified(configuration(PeerConfiguration.class, changed), changed);
            awaitOpen(twag, "hss.localdomain");
            assertThat(twag.peer("hss.localdomain").orElseThrow().realm()).isEqualTo("other");

            component.deactivate();
            assertThat(twag.peers()).isEmpty();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (hss.peer("twag.localdomain").orElseThrow().state() != PeerState.CLOSED && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(hss.peer("twag.localdomain").orElseThrow().state()).isEqualTo(PeerState.CLOSED);
        }
    }

    private static void awaitOpen(DiameterNode node, String peer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (node.peer(peer).map(p -> p.state() == PeerState.OPEN).orElse(false)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(peer + " not OPEN at " + node.originHost());
    }
}
