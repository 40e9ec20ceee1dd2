package org.opentwag.dashboard.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {

    @Test
    void documentIsOpenApi3AndDescribesEveryRoute() throws Exception {
        JsonNode doc;
        try (InputStream in = RestApi.class.getResourceAsStream("openapi.json")) {
            assertThat(in).isNotNull();
            doc = new ObjectMapper().readTree(in);
        }
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.get("info").get("title").asText()).isNotBlank();
        JsonNode paths = doc.get("paths");
        for (String route : RestApi.ROUTES) {
            String[] methodAndPath = route.split(" ");
            JsonNode path = paths.get(methodAndPath[1]);
            assertThat(path).as(route).isNotNull();
            assertThat(path.get(methodAndPath[0].toLowerCase(Locale.ROOT))).as(route).isNotNull();
        }
        assertThat(paths.size()).isEqualTo(RestApi.ROUTES.size());
    }

    @Test
    void everyReferenceResolves() throws Exception {
        JsonNode doc;
        try (InputStream in = RestApi.class.getResourceAsStream("openapi.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        checkRefs(doc, doc);
    }

    private static void checkRefs(JsonNode root, JsonNode node) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null) {
                assertThat(root.at(ref.asText().substring(1)).isMissingNode()).as(ref.asText()).isFalse();
            }
            node.elements().forEachRemaining(child -> checkRefs(root, child));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> checkRefs(root, child));
        }
    }

    @Test
    void apiServesTheSameDocument() {
        RestApi api = new RestApi(new FakeBackend(), new ObjectMapper(), java.time.Clock.systemUTC(),
                java.time.Duration.ofSeconds(1));
        ApiResponse r = api.handle("GET", "/openapi.json", new byte[0]);
        assertThat(r.status()).isEqualTo(200);
        assertThat(((JsonNode) r.body()).get("paths").has("/mar")).isTrue();
    }
}
