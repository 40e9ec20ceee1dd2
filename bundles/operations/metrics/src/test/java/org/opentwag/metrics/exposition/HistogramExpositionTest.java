package org.opentwag.metrics.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.support.metrics.Histogram;

/** A histogram through the text format: cumulative buckets with an inclusive upper bound, +Inf, _sum, _count. */
class HistogramExpositionTest {

    private static MetricsSource sourceOf(Histogram h, Map<String, Number> more) {
        return new MetricsSource() {
            @Override
            public Map<String, String> help() {
                return Map.of(h.name(), "Time from the first Access-Request to Accept/Reject");
            }

            @Override
            public Map<String, Number> values() {
                Map<String, Number> v = new LinkedHashMap<>(more);
                h.writeTo(v);
                return v;
            }

            @Override
            public Kind kind(String name) {
                return name.equals(h.name()) ? Kind.HISTOGRAM : Kind.COUNTER;
            }
        };
    }

    private static String render(MetricsSource... sources) throws Exception {
        StringWriter w = new StringWriter();
        new SourceCollector(() -> List.of(sources)).write(w);
        return w.toString();
    }

    @Test
    void bucketsAreCumulativeAndTheBoundIsInclusive() throws Exception {
        Histogram h = new Histogram("eap_auth_duration_seconds", new double[]{0.005, 0.05, 0.5}, "method", "result");
        h.observe(0.005, "EAP-AKA", "accept");   // exactly on a bound: counted in le="0.005"
        h.observe(0.012, "EAP-AKA", "accept");
        h.observe(0.049, "EAP-AKA", "accept");
        h.observe(7.5, "EAP-AKA", "accept");     // beyond the last bound: only +Inf
        h.observe(0.2, "EAP-AKA'", "reject");
        String text = render(sourceOf(h, Map.of("radius_access_request_count", 9)));

        assertThat(text).contains("# HELP eap_auth_duration_seconds Time from the first Access-Request to Accept/Reject\n"
                + "# TYPE eap_auth_duration_seconds histogram\n");
        assertThat(text).containsOnlyOnce("# TYPE eap_auth_duration_seconds");
        assertThat(text)
                .contains("eap_auth_duration_seconds_bucket{method=\"EAP-AKA\",result=\"accept\",le=\"0.005\"} 1.0\n")
                .contains("eap_auth_duration_seconds_bucket{method=\"EAP-AKA\",result=\"accept\",le=\"0.05\"} 3.0\n")
                .contains("eap_auth_duration_seconds_bucket{method=\"EAP-AKA\",result=\"accept\",le=\"0.5\"} 3.0\n")
                .contains("eap_auth_duration_seconds_bucket{method=\"EAP-AKA\",result=\"accept\",le=\"+Inf\"} 4.0\n")
                .contains("eap_auth_duration_seconds_count{method=\"EAP-AKA\",result=\"accept\"} 4.0\n")
                .contains("eap_auth_duration_seconds_sum{method=\"EAP-AKA\",result=\"accept\"} 7.566\n")
                .contains("eap_auth_duration_seconds_bucket{method=\"EAP-AKA'\",result=\"reject\",le=\"0.05\"} 0.0\n")
                .contains("eap_auth_duration_seconds_bucket{method=\"EAP-AKA'\",result=\"reject\",le=\"0.5\"} 1.0\n")
                // Other series of the same source keep their own family and type.
                .contains("# TYPE radius_access_request_count counter\nradius_access_request_count 9.0\n");
        assertThat(h.count("EAP-AKA", "accept")).isEqualTo(4);
        assertThat(h.count("EAP-AKA", "reject")).isZero();
    }

    @Test
    void withinAFamilyEachLabelSetListsItsBucketsInOrderThenSumAndCount() throws Exception {
        Histogram h = new Histogram("x_seconds", Histogram.LATENCY_SECONDS, "m");
        h.observe(0.003, "a");
        String text = render(sourceOf(h, Map.of()));
        List<String> lines = text.lines().filter(l -> l.startsWith("x_seconds")).toList();
        assertThat(lines).hasSize(Histogram.LATENCY_SECONDS.length + 3);
        assertThat(lines.get(0)).isEqualTo("x_seconds_bucket{m=\"a\",le=\"0.001\"} 0.0");
        assertThat(lines.get(2)).isEqualTo("x_seconds_bucket{m=\"a\",le=\"0.005\"} 1.0");
        assertThat(lines.get(Histogram.LATENCY_SECONDS.length)).isEqualTo("x_seconds_bucket{m=\"a\",le=\"+Inf\"} 1.0");
        assertThat(lines.get(lines.size() - 2)).startsWith("x_seconds_sum{m=\"a\"} 0.003");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("x_seconds_count{m=\"a\"} 1.0");
    }

    @Test
    void aCountSeriesOfANonHistogramSourceStaysItsOwnFamily() throws Exception {
        MetricsSource counters = MetricsEndpointTest.source(Map.of("eap_aka_identity_count", 2), "none");
        assertThat(render(counters)).contains("# TYPE eap_aka_identity_count counter\neap_aka_identity_count 2.0\n");
    }

    @Test
    void badDefinitionsAreRefused() {
        assertThatThrownBy(() -> new Histogram("a b", new double[]{1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Histogram("a", new double[]{1, 1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Histogram("a", new double[]{1}, "le"))
                .isInstanceOf(IllegalArgumentException.class);
        Histogram h = new Histogram("a", new double[]{1}, "m");
        assertThatThrownBy(() -> h.observe(1, "x", "y")).isInstanceOf(IllegalArgumentException.class);
    }
}
