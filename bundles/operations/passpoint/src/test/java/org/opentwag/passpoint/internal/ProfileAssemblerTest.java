package org.opentwag.passpoint.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentwag.passpoint.Finding;
import org.opentwag.passpoint.PasspointProfile;
import org.opentwag.passpoint.PasspointValidator;

class ProfileAssemblerTest {

    @Test
    void shippedConfigurationIsConsistentWithTheShippedTwag() {
        ProfileAssembler.Result r = new ProfileAssembler(() -> "192.0.2.10").assemble(ShippedConfig.sources());
        PasspointProfile p = r.profile();
        assertThat(p.plmns()).hasToString("[001-01]");
        assertThat(p.effectiveRealms()).containsExactly("wlan.mnc001.mcc001.3gppnetwork.org");
        assertThat(p.radiusAddress()).isEqualTo("192.0.2.10");
        assertThat(p.authPort()).isEqualTo(1812);
        assertThat(p.acctPort()).isEqualTo(1813);
        assertThat(p.dasPort()).isEqualTo(3799);
        assertThat(p.eapTypes()).containsExactly(50, 23);
        assertThat(r.twag().realms()).contains("epc.mnc001.mcc001.3gppnetwork.org");
        assertThat(r.twag().radiusSecrets()).hasSize(1);
        List<Finding> findings = PasspointValidator.validate(p, r.twag());
        assertThat(findings).as("the defaults must not ship a mistake").isEmpty();
        assertThat(r.derived()).singleElement().satisfies(f -> assertThat(f.code()).isEqualTo(Finding.Code.DERIVED_VALUE));
    }

    @Test
    void emptyValuesComeFromTheTwagsOwnSettings() {
        ProfileAssembler.Sources shipped = ShippedConfig.sources();
        Map<String, Object> radius = new HashMap<>(shipped.radius());
        radius.put("bindAddress", "10.1.2.3");
        radius.put("authPort", "11812");
        radius.put("acctPort", "11813");
        Map<String, Object> client = new HashMap<>(shipped.radiusClients().get(0));
        client.put("dasPort", "13799");
        Map<String, Object> aka = new HashMap<>(shipped.eapAka());
        aka.put("akaPrimeEnabled", "false");
        ProfileAssembler.Result r = new ProfileAssembler(() -> "unused").assemble(new ProfileAssembler.Sources(
                shipped.passpoint(), radius, List.of(client), shipped.diameter(), shipped.swx(), aka));
        PasspointProfile p = r.profile();
        assertThat(p.radiusAddress()).isEqualTo("10.1.2.3");
        assertThat(p.authPort()).isEqualTo(11812);
        assertThat(p.acctPort()).isEqualTo(11813);
        assertThat(p.dasPort()).isEqualTo(13799);
        // eapMethods = auto follows the TWAG: AKA' off there means no 50 advertised and an AKA Android credential.
        assertThat(p.eapTypes()).containsExactly(23);
        assertThat(p.androidEapType()).isEqualTo(23);
        assertThat(r.derived()).singleElement().satisfies(f -> assertThat(f.message()).contains("10.1.2.3"));
    }

    @Test
    void explicitMethodsDisagreeingWithTheTwagAreReported() {
        ProfileAssembler.Sources shipped = ShippedConfig.sources();
        Map<String, Object> own = new HashMap<>(shipped.passpoint());
        own.put("eapMethods", "aka");
        own.put("radiusAddress", "10.1.2.3");
        ProfileAssembler.Result r = new ProfileAssembler().assemble(new ProfileAssembler.Sources(own, shipped.radius(),
                shipped.radiusClients(), shipped.diameter(), shipped.swx(), shipped.eapAka()));
        assertThat(PasspointValidator.validate(r.profile(), r.twag())).extracting(Finding::code)
                .containsExactly(Finding.Code.MISSING_EAP_AKA_PRIME);
    }
}
