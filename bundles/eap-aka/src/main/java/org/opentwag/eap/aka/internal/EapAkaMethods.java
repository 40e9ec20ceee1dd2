package org.opentwag.eap.aka.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.eap.EapMethod;
import org.opentwag.api.eap.EapStep;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.api.state.StateStore;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.eap.aka.method.AkaAuthenticator;
import org.opentwag.eap.aka.method.AkaStatistics;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes EAP-AKA and EAP-AKA' as {@link EapMethod} services, each switched on or off by configuration, and their
 * counters as a {@link MetricsSource}. A configuration change re-publishes the methods; conversations in flight carry
 * on because their state is data held by the engine.
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

    private final Map<AuthVectorSource, Map<String, Object>> sources = new ConcurrentHashMap<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final AkaStatistics akaStats = new AkaStatistics();
    private final AkaStatistics akaPrimeStats = new AkaStatistics();
    private volatile String wantedSource;

    @Reference
    private StateStore store;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSource(AuthVectorSource source, Map<String, Object> properties) {
        sources.put(source, properties);
    }

    void removeSource(AuthVectorSource source) {
        sources.remove(source);
    }

    private AuthVectorSource currentSource() {
        String wanted = wantedSource;
        for (Map.Entry<AuthVectorSource, Map<String, Object>> e : sources.entrySet()) {
            if (wanted.equals(String.valueOf(e.getValue().get(AuthVectorSource.SOURCE_PROPERTY)))) {
                return e.getKey();
            }
        }
        return null;
    }

    @Activate
    void activate(BundleContext context, Config config) {
        wantedSource = config.vectorSource();
        if (config.akaEnabled()) {
            register(context, new AkaAuthenticator(settings(config, false), this::currentSource, () -> store, akaStats));
        }
        if (config.akaPrimeEnabled()) {
            register(context, new AkaAuthenticator(settings(config, true), this::currentSource, () -> store,
                    akaPrimeStats));
        }
        registrations.add(context.registerService(MetricsSource.class, new Metrics(), null));
        LOG.info("EAP-AKA {}, EAP-AKA' {}, vector source '{}'", config.akaEnabled() ? "on" : "off",
                config.akaPrimeEnabled() ? "on" : "off", config.vectorSource());
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it with the bundle
            }
        }
        registrations.clear();
    }

    private static AkaAuthenticator.Settings settings(Config c, boolean prime) {
        return new AkaAuthenticator.Settings(prime, c.networkName(), c.akaPrimeEnabled(), c.pseudonyms(),
                c.fastReauth(), c.fastReauthMaxCounter(), Duration.ofSeconds(c.fastReauthLifetimeSeconds()), c.realm(),
                c.resultIndication());
    }

    private void register(BundleContext context, AkaAuthenticator auth) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("opentwag.eap.type", auth.settings().type());
        props.put("opentwag.eap.method", auth.settings().methodName());
        registrations.add(context.registerService(EapMethod.class, new Method(auth), props));
    }

    /** The SPI face of one authenticator. */
    private static final class Method implements EapMethod {
        private final AkaAuthenticator auth;

        Method(AkaAuthenticator auth) {
            this.auth = auth;
        }

        @Override
        public int type() {
            return auth.settings().type();
        }

        @Override
        public String name() {
            return auth.settings().methodName();
        }

        @Override
        public boolean accepts(String identity) {
            return auth.accepts(identity);
        }

        @Override
        public CompletionStage<EapStep> start(EapConversation conversation) {
            return auth.start(conversation);
        }

        @Override
        public CompletionStage<EapStep> process(EapConversation conversation, byte[] response) {
            return auth.process(conversation, response);
        }
    }

    private final class Metrics implements MetricsSource {
        @Override
        public Map<String, String> help() {
            return Map.of(
                    "eap_aka_identity_count", "EAP-AKA Identity exchanges",
                    "eap_aka_challenge_count", "EAP-AKA Challenge exchanges",
                    "eap_aka_sync_failure_count", "Synchronization failures (SQN resync events)",
                    "eap_aka_auth_success_count", "Successful authentications",
                    "eap_aka_auth_reject_count", "Rejected authentications",
                    "eap_aka_fast_reauth_count", "Successful fast re-authentications");
        }

        @Override
        public Map<String, Number> values() {
            Map<String, Number> v = new LinkedHashMap<>();
            put(v, "EAP-AKA", akaStats);
            put(v, "EAP-AKA'", akaPrimeStats);
            return v;
        }

        private void put(Map<String, Number> v, String method, AkaStatistics s) {
            String l = "{method=\"" + method + "\"}";
            v.put("eap_aka_identity_count" + l, s.identity.sum());
            v.put("eap_aka_challenge_count" + l, s.challenge.sum());
            v.put("eap_aka_sync_failure_count" + l, s.syncFailure.sum());
            v.put("eap_aka_auth_success_count" + l, s.success.sum());
            v.put("eap_aka_auth_reject_count" + l, s.reject.sum());
            v.put("eap_aka_fast_reauth_count" + l, s.fastReauth.sum());
        }
    }
}
