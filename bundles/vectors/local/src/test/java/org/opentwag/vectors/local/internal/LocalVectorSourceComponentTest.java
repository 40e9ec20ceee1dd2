package org.opentwag.vectors.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opentwag.vectors.local.Fixtures.IMSI;
import static org.opentwag.vectors.local.Fixtures.KI;
import static org.opentwag.vectors.local.Fixtures.fetch;
import static org.opentwag.vectors.local.Fixtures.line;
import static org.opentwag.vectors.local.Fixtures.writeCsv;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVectorSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The DS wiring with a hand-made BundleContext: what gets registered, and that disabling registers nothing. */
class LocalVectorSourceComponentTest {

    @TempDir
    Path dir;

    private record Registration(Object service, Dictionary<?, ?> properties) {
    }

    private final List<Registration> registered = new ArrayList<>();
    private int unregistered;

    private BundleContext context() {
        ServiceRegistration<?> reg = (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{ServiceRegistration.class}, (p, m, a) -> {
                    if (m.getName().equals("unregister")) {
                        unregistered++;
                    }
                    return null;
                });
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{BundleContext.class},
                (p, m, a) -> {
                    if (m.getName().equals("registerService")) {
                        registered.add(new Registration(a[1], (Dictionary<?, ?>) a[2]));
                        return reg;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private static LocalVectorSourceComponent.Config config(Map<String, Object> values) {
        return (LocalVectorSourceComponent.Config) Proxy.newProxyInstance(
                LocalVectorSourceComponent.Config.class.getClassLoader(),
                new Class<?>[]{LocalVectorSourceComponent.Config.class}, (p, m, a) -> {
                    Object v = values.get(m.getName());
                    return v != null ? v : m.getDefaultValue();
                });
    }

    @Test
    void registersTheLocalSourceWithItsProperty() throws Exception {
        Path csv = writeCsv(dir.resolve("hss-subscribers.csv"), line(IMSI, KI, "8000", "20"));
        Path state = dir.resolve("data/sqn.properties");
        LocalVectorSourceComponent component = new LocalVectorSourceComponent();
        component.activate(context(), config(Map.of("subscribersFile", csv.toString(),
                "sqnStateFile", state.toString(), "reloadIntervalSeconds", 1)));
        try {
            assertThat(registered).singleElement().satisfies(r -> {
                assertThat(r.properties().get(AuthVectorSource.SOURCE_PROPERTY)).isEqualTo("local");
                assertThat(r.service()).isInstanceOf(AuthVectorSource.class);
            });
            assertThat(fetch((AuthVectorSource) registered.get(0).service(), IMSI, AuthScheme.EAP_AKA)).isNotNull();
            assertThat(Files.exists(state)).isTrue();
        } finally {
            component.deactivate();
        }
        assertThat(unregistered).isEqualTo(1);
    }

    @Test
    void disabledRegistersNothing() {
        LocalVectorSourceComponent component = new LocalVectorSourceComponent();
        component.activate(context(), config(Map.of("enabled", false)));
        component.deactivate();
        assertThat(registered).isEmpty();
        assertThat(unregistered).isZero();
    }

    @Test
    void defaultPathsFollowKarafDirectories() {
        String etc = System.getProperty("karaf.etc");
        String data = System.getProperty("karaf.data");
        try {
            System.setProperty("karaf.etc", "/opt/twag/etc");
            System.setProperty("karaf.data", "/opt/twag/data");
            LocalVectorSourceComponent.Config defaults = config(Map.of());
            assertThat(LocalVectorSourceComponent.subscribersFile(defaults))
                    .isEqualTo(Path.of("/opt/twag/etc/hss-subscribers.csv"));
            assertThat(LocalVectorSourceComponent.sqnStateFile(defaults))
                    .isEqualTo(Path.of("/opt/twag/data/opentwag/sqn-local.properties"));
        } finally {
            restore("karaf.etc", etc);
            restore("karaf.data", data);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
