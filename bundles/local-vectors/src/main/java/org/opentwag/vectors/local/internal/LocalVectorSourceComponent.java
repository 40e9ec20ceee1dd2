package org.opentwag.vectors.local.internal;

import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.vectors.local.subscribers.SubscriberDatabase;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The local vector source as a service, {@code opentwag.vectors.source=local}. */
@Component(service = AuthVectorSource.class, configurationPid = "org.opentwag.vectors.local",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = AuthVectorSource.SOURCE_PROPERTY + "=local")
@Designate(ocd = LocalVectorSourceComponent.Config.class)
public class LocalVectorSourceComponent implements AuthVectorSource {

    @ObjectClassDefinition(name = "OpenTWAG local vector source")
    public @interface Config {
        @AttributeDefinition(description = "Subscriber file imsi,ki,opc,amf,sqn (default: etc/hss-subscribers.csv)")
        String subscribersFile() default "";

        @AttributeDefinition(description = "Where the sequence numbers issued are kept (default: data/opentwag/sqn-local.properties)")
        String sqnStateFile() default "";

        @AttributeDefinition(description = "How often the subscriber file is checked for changes (seconds)")
        int reloadIntervalSeconds() default 5;

        @AttributeDefinition(description = "SQN steps added after SQN_MS on resynchronisation")
        int resyncExtraSteps() default 0;
    }

    private ScheduledExecutorService reloader;
    private LocalVectorSource source;

    @Activate
    void activate(Config config) {
        Path csv = config.subscribersFile().isBlank()
                ? Path.of(System.getProperty("karaf.etc", "etc"), "hss-subscribers.csv") : Path.of(config.subscribersFile());
        Path state = config.sqnStateFile().isBlank()
                ? Path.of(System.getProperty("karaf.data", "data"), "opentwag", "sqn-local.properties")
                : Path.of(config.sqnStateFile());
        SubscriberDatabase db = new SubscriberDatabase(csv, state);
        source = new LocalVectorSource(db, config.resyncExtraSteps());
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opentwag-subscribers-reload");
            t.setDaemon(true);
            return t;
        });
        reloader.scheduleWithFixedDelay(db::reloadIfChanged, config.reloadIntervalSeconds(),
                config.reloadIntervalSeconds(), TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        reloader.shutdownNow();
    }

    @Override
    public CompletionStage<AuthVector> fetch(VectorRequest request) {
        return source.fetch(request);
    }

    @Override
    public CompletionStage<AuthVector> resynchronize(VectorRequest request, byte[] rand, byte[] auts) {
        return source.resynchronize(request, rand, auts);
    }
}
