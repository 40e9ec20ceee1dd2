package org.opentwag.metrics.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MetricsLoginTest {

    private static final SourceCollector ONE_SERIES = new SourceCollector(() -> List.of(
            MetricsEndpointTest.source(Map.of("radius_access_request_count", 7), "x")));

    private static HttpResponse<String> scrape(MetricsHttpServer server, String credentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.localAddress().getPort()
                + "/metrics")).timeout(Duration.ofSeconds(5));
        if (credentials != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withALoginConfiguredEveryScrapeWithoutTheRightCredentialsIsRefused() throws Exception {
        try (MetricsHttpServer server = new MetricsHttpServer(ONE_SERIES, new InetSocketAddress("127.0.0.1", 0),
                new BasicAuth("prometheus", "s3cret-Scrape-pw"))) {
            for (String wrong : new String[]{null, "prometheus:wrong", "prometheus:s3cret-Scrape-p", "other:s3cret-Scrape-pw",
                    "prometheus:s3cret-Scrape-pwX"}) {
                HttpResponse<String> r = scrape(server, wrong);
                assertThat(r.statusCode()).as(String.valueOf(wrong)).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));
                assertThat(r.body()).doesNotContain("radius_access_request_count");
            }
            assertThat(server.unauthorizedCount()).isEqualTo(5);

            HttpResponse<String> ok = scrape(server, "prometheus:s3cret-Scrape-pw");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("radius_access_request_count 7.0");
            assertThat(server.unauthorizedCount()).isEqualTo(5);
        }
    }

    @Test
    void withoutALoginConfiguredAnyoneWhoReachesItMayScrape() throws Exception {
        try (MetricsHttpServer server = new MetricsHttpServer(ONE_SERIES, new InetSocketAddress("127.0.0.1", 0))) {
            assertThat(scrape(server, null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void malformedAuthorizationHeadersAreRefusedNotThrown() {
        BasicAuth auth = new BasicAuth("u", "p");
        assertThat(auth.accepts("Basic !!!not-base64")).isFalse();
        assertThat(auth.accepts("Bearer dTpw")).isFalse();
        assertThat(auth.accepts("")).isFalse();
        assertThat(auth.accepts("basic " + Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8)))).isTrue();
    }
}
