package org.opentwag.dashboard.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ConfigurationViewTest {

    @Test
    void masksSecretsPasswordsAndPrivateKeysInTheJson() throws Exception {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("secret", "testing123");
        raw.put("sharedSecret", "s3cr3t-AP");
        raw.put("keystore.password", "changeit");
        raw.put(".hidden", "private-value");
        raw.put("listenPort", 1812);
        raw.put("networks", new String[] {"10.0.0.0/8", "192.168.1.0/24"});
        raw.put("service.pid", "org.opentwag.radius.clients~lab");

        ConfigurationView view = ConfigurationView.of("org.opentwag.radius.clients~lab", "org.opentwag.radius.clients",
                raw);
        String json = new ObjectMapper().writeValueAsString(view);

        assertThat(json).doesNotContain("testing123", "s3cr3t-AP", "changeit", "private-value");
        JsonNode props = new ObjectMapper().readTree(json).get("properties");
        assertThat(props.get("secret").asText()).isEqualTo(ConfigurationView.MASK);
        assertThat(props.get("sharedSecret").asText()).isEqualTo(ConfigurationView.MASK);
        assertThat(props.get("keystore.password").asText()).isEqualTo(ConfigurationView.MASK);
        assertThat(props.get(".hidden").asText()).isEqualTo(ConfigurationView.MASK);
        assertThat(props.get("listenPort").asText()).isEqualTo("1812");
        assertThat(props.get("networks")).hasSize(2);
        assertThat(props.get("networks").get(1).asText()).isEqualTo("192.168.1.0/24");
        assertThat(new ObjectMapper().readTree(json).get("factoryPid").asText()).isEqualTo("org.opentwag.radius.clients");
    }

    @Test
    void secretDetectionIgnoresCase() {
        assertThat(ConfigurationView.isSecret("RADIUS_SECRET")).isTrue();
        assertThat(ConfigurationView.isSecret("Password")).isTrue();
        assertThat(ConfigurationView.isSecret("realm")).isFalse();
    }

    @Test
    void collectionsBecomeListsOfStrings() {
        var view = ConfigurationView.of("p", null, Map.of("apps", List.of(16777265L, 4L)));
        assertThat(view.properties().get("apps")).isEqualTo(List.of("16777265", "4"));
    }
}
