package org.opentwag.dashboard.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.api.check.Finding;
import org.opentwag.dashboard.tls.SelfSignedKeystore;

class DashboardSafetyCheckTest {

    @TempDir
    Path etc;

    /** Pax Web as shipped: HTTPS only, the self-signed keystore made on first start. */
    private Map<String, Object> shippedPaxWeb(String addresses) throws Exception {
        Path p12 = etc.resolve("opentwag-web.p12");
        SelfSignedKeystore.ensure(p12, "pw".toCharArray(), "pw".toCharArray(), "opentwag-web", List.of("localhost"));
        Map<String, Object> m = new HashMap<>(Map.of(
                "org.osgi.service.http.enabled", "false",
                "org.osgi.service.http.secure.enabled", "true",
                "org.ops4j.pax.web.ssl.keystore", p12.toString(),
                "org.ops4j.pax.web.ssl.keystore.type", "PKCS12",
                "org.ops4j.pax.web.ssl.keystore.password", "pw",
                "org.ops4j.pax.web.ssl.key.alias", "opentwag-web"));
        if (addresses != null) {
            m.put("org.ops4j.pax.web.listening.addresses", addresses);
        }
        return m;
    }

    @Test
    void allInterfacesWithTheSelfSignedCertificateIsAWarning() throws Exception {
        for (String addresses : new String[] {"0.0.0.0", null, "127.0.0.1, 192.0.2.10"}) {
            List<Finding> f = DashboardSafetyCheck.findings(shippedPaxWeb(addresses), Map.of());
            assertThat(f).as(String.valueOf(addresses)).hasSize(1);
            assertThat(f.get(0).severity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(f.get(0).problem()).contains("self-signed");
            assertThat(f.get(0).remedy()).contains("org.ops4j.pax.web.listening.addresses");
        }
    }

    @Test
    void loopbackOnlyHasNothingToSayAboutReachability() throws Exception {
        for (String addresses : new String[] {"127.0.0.1", "::1", "127.0.0.1,::1", "localhost"}) {
            Map<String, Object> paxWeb = shippedPaxWeb(addresses);
            paxWeb.put("org.osgi.service.http.enabled", "true");
            assertThat(DashboardSafetyCheck.findings(paxWeb, Map.of("loginFailuresPerUser", "0")))
                    .as(addresses).isEmpty();
        }
    }

    @Test
    void aCertificateFromACaIsNoFinding() throws Exception {
        Map<String, Object> paxWeb = shippedPaxWeb("0.0.0.0");
        paxWeb.put("org.ops4j.pax.web.ssl.keystore.password", "not-the-password");
        // Unreadable: nothing is claimed (the check never guesses).
        assertThat(DashboardSafetyCheck.findings(paxWeb, Map.of())).isEmpty();
    }

    @Test
    void noLoginLimitOrPlainHttpOrNoHttpsRequirementAreReported() throws Exception {
        Map<String, Object> paxWeb = shippedPaxWeb("0.0.0.0");
        paxWeb.put("org.osgi.service.http.enabled", "true");
        List<Finding> f = DashboardSafetyCheck.findings(paxWeb,
                Map.of("loginFailuresPerAddress", "0", "requireHttps", "false"));
        assertThat(f).extracting(Finding::severity).containsExactly(Finding.Severity.UNSAFE,
                Finding.Severity.UNSAFE, Finding.Severity.WARNING, Finding.Severity.WARNING);
        assertThat(f.get(0).problem()).contains("plain HTTP");
        assertThat(f.get(1).problem()).contains("no limit on wrong passwords per address");
        assertThat(f.get(2).problem()).contains("Plain HTTP is open on port 8181");
    }
}
