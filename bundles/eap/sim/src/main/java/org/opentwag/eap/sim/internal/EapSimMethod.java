package org.opentwag.eap.sim.internal;

import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.opentwag.api.eap.EapMethod;
import org.opentwag.api.metrics.CounterStore;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.api.state.StateStore;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.eap.sim.method.SimAuthenticator;
import org.opentwag.eap.sim.method.SimStatistics;
import org.opentwag.eap.simaka.identity.IdentityStore;
import org.opentwag.eap.simaka.privacy.IdentityDecryptor;
import org.opentwag.eap.simaka.protocol.SimAkaMethod;
import org.opentwag.eap.simaka.vectors.VectorSources;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes EAP-SIM as an {@link EapMethod} service (whiteboard: the engine offers it while it is there) and its
 * counters as a {@link MetricsSource}. Installing or removing the bundle touches nothing else: it reads vectors
 * through {@link AuthVectorSource} and keeps identities through the shared layer's {@link IdentityStore} over the
 * {@link StateStore}, both services of others.
 */
@Component(immediate = true, configurationPid = "org.opentwag.eap.sim", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EapSimMethod.Config.class)
public class EapSimMethod {

    @ObjectClassDefinition(name = "OpenTWAG EAP-SIM")
    public @interface Config {
        @AttributeDefinition(description = "RANDs per SIM/Challenge: 2 or 3 (each one quintuplet of the vector source)")
        int challenges() default 3;

        @AttributeDefinition(description = "Vector source to use (opentwag.vectors.source): swx = the HSS, local = subscriber file")
        String vectorSource() default "swx";

        @AttributeDefinition(description = "Hand out pseudonyms")
        boolean pseudonyms() default true;

        @AttributeDefinition(description = "Hand out fast re-authentication identities")
        boolean fastReauth() default true;

        @AttributeDefinition(description = "Fast re-authentications allowed before a full one")
        int fastReauthMaxCounter() default 16;

        @AttributeDefinition(description = "Lifetime of pseudonyms and fast re-authentication identities (seconds)")
        int fastReauthLifetimeSeconds() default 43200;

        @AttributeDefinition(description = "Realm of the identities we generate; empty = the peer's realm")
        String realm() default "";

        @AttributeDefinition(description = "Offer protected result indications (AT_RESULT_IND)")
        boolean resultIndication() default true;
    }

    private static final Logger LOG = LoggerFactory.getLogger(EapSimMethod.class);

    private final VectorSources sources = new VectorSources();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private CounterStore counterStore;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StateStore store;

    /** The IMSI privacy keys (eap-sim-aka's component); without them encrypted identities are refused. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile IdentityDecryptor privacy;

    private BundleContext context;
    private SimStatistics stats;
    private ServiceRegistration<?> methodRegistration;
    private ServiceRegistration<?> metricsRegistration;

    @Reference(name = "vectorSource", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeSource")
    void addSource(AuthVectorSource source, Map<String, Object> properties) {
        sources.add(source, properties);
    }

    void removeSource(AuthVectorSource source) {
        sources.remove(source);
    }

    @Activate
    void activate(BundleContext context, Config config) {
        this.context = context;
        stats = new SimStatistics(counterStore != null ? counterStore::counter : name -> new LongAdder());
        metricsRegistration = context.registerService(MetricsSource.class, new Metrics(), null);
        publish(config);
    }

    @Modified
    synchronized void modified(Config config) {
        unpublish();
        publish(config);
    }

    @Deactivate
    synchronized void deactivate() {
        sources.retire();
        unpublish();
        try {
            metricsRegistration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregistered it with the bundle
        }
    }

    private synchronized void publish(Config c) {
        sources.want(c.vectorSource());
        SimAuthenticator auth = new SimAuthenticator(new SimAuthenticator.Settings(c.challenges(), c.pseudonyms(),
                c.fastReauth(), c.fastReauthMaxCounter(), c.realm(), c.resultIndication(), c.vectorSource()),
                sources::current, new IdentityStore(() -> store,
                Duration.ofSeconds(c.fastReauthLifetimeSeconds())), stats).withPrivacy(() -> privacy);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("opentwag.eap.type", SimAkaMethod.SIM.eapType());
        props.put("opentwag.eap.method", SimAkaMethod.SIM.methodName());
        methodRegistration = context.registerService(EapMethod.class, auth, props);
        LOG.info("EAP-SIM on: {} RANDs per challenge, vector source '{}'", c.challenges(), c.vectorSource());
    }

    private synchronized void unpublish() {
        if (methodRegistration != null) {
            try {
                methodRegistration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it with the bundle
            }
            methodRegistration = null;
        }
    }

    private final class Metrics implements MetricsSource {
        @Override
        public Map<String, String> help() {
            return Map.of(
                    "eap_sim_identity_count", "EAP-SIM conversations started",
                    "eap_sim_challenge_count", "EAP-SIM challenges sent",
                    "eap_sim_auth_success_count", "Successful EAP-SIM authentications",
                    "eap_sim_auth_reject_count", "Rejected EAP-SIM authentications",
                    "eap_sim_fast_reauth_count", "Successful EAP-SIM fast re-authentications");
        }

        @Override
        public Map<String, Number> values() {
            Map<String, Number> v = new LinkedHashMap<>();
            stats.addTo(v);
            return v;
        }
    }
}
