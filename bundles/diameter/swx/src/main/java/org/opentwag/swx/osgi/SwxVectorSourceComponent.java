package org.opentwag.swx.osgi;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.opentwag.api.vectors.AuthScheme;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.api.vectors.Non3gppUserData;
import org.opentwag.api.vectors.SubscriberProfileListener;
import org.opentwag.swx.SwxMessages.BatchDefect;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.diameter.stack.DiameterService;
import org.opentwag.swx.SwxSettings;
import org.opentwag.swx.SwxVectorSource;
import org.opentwag.api.vectors.SubscriberTerminationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers {@link SwxVectorSource} as {@code AuthVectorSource} with {@code opentwag.vectors.source=swx} on the default
 * Diameter node. A configuration change reactivates it (the vector cache is dropped, which is harmless).
 * Immediate: a delayed component would be torn down whenever its only user (eap-aka) is updated, dropping the vector
 * cache and failing the conversations the old eap-aka still finishes with it.
 */
@Component(service = {AuthVectorSource.class, MetricsSource.class}, configurationPid = "org.opentwag.swx", immediate = true,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = AuthVectorSource.SOURCE_PROPERTY + "=swx")
@Designate(ocd = SwxConfig.class)
public class SwxVectorSourceComponent implements AuthVectorSource, MetricsSource {

    private static final Logger LOG = LoggerFactory.getLogger(SwxVectorSourceComponent.class);

    private final List<SubscriberTerminationListener> listeners = new CopyOnWriteArrayList<>();
    private final List<SubscriberProfileListener> profileListeners = new CopyOnWriteArrayList<>();
    private final SwxVectorSource source;

    @Activate
    public SwxVectorSourceComponent(@Reference(target = "(diameter.node=default)") DiameterService diameter,
                                    SwxConfig config) {
        SwxSettings settings = settings(config);
        if (config.vectorsPerRequest() > 1 && !settings.cacheEnabled()) {
            LOG.info("SWx vectorsPerRequest={} ignored: vectorCacheSeconds=0 (one vector per MAR)",
                    config.vectorsPerRequest());
        }
        source = new SwxVectorSource(diameter, settings, () -> listeners, () -> profileListeners,
                Clock.systemUTC());
        LOG.info("SWx vector source on {}: HSS realm {}{}, {} vector(s) per MAR, cache {}, SAR {}, HSS derives CK'/IK' {}",
                diameter.originHost(), settings.hssRealm(),
                settings.hssHost() == null ? "" : " host " + settings.hssHost(), settings.itemsPerMar(),
                settings.cacheEnabled() ? settings.vectorCacheTtl().toSeconds() + " s" : "off",
                settings.sendSar() ? "on" : "off", settings.hssDerivesCkIkPrime());
    }

    static SwxSettings settings(SwxConfig c) {
        return new SwxSettings(c.hssRealm(), c.hssHost(), c.hssDerivesCkIkPrime(), c.vectorsPerRequest(),
                Duration.ofSeconds(c.vectorCacheSeconds()), c.vectorCacheMaxSubscribers(), c.sendSar(),
                Duration.ofMillis(c.requestTimeoutMillis()));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(SubscriberTerminationListener listener) {
        listeners.add(listener);
    }

    void removeListener(SubscriberTerminationListener listener) {
        listeners.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addProfileListener(SubscriberProfileListener listener) {
        profileListeners.add(listener);
    }

    void removeProfileListener(SubscriberProfileListener listener) {
        profileListeners.remove(listener);
    }

    @Deactivate
    void deactivate() {
        source.close();
    }

    @Override
    public CompletionStage<AuthVector> fetch(VectorRequest request) {
        return source.fetch(request);
    }

    @Override
    public CompletionStage<AuthVector> resynchronize(VectorRequest request, byte[] rand, byte[] auts) {
        return source.resynchronize(request, rand, auts);
    }

    @Override
    public CompletionStage<Optional<Non3gppUserData>> registered(String imsi, AuthScheme scheme) {
        return source.registered(imsi, scheme);
    }

    @Override
    public CompletionStage<Void> deregistered(String imsi) {
        return source.deregistered(imsi);
    }

    private static final String REJECTED_BATCHES = "swx_vector_batch_rejected_count";
    private static final String PUSH_PROFILES = "swx_push_profile_count";
    private static final String REGISTRATION_TERMINATIONS = "swx_registration_termination_count";

    @Override
    public Map<String, String> help() {
        return Map.of(REJECTED_BATCHES, "MAA vector batches dropped because their vectors repeat a RAND, AUTN or XRES",
                PUSH_PROFILES, "SWx Push-Profile-Requests from the HSS, by outcome",
                REGISTRATION_TERMINATIONS, "SWx Registration-Termination-Requests from the HSS, by outcome");
    }

    @Override
    public Map<String, Number> values() {
        Map<String, Number> v = new LinkedHashMap<>();
        for (BatchDefect d : BatchDefect.values()) {
            v.put(REJECTED_BATCHES + "{reason=\"" + d.label() + "\"}", source.rejectedBatches(d));
        }
        for (SwxVectorSource.PushProfileOutcome o : SwxVectorSource.PushProfileOutcome.values()) {
            v.put(PUSH_PROFILES + "{outcome=\"" + o.name().toLowerCase(Locale.ROOT) + "\"}", source.pushProfiles(o));
        }
        for (SwxVectorSource.RegistrationTerminationOutcome o : SwxVectorSource.RegistrationTerminationOutcome.values()) {
            v.put(REGISTRATION_TERMINATIONS + "{outcome=\"" + o.name().toLowerCase(Locale.ROOT) + "\"}",
                    source.registrationTerminations(o));
        }
        return v;
    }
}
