package org.opentwag.metrics.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentwag.api.metrics.MetricsSource;

class MetricsEndpointTest {

    static MetricsSource source(Map<String, Number> values, String gauge) {
        return new MetricsSource() {
            @Override
            public Map<String, String> help() {
                return Map.of("radius_access_request_count", "Access-Request packets received");
            }

            @Override
            public Map<String, Number> values() {
                return values;
            }

            @Override
            public Kind kind(String name) {
                return name.equals(gauge) ? Kind.GAUGE : Kind.COUNTER;
            }
        };
    }

    @Test
    void seriesKeysAreParsedWithLabels() {
        Series s = Series.parse("diameter_message_count{application=\"swx\",command=\"MAR\",direction=\"out\"}");
        assertThat(s.name()).isEqualTo("diameter_message_count");
        assertThat(s.labelNames()).containsExactly("application", "command", "direction");
        assertThat(s.labelValues()).containsExactly("swx", "MAR", "out");
        assertThat(Series.parse("a{x=\"q\\\"uote\"}").labelValues()).containsExactly("q\"uote");
        assertThatThrownBy(() -> Series.parse("bad name")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Series.parse("a{x=1}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theEndpointServesTheGuidesNamesUnchanged() throws Exception {
        SourceCollector ours = new SourceCollector(() -> List.of(
                source(Map.of("radius_access_request_count", 7,
                        "radius_accounting_request_count{status_type=\"start\"}", 2), "x"),
                source(Map.of("radius_active_clients_count", 3), "radius_active_clients_count"), new org.opentwag.metrics.internal.JvmMetrics()));
        try (MetricsHttpServer server = new MetricsHttpServer(ours, new InetSocketAddress("127.0.0.1", 0))) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.localAddress().getPort() + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body())
                    .contains("# HELP radius_access_request_count Access-Request packets received")
                    .contains("# TYPE radius_access_request_count counter")
                    .contains("\nradius_access_request_count 7.0\n")
                    .contains("radius_accounting_request_count{status_type=\"start\"} 2.0")
                    .contains("# TYPE vm_memory_total gauge").contains("jvm_threads_current")
                    .contains("jvm_memory_bytes_used{area=\"heap\"}")
                    .contains("# TYPE jvm_gc_collection_seconds_count counter")
                    .containsPattern("\nprocess_start_time_seconds [0-9.E]+\n")
                    .contains("# TYPE radius_active_clients_count gauge")
                    .doesNotContain("radius_access_request_count_total");
            HttpResponse<String> nf = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.localAddress().getPort() + "/other"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(nf.statusCode()).isEqualTo(404);
        }
    }
}
