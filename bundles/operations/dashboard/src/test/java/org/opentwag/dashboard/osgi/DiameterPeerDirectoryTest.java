package org.opentwag.dashboard.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.opentwag.dashboard.rest.PeerView;
import org.opentwag.diameter.stack.ConnectionRole;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.diameter.stack.PeerState;
import org.opentwag.diameter.stack.Transport;

class DiameterPeerDirectoryTest {

    @Test
    void openPeerShowsAsConnectedWithSortedApplications() {
        // 16777265 = SWx (TS 29.273), 4 = Diameter Credit-Control (RFC 4006).
        PeerInfo p = new PeerInfo("hss.lab", "lab.3gppnetwork.org", "127.0.0.1", 3868, Transport.TCP,
                ConnectionRole.INITIATOR, PeerState.OPEN, Instant.parse("2025-03-01T11:00:00Z"), "OpenTWAG HSS",
                Set.of(16777265L, 4L), Set.of(16777265L), false, true, 2);
        PeerView v = DiameterPeerDirectory.view(p, null);
        assertThat(v.status()).isEqualTo("Connected");
        assertThat(v.connected()).isTrue();
        assertThat(v.transport()).isEqualTo("TCP");
        assertThat(v.initiation()).isEqualTo("INITIATOR");
        assertThat(v.since()).isEqualTo("2025-03-01T11:00:00Z");
        assertThat(v.advertisedApplications()).containsExactly(4L, 16777265L);
        assertThat(v.pendingRequests()).isEqualTo(2);
    }

    @Test
    void closedPeerBeforeCapabilitiesExchange() {
        PeerInfo p = new PeerInfo("ocs.lab", "lab", "10.0.0.5", 3868, Transport.TLS, null, PeerState.CLOSED, null,
                null, null, null, false, true, 0);
        PeerView v = DiameterPeerDirectory.view(p, null);
        assertThat(v.status()).isEqualTo("CLOSED");
        assertThat(v.connected()).isFalse();
        assertThat(v.initiation()).isNull();
        assertThat(v.advertisedApplications()).isEmpty();
    }
}
