package org.opentwag.radius.server.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.opentwag.radius.server.AccountingHandler;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The accounting handler DS did not bind is taken from the registry, kept while it stays registered, and let go when
 * it goes or the component stops. The registry here is a scripted BundleContext.
 */
class RegistryFallbackTest {

    private final AtomicReference<AccountingHandler> registered = new AtomicReference<>();
    private final AtomicBoolean stillRegistered = new AtomicBoolean(true);
    private final List<String> calls = new ArrayList<>();

    @Test
    void aRegisteredHandlerIsFetchedOnceKeptAndReleasedWhenItGoesOrTheComponentStops() {
        AccountingHandler handler = request -> java.util.concurrent.CompletableFuture.completedFuture(null);
        RegistryFallback<AccountingHandler> fallback = new RegistryFallback<>(AccountingHandler.class);
        assertThat(fallback.get()).as("not opened: no registry to ask").isNull();

        fallback.open(context());
        registered.set(handler);
        assertThat(fallback.get()).isSameAs(handler);
        assertThat(fallback.get()).isSameAs(handler);
        assertThat(calls).containsExactly("getServiceReference", "getService");

        stillRegistered.set(false); // unregistered: its reference no longer has a bundle
        registered.set(null);
        fallback.get();
        assertThat(calls).contains("ungetService");

        calls.clear();
        fallback.close();
        assertThat(fallback.get()).isNull();
        assertThat(calls).isEmpty();
    }

    @Test
    void closingReleasesTheHandlerItHolds() {
        registered.set(request -> java.util.concurrent.CompletableFuture.completedFuture(null));
        RegistryFallback<AccountingHandler> fallback = new RegistryFallback<>(AccountingHandler.class);
        fallback.open(context());
        assertThat(fallback.get()).isNotNull();
        fallback.close();
        assertThat(calls).containsExactly("getServiceReference", "getService", "ungetService");
    }

    @SuppressWarnings("unchecked")
    private BundleContext context() {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Bundle.class},
                (p, m, a) -> null);
        ServiceReference<AccountingHandler> ref = (ServiceReference<AccountingHandler>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceReference.class}, (p, m, a) ->
                        m.getName().equals("getBundle") ? (stillRegistered.get() ? bundle : null) : null);
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getServiceReference" -> {
                        calls.add("getServiceReference");
                        yield registered.get() == null ? null : ref;
                    }
                    case "getService" -> {
                        calls.add("getService");
                        yield registered.get();
                    }
                    case "ungetService" -> {
                        calls.add("ungetService");
                        yield true;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
