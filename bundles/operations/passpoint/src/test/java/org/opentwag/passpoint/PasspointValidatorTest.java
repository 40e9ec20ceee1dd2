package org.opentwag.passpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentwag.passpoint.Finding.Code;
import org.opentwag.passpoint.Finding.Severity;

class PasspointValidatorTest {

    private static Map<Code, List<Finding>> check(PasspointProfile p, TwagSettings t) {
        return PasspointValidator.byCode(PasspointValidator.validate(p, t));
    }

    @Test
    void aConsistentProfileHasNoFindings() {
        PasspointProfile p = Profiles.operator().build();
        assertThat(PasspointValidator.validate(p, Profiles.twag505())).isEmpty();
    }

    @Test
    void emptyPlmnList() {
        PasspointProfile p = Profiles.operator().plmns().build();
        Map<Code, List<Finding>> f = check(p, TwagSettings.unknown());
        assertThat(f).containsKey(Code.EMPTY_PLMN_LIST);
        assertThat(f.get(Code.EMPTY_PLMN_LIST).get(0).severity()).isEqualTo(Severity.ERROR);
    }

    @Test
    void hssRealmWhosePlmnIsNotAdvertised() {
        PasspointProfile p = Profiles.operator().plmns("310-026").build();
        List<Finding> f = check(p, Profiles.twag505()).get(Code.REALM_PLMN_MISMATCH);
        assertThat(f).anySatisfy(x -> {
            assertThat(x.severity()).isEqualTo(Severity.ERROR);
            assertThat(x.message()).contains("epc.mnc057.mcc505.3gppnetwork.org");
        });
    }

    @Test
    void realmOfAPlmnThatIsNotAdvertisedAndPlmnWithoutItsRealm() {
        PasspointProfile p = Profiles.operator().plmns("505-57")
                .realms(List.of("wlan.mnc026.mcc310.3gppnetwork.org")).build();
        List<Finding> f = check(p, Profiles.twag505()).get(Code.REALM_PLMN_MISMATCH);
        assertThat(f).extracting(Finding::message)
                .anySatisfy(m -> assertThat(m).contains("wlan.mnc026.mcc310").contains("not in plmns"))
                .anySatisfy(m -> assertThat(m).contains("505-57").contains("wlan.mnc057.mcc505.3gppnetwork.org"));
    }

    @Test
    void mncWrittenTwoWaysAndRealmWithUnpaddedMnc() {
        PasspointProfile both = Profiles.operator().plmns("505-57", "505-057").build();
        assertThat(check(both, Profiles.twag505()).get(Code.MNC_PADDING)).singleElement()
                .satisfies(x -> assertThat(x.message()).contains("505-57").contains("505-057"));

        PasspointProfile unpadded = Profiles.operator().plmns("505-57")
                .realms(List.of("wlan.mnc57.mcc505.3gppnetwork.org")).build();
        assertThat(check(unpadded, Profiles.twag505()).get(Code.MNC_PADDING)).singleElement()
                .satisfies(x -> {
                    assertThat(x.severity()).isEqualTo(Severity.ERROR);
                    assertThat(x.message()).contains("wlan.mnc057.mcc505.3gppnetwork.org");
                });
    }

    @Test
    void hssRealmWithUnpaddedMnc() {
        TwagSettings twag = new TwagSettings(List.of("epc.mnc57.mcc505.3gppnetwork.org"), true, true, List.of());
        assertThat(check(Profiles.operator().build(), twag).get(Code.MNC_PADDING)).singleElement()
                .satisfies(x -> assertThat(x.message()).contains("mnc057").contains("org.opentwag.diameter.cfg"));
    }

    @Test
    void missingEapAkaPrimeEntryWhileTheTwagServesIt() {
        PasspointProfile p = Profiles.operator().eapAkaPrime(false).build();
        assertThat(p.androidEapType()).isEqualTo(23);
        assertThat(check(p, Profiles.twag505()).get(Code.MISSING_EAP_AKA_PRIME)).singleElement()
                .satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.WARNING));
        // And the reverse: advertised but switched off in the TWAG.
        TwagSettings noPrime = new TwagSettings(List.of(), true, false, List.of());
        assertThat(check(Profiles.operator().build(), noPrime).get(Code.MISSING_EAP_AKA_PRIME))
                .anySatisfy(x -> assertThat(x.severity()).isEqualTo(Severity.ERROR));
    }

    @Test
    void secretWrittenInClearIsFlaggedAndNeverShown() {
        PasspointProfile p = Profiles.operator().secret(SecretReference.parse("s3cret-of-the-aps")).build();
        List<Finding> all = PasspointValidator.validate(p, Profiles.twag505());
        assertThat(PasspointValidator.byCode(all).get(Code.SECRET_LITERAL)).singleElement()
                .satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.ERROR));
        assertThat(all.toString()).doesNotContain("s3cret-of-the-aps");
        assertThat(p.toString()).doesNotContain("s3cret-of-the-aps");
        for (PasspointFormat format : PasspointFormat.values()) {
            String text = format == PasspointFormat.ANDROID ? AndroidPasspoint.ppsMo(p) : format.generate(p).text();
            assertThat(text).as(format.label()).doesNotContain("s3cret-of-the-aps");
        }
        assertThat(HostapdConfig.render(p)).contains("auth_server_shared_secret=${OPENTWAG_RADIUS_SECRET}");

        // A literal that is not one of the client secrets is still a warning.
        PasspointProfile other = Profiles.operator().secret(SecretReference.parse("hunter2")).build();
        assertThat(check(other, Profiles.twag505()).get(Code.SECRET_LITERAL)).singleElement()
                .satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.WARNING));
    }
}
