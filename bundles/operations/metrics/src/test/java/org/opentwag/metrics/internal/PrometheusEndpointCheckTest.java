package org.opentwag.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opentwag.api.check.Finding;

class PrometheusEndpointCheckTest {

    @Test
    void anEndpointBeyondLoopbackWithoutALoginIsUnsafe() {
        assertThat(PrometheusEndpoint.findings("0.0.0.0", false)).singleElement()
                .satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Finding.Severity.UNSAFE);
                    assertThat(f.area()).isEqualTo("metrics");
                    assertThat(f.problem()).contains("0.0.0.0");
                });
        assertThat(PrometheusEndpoint.findings("192.0.2.10", false)).hasSize(1);
        assertThat(PrometheusEndpoint.findings("::", false)).hasSize(1);
    }

    @Test
    void loopbackOrALoginIsFine() {
        assertThat(PrometheusEndpoint.findings("127.0.0.1", false)).isEmpty();
        assertThat(PrometheusEndpoint.findings("::1", false)).isEmpty();
        assertThat(PrometheusEndpoint.findings("0.0.0.0", true)).isEmpty();
    }
}
