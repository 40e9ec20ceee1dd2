package org.opentwag.dashboard.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentwag.support.metrics.Histogram;

class MetricHistoryTest {

    private final Map<String, Number> metrics = new HashMap<>();
    private final MetricHistory history = new MetricHistory(() -> Map.copyOf(metrics));
    private final Histogram latency = new Histogram("eap_auth_duration_seconds", Histogram.LATENCY_SECONDS,
            "method", "result");

    private void publish() {
        latency.writeTo(metrics);
    }

    @Test
    void ratesPerSecondRejectsByReasonLatencyAndGaugesFromThePublishedMetrics() {
        long t0 = 1_700_000_000_000L;
        metrics.put("radius_access_accept_count", 10);
        metrics.put("radius_access_reject_reason_count{reason=\"mac_res_mismatch\"}", 0);
        metrics.put("radius_active_clients_count", 4);
        publish();
        history.sample(t0); // the baseline: no point yet
        assertThat(history.range("15m").times()).isEmpty();

        metrics.put("radius_access_accept_count", 13);
        metrics.put("radius_access_reject_reason_count{reason=\"mac_res_mismatch\"}", 1);
        metrics.put("radius_access_reject_reason_count{reason=\"hss_error\",result_code=\"5004\"}", 2);
        metrics.put("diameter_peer_request_count{peer=\"hss.lab\"}", 6);
        for (int i = 0; i < 99; i++) {
            latency.observe(0.004, "EAP-AKA", "accept");
        }
        latency.observe(0.8, "EAP-AKA", "reject");
        publish();
        history.sample(t0 + 1000);

        MetricHistory.Range r = history.range("15m");
        assertThat(r.stepSeconds()).isEqualTo(1);
        assertThat(r.times()).containsExactly((t0 + 1000) / 1000);
        assertThat(r.series().get("accepts")).containsExactly(3.0);
        assertThat(r.series().get("rejects:mac_res_mismatch")).containsExactly(1.0);
        assertThat(r.series().get("rejects:hss_error")).containsExactly(2.0);
        assertThat(r.series().get("diameter:hss.lab")).containsExactly(6.0);
        assertThat(r.series().get("active")).containsExactly(4.0);
        assertThat(r.rejectReasons()).containsExactlyInAnyOrder("mac_res_mismatch", "hss_error");
        assertThat(r.series().get("latency_p50_ms").get(0)).isBetween(2.5, 5.0);
        assertThat(r.series().get("latency_p99_ms").get(0)).isBetween(2.5, 1000.0);
    }

    @Test
    void minutePointsAverageTheMinuteAndRingsStayBounded() {
        long t0 = 1_700_000_040_000L - (1_700_000_040_000L % 60_000); // a minute boundary
        long accepts = 0;
        metrics.put("radius_access_accept_count", accepts);
        history.sample(t0);
        for (int s = 1; s <= 2 * 3600; s++) { // two hours, 2 accepts a second
            accepts += 2;
            metrics.put("radius_access_accept_count", accepts);
            history.sample(t0 + s * 1000L);
        }
        assertThat(history.range("15m").times()).hasSize(MetricHistory.SECOND_POINTS);
        MetricHistory.Range hour = history.range("1h");
        assertThat(hour.stepSeconds()).isEqualTo(60);
        assertThat(hour.times()).hasSize(60);
        List<Double> rates = hour.series().get("accepts");
        assertThat(rates).allSatisfy(v -> assertThat(v).isCloseTo(2.0, within(1e-9)));
        assertThat(history.range("24h").times()).hasSize(120); // the sample at 2:00:00 closes the 120th minute
    }

    @Test
    void eachPointSaysTheSecondsItCoversSoRatesAddUpToCountsWhenSamplesAreLate() {
        metrics.put("radius_access_accept_count", 0);
        history.sample(0);
        metrics.put("radius_access_accept_count", 1);
        history.sample(700); // early
        metrics.put("radius_access_accept_count", 3);
        history.sample(2100); // late: a busy machine
        MetricHistory.Range r = history.range("15m");
        assertThat(r.intervals()).containsExactly(0.7, 1.4);
        double count = 0;
        for (int i = 0; i < r.times().size(); i++) {
            count += r.series().get("accepts").get(i) * r.intervals().get(i);
        }
        assertThat(count).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void aCounterThatRestartsAtZeroIsCountedAnewNotNegative() {
        metrics.put("radius_access_accept_count", 100);
        history.sample(0);
        metrics.put("radius_access_accept_count", 2); // its bundle was updated
        history.sample(1000);
        assertThat(history.range("15m").series().get("accepts")).containsExactly(2.0);
    }
}
