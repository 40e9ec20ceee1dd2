package org.opentwag.accounting.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentwag.api.check.Finding;
import org.opentwag.state.memory.InMemoryStateStore;

class AccountingSafetyCheckTest {

    private static AccountingService.Config config(Map<String, Object> values) {
        return (AccountingService.Config) Proxy.newProxyInstance(AccountingService.Config.class.getClassLoader(),
                new Class<?>[] {AccountingService.Config.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    @Test
    void theShippedSettingsAloneAreSafe() {
        AccountingSafetyCheck check = new AccountingSafetyCheck();
        check.configure(config(Map.of()));
        assertThat(check.findings()).isEmpty();
    }

    @Test
    void acknowledgingBeforeStableStorageIsUnsafe() {
        AccountingSafetyCheck check = new AccountingSafetyCheck();
        check.configure(config(Map.of("syncToDisk", false)));
        assertThat(check.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.UNSAFE);
            assertThat(f.area()).isEqualTo("accounting");
            assertThat(f.remedy()).contains("syncToDisk = true").contains("org.opentwag.accounting.cfg");
        });
    }

    @Test
    void embeddedH2InAClusterIsReportedAndASharedDatabaseIsNot() {
        AccountingSafetyCheck check = new AccountingSafetyCheck();
        check.clustered(new InMemoryStateStore(100));
        check.configure(config(Map.of()));
        assertThat(check.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(f.remedy()).contains("jdbc:postgresql");
        });
        check.configure(config(Map.of("url", "jdbc:postgresql://db:5432/opentwag")));
        assertThat(check.findings()).isEmpty();
        check.configure(config(Map.of("url", "jdbc:h2:tcp://db:9092/acc")));
        assertThat(check.findings()).isEmpty();
        check.clustered(null);
        check.configure(config(Map.of("url", "jdbc:h2:file:/var/lib/acc")));
        assertThat(check.findings()).isEmpty();
    }
}
