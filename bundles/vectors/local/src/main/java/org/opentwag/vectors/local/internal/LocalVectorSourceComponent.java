package org.opentwag.vectors.local.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.vectors.local.subscribers.SubscriberDatabase;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the local vector source as {@link AuthVectorSource} with {@code opentwag.vectors.source=local} when
 * enabled, and re-reads the subscriber file periodically. The service is registered by hand rather than declared so
 * that {@code enabled=false} simply leaves it out.
 */
@Component(service = {}, immediate = true, configurationPid = LocalVectorSourceComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = LocalVectorSourceComponent.Config.class)
public class LocalVectorSourceComponent {

    public static final String PID = "org.opentwag.vectors.local";

    @ObjectClassDefinition(name = "OpenTWAG local vector source",
            description = "Authentication vectors computed with Milenage from a subscriber file (labs, private networks)")
    public @interface Config {
        @AttributeDefinition(description = "Offer the local vector source as opentwag.vectors.source=local")
        boolean enabled() default true;

        @AttributeDefinition(description = "Subscriber file imsi,ki,opc,amf,sqn in hex (empty: ${karaf.etc}/hss-subscribers.csv)")
        String subscribersFile() default "";

        @AttributeDefinition(description = "Where the reserved sequence numbers are kept (empty: ${karaf.data}/opentwag/sqn-local.properties)")
        String sqnStateFile() default "";

        @AttributeDefinition(description = "How often the subscriber file is checked for changes (seconds)", min = "1")
        int reloadIntervalSeconds() default 5;

        @AttributeDefinition(description = "Extra SQN steps (of 32) added after SQN_MS on resynchronisation; 0 gives SQN_MS + 32 for the next vector", min = "0")
        int resyncExtraSteps() default 0;
    }

    private static final Logger LOG = LoggerFactory.getLogger(LocalVectorSourceComponent.class);

    private ScheduledExecutorService reloader;
    private ServiceRegistration<AuthVectorSource> registration;
    private SubscriberDatabase database;

    @Activate
    void activate(BundleContext context, Config config) {
        if (!config.enabled()) {
            LOG.info("Local vector source disabled ({} enabled=false)", PID);
            return;
        }
        database = new SubscriberDatabase(subscribersFile(config), sqnStateFile(config));
        LocalVectorSource source = new LocalVectorSource(database, config.resyncExtraSteps());
        int interval = Math.max(1, config.reloadIntervalSeconds());
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opentwag-subscribers-reload");
            t.setDaemon(true);
            return t;
        });
        database.reloadEvery(reloader, Duration.ofSeconds(interval));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(AuthVectorSource.SOURCE_PROPERTY, "local");
        registration = context.registerService(AuthVectorSource.class, source, props);
        LOG.info("Local vector source serving {} subscribers from {}", database.size(), database.subscribersFile());
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (reloader != null) {
            reloader.shutdownNow();
            reloader = null;
        }
    }

    /** The database in use, or null when disabled (tests, diagnostics). */
    SubscriberDatabase database() {
        return database;
    }

    static Path subscribersFile(Config config) {
        return config.subscribersFile().isBlank()
                ? Path.of(System.getProperty("karaf.etc", "etc"), "hss-subscribers.csv")
                : Path.of(config.subscribersFile());
    }

    static Path sqnStateFile(Config config) {
        return config.sqnStateFile().isBlank()
                ? Path.of(System.getProperty("karaf.data", "data"), "opentwag", "sqn-local.properties")
                : Path.of(config.sqnStateFile());
    }
}
