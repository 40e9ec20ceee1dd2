package org.opentwag.ocssim.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.opentwag.api.check.Finding;
import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.PeerConfig;

/** The OCS simulator's findings: listening beyond this host, and running beside a real OCS. */
class OcsSimulatorSafetyCheckTest {
    private static final String REALM = "epc.mnc001.mcc001.3gppnetwork.org";
    private static final List<PeerConfig> SHIPPED = List.of(
            PeerConfig.connectTo("hss.epc.mnc001.mcc001.3gppnetwork.org", REALM, "127.0.0.1", 3869)
                    .withApplications(Set.of(ApplicationId.SWX.id())),
            PeerConfig.connectTo("ocs.localdomain", REALM, "127.0.0.1", 3870).withApplications(Set.of(ApplicationId.GY.id())));

    @Test
    void theShippedSetupHasNothingToReport() {
        assertThat(OcsSimulatorSafetyCheck.findings(true, "127.0.0.1", 3870, "twag.localdomain", SHIPPED)).isEmpty();
        assertThat(OcsSimulatorSafetyCheck.findings(true, "::1", 3870, "twag.localdomain", SHIPPED)).isEmpty();
    }

    @Test
    void listeningOnAnotherAddressIsUnsafe() {
        assertThat(OcsSimulatorSafetyCheck.findings(true, "192.168.1.10", 3870, "twag.localdomain", SHIPPED))
                .singleElement().satisfies(x -> {
                    assertThat(x.severity()).isEqualTo(Finding.Severity.UNSAFE);
                    assertThat(x.problem()).contains("192.168.1.10:3870");
                });
    }

    @Test
    void aRealOcsBesideTheSimulatorIsReportedButARealHssIsNotItsBusiness() {
        List<PeerConfig> peers = List.of(
                PeerConfig.connectTo("hss1.operator.example", REALM, "10.20.0.5", 3868).withApplications(Set.of(ApplicationId.SWX.id())),
                PeerConfig.connectTo("ocs1.operator.example", REALM, "ocs1.operator.example", 3868)
                        .withApplications(Set.of(ApplicationId.GY.id())));
        assertThat(OcsSimulatorSafetyCheck.findings(true, "127.0.0.1", 3870, "twag.localdomain", peers))
                .singleElement().satisfies(x -> {
                    assertThat(x.severity()).isEqualTo(Finding.Severity.WARNING);
                    assertThat(x.problem()).contains("ocs1.operator.example");
                });
        assertThat(OcsSimulatorSafetyCheck.findings(false, "127.0.0.1", 3870, "twag.localdomain", peers)).isEmpty();
    }
}
