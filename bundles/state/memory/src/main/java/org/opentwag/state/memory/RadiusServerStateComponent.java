package org.opentwag.state.memory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.opentwag.api.metrics.CounterStore;
import org.opentwag.api.radius.RadiusServerState;
import org.opentwag.api.radius.ResponseCache;
import org.opentwag.support.radius.LocalRadiusServerState;

import org.osgi.service.component.annotations.Component;

/**
 * The RADIUS server's duplicate cache and counters, and the counters of other bundles that count through
 * {@link CounterStore} (eap-aka, charging-gy, charging-core, accounting), held here so that a {@code bundle:update}
 * of those bundles keeps them (docs/upgrades.md). Node-local, also when the clustered state store is installed: an access point retransmits
 * to the node it sent the request to. Immediate: the state must outlive the moments when the bundles that use it are
 * away.
 */
@Component(service = {RadiusServerState.class, CounterStore.class}, immediate = true, property = "opentwag.state.store=memory")
public class RadiusServerStateComponent implements RadiusServerState {

    private final LocalRadiusServerState state = new LocalRadiusServerState();

    @Override
    public ResponseCache responseCache(Duration window, int maxEntries) {
        return state.responseCache(window, maxEntries);
    }

    @Override
    public LongAdder counter(String name) {
        return state.counter(name);
    }

    @Override
    public Map<String, LongAdder> series(String metric) {
        return state.series(metric);
    }
}
