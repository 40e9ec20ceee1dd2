package org.opentwag.state.memory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.opentwag.api.state.StateStore;
import org.opentwag.support.state.ForwardingStateStore;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The default state store of a single node, published with a low ranking so that a clustered store, when
 * installed, takes precedence.
 */
@Component(service = StateStore.class, configurationPid = "org.opentwag.state",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {"service.ranking:Integer=-100", "opentwag.state.store=memory"})
@Designate(ocd = InMemoryStateStoreComponent.Config.class)
public class InMemoryStateStoreComponent extends ForwardingStateStore {

    @ObjectClassDefinition(name = "OpenTWAG state store (in memory)")
    public @interface Config {
        @AttributeDefinition(description = "Upper bound of entries per map (conversations, clients, re-auth ids...)")
        int maxEntriesPerMap() default 500_000;

        @AttributeDefinition(description = "How often expired entries are swept (seconds)")
        int sweepIntervalSeconds() default 10;

        @AttributeDefinition(description = "Entries meant to live at least this long (seconds) are kept as bytes in "
                + "large arrays rather than as objects, so that the garbage collector does not copy and scan them "
                + "(sessions, client states, pseudonyms, re-authentication contexts, charging sessions); 0 keeps "
                + "every entry as objects")
        int packedMinTtlSeconds() default 10;
    }

    private InMemoryStateStore store;
    private ScheduledExecutorService sweeper;

    @Activate
    void activate(Config config) {
        store = new InMemoryStateStore(config.maxEntriesPerMap(), System::currentTimeMillis,
                config.packedMinTtlSeconds() > 0 ? Duration.ofSeconds(config.packedMinTtlSeconds()) : null);
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opentwag-state-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(store::sweepAll, config.sweepIntervalSeconds(), config.sweepIntervalSeconds(),
                TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        sweeper.shutdownNow();
    }

    @Override
    protected StateStore delegate() {
        return store;
    }
}
