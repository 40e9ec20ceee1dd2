package org.opentwag.hsssim.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.opentwag.api.check.Finding;
import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.PeerConfig;

/** The HSS simulator's findings: listening beyond this host, and running beside a real HSS. */
class HssSimulatorSafetyCheckTest {
    private static final String REALM = "epc.mnc001.mcc001.3gppnetwork.org";
    /** etc/org.opentwag.diameter.peer-hss.cfg and peer-ocs.cfg as shipped. */
    private static final List<PeerConfig> SHIPPED = List.of(
            PeerConfig.connectTo("hss.epc.mnc001.mcc001.3gppnetwork.org", REALM, "127.0.0.1", 3869)
                    .withApplications(Set.of(ApplicationId.SWX.id())),
            PeerConfig.connectTo("ocs.localdomain", REALM, "127.0.0.1", 3870).withApplications(Set.of(ApplicationId.GY.id())));

    @Test
    void theShippedSetupHasNothingToReport() {
        assertThat(HssSimulatorSafetyCheck.findings(true, "127.0.0.1", 3869, "twag.localdomain", SHIPPED)).isEmpty();
    }

    @Test
    void listeningOnEveryInterfaceIsUnsafe() {
        List<Finding> f = HssSimulatorSafetyCheck.findings(true, "0.0.0.0", 3869, "twag.localdomain", SHIPPED);
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Finding.Severity.UNSAFE);
            assertThat(x.problem()).contains("0.0.0.0:3869", "twag.localdomain", "published");
            assertThat(x.remedy()).contains("listenAddress = 127.0.0.1", "etc/org.opentwag.hsssim.cfg");
        });
    }

    @Test
    void aRealHssBesideTheSimulatorIsReportedButARealOcsIsNotItsBusiness() {
        List<PeerConfig> peers = List.of(
                PeerConfig.connectTo("hss1.operator.example", REALM, "10.20.0.5", 3868).withApplications(Set.of(ApplicationId.SWX.id())),
                PeerConfig.connectTo("ocs1.operator.example", REALM, "10.20.0.6", 3868).withApplications(Set.of(ApplicationId.GY.id())),
                PeerConfig.acceptFrom("client.operator.example", REALM));
        List<Finding> f = HssSimulatorSafetyCheck.findings(true, "127.0.0.1", 3869, "twag.localdomain", peers);
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(x.problem()).contains("hss1.operator.example", "10.20.0.5");
            assertThat(x.remedy()).contains("enabled = false");
        });
        // A DRA with no application list carries SWx too.
        assertThat(HssSimulatorSafetyCheck.findings(true, "127.0.0.1", 3869, "twag.localdomain",
                List.of(PeerConfig.connectTo("dra.operator.example", REALM, "dra.operator.example", 3868)))).hasSize(1);
        assertThat(HssSimulatorSafetyCheck.findings(false, "0.0.0.0", 3869, "twag.localdomain", peers)).isEmpty();
    }
}
