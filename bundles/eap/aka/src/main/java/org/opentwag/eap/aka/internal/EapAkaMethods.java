package org.opentwag.eap.aka.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.opentwag.api.eap.EapMethod;
import org.opentwag.api.metrics.CounterStore;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.api.state.StateStore;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.eap.aka.method.AkaAuthenticator;
import org.opentwag.eap.aka.method.AkaStatistics;
import org.opentwag.eap.aka.statistics.EapAkaStatistics;
import org.opentwag.eap.simaka.privacy.IdentityDecryptor;
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
 * Publishes EAP-AKA and EAP-AKA' as {@link EapMethod} services, each switched on or off by configuration, and their
 * counters as a {@link MetricsSource} and an {@link EapAkaStatistics}. A configuration change re-publishes the
 * methods (counters are kept); conversations in flight carry on because their state is data held by the engine.
 *
 * <p>The vector source is picked among the {@link AuthVectorSource} services by their {@code opentwag.vectors.source}
 * property ({@code vectorSource}, default {@code swx}); {@code vectorSource.target} can narrow the reference further
 * with an LDAP filter. Both it and the {@link StateStore} may come and go at run time: without a source a
 * conversation fails with "no vector source 'swx'", without a store no pseudonyms/re-auth identities are kept.
 */
@Component(immediate = true, configurationPid = "org.opentwag.eap.aka", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EapAkaMethods.Config.class)
public class EapAkaMethods {

    @ObjectClassDefinition(name = "OpenTWAG EAP-AKA / EAP-AKA'")
    public @interface Config {
        @AttributeDefinition(description = "Serve EAP-AKA (type 23)")
        boolean akaEnabled() default true;

        @AttributeDefinition(description = "Serve EAP-AKA' (type 50)")
        boolean akaPrimeEnabled() default true;

        @AttributeDefinition(description = "Vector source to use (opentwag.vectors.source): swx = the HSS, local = subscriber file")
        String vectorSource() default "swx";

        @AttributeDefinition(description = "EAP-AKA' access network name (AT_KDF_INPUT), bound into CK'/IK'")
        String networkName() default "WLAN";

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

    private static final Logger LOG = LoggerFactory.getLogger(EapAkaMethods.class);

    private final VectorSources sources = new VectorSources();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final List<ServiceRegistration<?>> methodRegistrations = new ArrayList<>();
    private AkaStatistics akaStats;
    private AkaStatistics akaPrimeStats;

    /**
     * Where the counters live: the state store bundle's, so that a bundle:update of eap-aka does not restart them.
     * Static and greedy: if it appears after us (boot order), the component restarts on it.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private CounterStore counterStore;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StateStore store;

    /** The IMSI privacy keys (eap-sim-aka's component); without them encrypted identities are refused. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile IdentityDecryptor privacy;

    @Reference(name = "vectorSource", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeSource")
    void addSource(AuthVectorSource source, Map<String, Object> properties) {
        sources.add(source, properties);
    }

    void removeSource(AuthVectorSource source) {
        sources.remove(source);
    }

    private BundleContext context;

    @Activate
    void activate(BundleContext context, Config config) {
        this.context = context;
        org.osgi.framework.Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(getClass());
        LOG.info("{} active, code {}", bundle == null ? "outside OSGi:" : bundle.getSymbolicName() + " " + bundle.getVersion(),
                Release.code());
        java.util.function.Function<String, java.util.concurrent.atomic.LongAdder> counters = counterStore != null
                ? counterStore::counter : name -> new java.util.concurrent.atomic.LongAdder();
        akaStats = new AkaStatistics(counters, "EAP-AKA");
        akaPrimeStats = new AkaStatistics(counters, "EAP-AKA'");
        LOG.info("EAP-AKA counters {}", counterStore != null
                ? "kept by the state store bundle (continue across a bundle:update of eap-aka)" : "local to eap-aka");
        registrations.add(context.registerService(new String[]{MetricsSource.class.getName(),
                EapAkaStatistics.class.getName()}, new Metrics(), null));
        publish(config);
    }

    @Modified
    void modified(Config config) {
        unpublishMethods();
        publish(config);
    }

    private synchronized void publish(Config config) {
        sources.want(config.vectorSource());
        if (config.akaEnabled()) {
            register(new AkaAuthenticator(settings(config, false), sources::current, () -> store, akaStats,
                    () -> privacy));
        }
        if (config.akaPrimeEnabled()) {
            register(new AkaAuthenticator(settings(config, true), sources::current, () -> store,
                    akaPrimeStats, () -> privacy));
        }
        LOG.info("EAP-AKA {}, EAP-AKA' {}, vector source '{}'", config.akaEnabled() ? "on" : "off",
                config.akaPrimeEnabled() ? "on" : "off", config.vectorSource());
    }

    @Deactivate
    synchronized void deactivate() {
        sources.retire();
        unpublishMethods();
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it with the bundle
            }
        }
        registrations.clear();
    }

    private synchronized void unpublishMethods() {
        for (ServiceRegistration<?> r : methodRegistrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it with the bundle
            }
        }
        methodRegistrations.clear();
    }

    private static AkaAuthenticator.Settings settings(Config c, boolean prime) {
        return new AkaAuthenticator.Settings(prime, c.networkName(), c.akaPrimeEnabled(), c.pseudonyms(),
                c.fastReauth(), c.fastReauthMaxCounter(), Duration.ofSeconds(c.fastReauthLifetimeSeconds()), c.realm(),
                c.resultIndication(), c.vectorSource());
    }

    private void register(AkaAuthenticator auth) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("opentwag.eap.type", auth.settings().type());
        props.put("opentwag.eap.method", auth.settings().methodName());
        methodRegistrations.add(context.registerService(EapMethod.class, auth, props));
    }

    private final class Metrics implements MetricsSource, EapAkaStatistics {
        @Override
        public Map<String, String> help() {
            return Map.of(
                    IDENTITY, "EAP-AKA Identity exchanges",
                    CHALLENGE, "EAP-AKA Challenge exchanges",
                    SYNC_FAILURE, "Synchronization failures (SQN resync events)",
                    AUTH_SUCCESS, "Successful authentications",
                    AUTH_REJECT, "Rejected authentications",
                    FAST_REAUTH, "Successful fast re-authentications");
        }

        @Override
        public Map<String, Number> values() {
            return new LinkedHashMap<>(snapshot());
        }

        @Override
        public Map<String, Long> snapshot() {
            Map<String, Long> v = new LinkedHashMap<>();
            akaStats.addTo(v, "EAP-AKA");
            akaPrimeStats.addTo(v, "EAP-AKA'");
            return v;
        }
    }
}
