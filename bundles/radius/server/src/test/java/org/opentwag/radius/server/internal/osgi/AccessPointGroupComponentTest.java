package org.opentwag.radius.server.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentwag.radius.server.internal.AccessPointGroup;

/** Config Admin properties, as a .cfg file gives them, into a client group. */
class AccessPointGroupComponentTest {

    /** The annotation-typed configuration DS would build from these properties (with the OCD defaults). */
    private static AccessPointGroupComponent.Config config(Map<String, Object> properties) {
        return (AccessPointGroupComponent.Config) Proxy.newProxyInstance(AccessPointGroupComponent.Config.class.getClassLoader(),
                new Class<?>[] {AccessPointGroupComponent.Config.class}, (proxy, method, args) -> {
                    Object value = properties.get(method.getName());
                    return value != null ? value : method.getDefaultValue();
                });
    }

    @Test
    void commaSeparatedSubnetsAndDefaults() throws Exception {
        AccessPointGroup group = AccessPointGroupComponent.toGroup(config(Map.of(
                "subnets", new String[] {"10.7.15.0/24, 192.168.1.0/24", "2001:db8::/32"},
                "secret", "a-secret-of-twenty-chars")), "org.opentwag.radius.client.abc");
        assertThat(group.name()).isEqualTo("org.opentwag.radius.client.abc");
        assertThat(group.subnets()).hasSize(3);
        assertThat(group.subnets().get(1).contains(InetAddress.getByName("192.168.1.9"))).isTrue();
        assertThat(group.requireMessageAuthenticator()).isTrue();
        assertThat(group.dasPort()).isEqualTo(3799);
        assertThat(group.secret()).isEqualTo("a-secret-of-twenty-chars".getBytes());
    }

    @Test
    void missingSecretOrBadSubnetIsAClearError() {
        assertThatThrownBy(() -> AccessPointGroupComponent.toGroup(config(Map.of("name", "aps", "secret", "")), "pid"))
                .hasMessageContaining("'aps' has no secret");
        assertThatThrownBy(() -> AccessPointGroupComponent.toGroup(config(Map.of("subnets", new String[] {"10.0.0.0/40"},
                "secret", "s")), "pid")).hasMessageContaining("outside 0..32");
    }
}
