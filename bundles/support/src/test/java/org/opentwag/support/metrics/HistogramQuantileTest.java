package org.opentwag.support.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HistogramQuantileTest {

    @Test
    void interpolatesWithinTheBucketAsPrometheusHistogramQuantile() {
        // 100 observations: 50 in (0, 0.01], 40 in (0.01, 0.1], 10 in (0.1, 1]
        double[] bounds = {0.01, 0.1, 1};
        long[] counts = {50, 40, 10, 0};
        assertThat(Histogram.quantile(bounds, counts, 0.5)).isCloseTo(0.01, within(1e-9));
        // rank 70: 20 of the 40 in the second bucket -> 0.01 + 0.09 * 20/40
        assertThat(Histogram.quantile(bounds, counts, 0.7)).isCloseTo(0.055, within(1e-9));
        // rank 99: 9 of the 10 in the third -> 0.1 + 0.9 * 0.9
        assertThat(Histogram.quantile(bounds, counts, 0.99)).isCloseTo(0.91, within(1e-9));
        assertThat(Histogram.quantile(bounds, new long[]{0, 0, 0, 5}, 0.5)).isEqualTo(1.0);
        assertThat(Histogram.quantile(bounds, new long[4], 0.5)).isNaN();
    }

    @Test
    void quantileOfObservations() {
        Histogram h = new Histogram("t_seconds", Histogram.LATENCY_SECONDS, "peer");
        for (int i = 0; i < 99; i++) {
            h.observe(0.003, "hss");
        }
        h.observe(3, "hss");
        assertThat(h.quantile(0.5, "hss")).isBetween(0.0025, 0.005);
        assertThat(h.quantile(0.999, "hss")).isBetween(2.5, 5.0);
        assertThat(h.quantile(0.5, "other")).isNaN();
    }
}
