package org.opentwag.state.hazelcast;

import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import org.opentwag.api.check.Finding;
import org.opentwag.api.check.SafetyCheck;
import org.opentwag.api.metrics.MetricsSource;
import org.opentwag.api.state.StateStore;
import org.opentwag.support.state.ForwardingStateStore;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts this node's Hazelcast member and, once it runs, publishes the clustered {@link StateStore} ranked above the
 * in-memory one (-100), so that every consumer moves to it when this feature is installed.
 *
 * <p>The service is registered by hand rather than by DS: joining a cluster takes seconds (the join wait), and a
 * consumer must never be handed a store whose member is still looking for its peers.
 *
 * <p>Values are sealed under the cluster key ({@link LinkProtection}); without one the member does not start unless
 * {@code allowPlaintext = true}. This component is also the {@link SafetyCheck} for those settings.
 */
@Component(immediate = true, service = SafetyCheck.class, configurationPid = "org.opentwag.state.hazelcast",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HazelcastStateStoreComponent.Config.class)
public class HazelcastStateStoreComponent implements SafetyCheck {

    static final int RANKING = 100;

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastStateStoreComponent.class);

    @ObjectClassDefinition(name = "OpenTWAG state store (Hazelcast cluster)")
    public @interface Config {
        @AttributeDefinition(description = "Cluster name: members with another name never join")
        String clusterName() default "opentwag";

        @AttributeDefinition(description = "The one interface (IP address) cluster traffic is bound to: a private"
                + " network or a WireGuard/IPsec link (values are encrypted, but keys, identities and cluster"
                + " messages are not)")
        String bindInterface() default "127.0.0.1";

        @AttributeDefinition(description = "First port of this member; the next ones are tried when it is taken")
        int port() default 5701;

        @AttributeDefinition(description = "How many ports from 'port' on this member may try")
        int portCount() default 10;

        @AttributeDefinition(description = "The other members, comma-separated host or host:port (TCP/IP join)")
        String members() default "127.0.0.1";

        @AttributeDefinition(description = "Synchronous backups of every entry (1: one node may die without loss)")
        int backupCount() default 1;

        @AttributeDefinition(description = "A member silent for this long is removed from the cluster (seconds)")
        int memberTimeoutSeconds() default 15;

        @AttributeDefinition(description = "An operation not answered in this time fails (milliseconds)")
        int operationTimeoutMillis() default 5000;

        @AttributeDefinition(description = "How long a starting member waits for others before forming a cluster (seconds)")
        int joinWaitSeconds() default 5;

        @AttributeDefinition(description = "Upper bound of entries per map in the whole cluster")
        int maxEntriesPerMap() default 500_000;

        @AttributeDefinition(description = "Entries at most returned to the shell and console per map")
        int maxSnapshotEntries() default 10_000;

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "The cluster key, the same on every member:"
                + " base64 of 32 random bytes (openssl rand -base64 32), best as a reference such as"
                + " $[secret:opentwag-cluster.key]. Every value is encrypted and authenticated under it (AES-GCM);"
                + " without it the member does not start unless allowPlaintext is true")
        String clusterKey() default "";

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Earlier cluster keys, comma-separated,"
                + " still accepted for reading during a key rotation (values are written under clusterKey)")
        String clusterPreviousKeys() default "";

        @AttributeDefinition(description = "Run without clusterKey, values in clear on the cluster link (a lab, or a"
                + " link already inside WireGuard/IPsec); with a key, also accept values written in clear")
        boolean allowPlaintext() default false;
    }

    private volatile HazelcastInstance hazelcast;
    private volatile ServiceRegistration<?> registration;
    private volatile boolean active;
    private volatile List<Finding> findings = List.of();
    private Thread starter;

    @Activate
    void activate(BundleContext context, Config config) {
        LinkProtection link = LinkProtection.of(config.clusterKey(), config.clusterPreviousKeys(),
                config.allowPlaintext());
        findings = link.findings();
        if (link.protection() == null) {
            LOG.error("Clustered state store not started: {}. The cluster link would carry XRES and session keys; "
                    + "set clusterKey (the same on every member) in {}, or allowPlaintext = true to run in clear. "
                    + "This node keeps its state alone until then.", link.problem(), LinkProtection.CFG);
            synchronized (this) {
                registration = context.registerService(MetricsSource.class, new NotStarted(), null);
            }
            return;
        }
        if (!link.protection().encrypts()) {
            LOG.warn("Clustered state store WITHOUT ENCRYPTION (allowPlaintext = true, no clusterKey): XRES and "
                    + "session keys cross the cluster link in clear and any value written there is believed");
        }
        ClusterSettings settings = new ClusterSettings(config.clusterName(), config.bindInterface(), config.port(),
                config.portCount(), ClusterSettings.parseMembers(config.members()), config.backupCount(),
                config.memberTimeoutSeconds(), config.operationTimeoutMillis(), config.joinWaitSeconds(),
                "opentwag-state-" + context.getBundle().getBundleId() + "-" + System.nanoTime());
        active = true;
        // Off the configuration thread: the join may take seconds.
        starter = new Thread(() -> start(context, settings, config, link.protection()), "opentwag-hazelcast-start");
        starter.setDaemon(true);
        starter.start();
    }

    private void start(BundleContext context, ClusterSettings settings, Config config, ValueProtection protection) {
        HazelcastInstance hz;
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        try {
            // Hazelcast looks up its own services (META-INF/services) through the context class loader.
            t.setContextClassLoader(Hazelcast.class.getClassLoader());
            com.hazelcast.config.Config hzConfig = settings.toHazelcastConfig();
            hzConfig.setClassLoader(Hazelcast.class.getClassLoader());
            hz = Hazelcast.newHazelcastInstance(hzConfig);
        } catch (RuntimeException e) {
            LOG.error("Clustered state store not started: Hazelcast member on {}:{} failed: {}",
                    settings.bindInterface(), settings.port(), e.toString());
            return;
        } finally {
            t.setContextClassLoader(previous);
        }
        synchronized (this) {
            if (!active) {
                hz.shutdown();
                return;
            }
            hazelcast = hz;
            HazelcastStateStore store = new HazelcastStateStore(hz, protection, config.maxEntriesPerMap(),
                    config.maxSnapshotEntries(), System::currentTimeMillis);
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(Constants.SERVICE_RANKING, RANKING);
            props.put("opentwag.state.store", "hazelcast");
            registration = context.registerService(new String[] {StateStore.class.getName(),
                    MetricsSource.class.getName()}, new Published(store, hz), props);
        }
        LOG.info("Clustered state store ready: member {} of cluster '{}' with {} member(s), backups {}, values {}",
                hz.getCluster().getLocalMember().getAddress(), settings.clusterName(),
                hz.getCluster().getMembers().size(), settings.backupCount(),
                protection.encrypts() ? "encrypted (AES-GCM under the cluster key)" : "IN CLEAR");
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        synchronized (this) {
            active = false;
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the bundle is stopping: the framework unregistered it already
                }
                registration = null;
            }
        }
        if (starter != null) {
            starter.join(60_000);
        }
        HazelcastInstance hz = hazelcast;
        hazelcast = null;
        if (hz != null) {
            // Graceful: this member's partitions migrate to the others before it leaves.
            hz.shutdown();
            LOG.info("Clustered state store stopped; this node left the cluster");
        }
    }

    @Override
    public List<Finding> findings() {
        return findings;
    }

    static final String SAFE_HELP = "1 when no partition of the state cluster is migrating and every backup is in sync:"
            + " the next node of a rolling change may go (a member that leaves sooner may take the last copy of entries)";

    /** What /metrics shows while the member refused to start: not in a cluster, and why is in the log. */
    static final class NotStarted implements MetricsSource {
        @Override
        public Map<String, String> help() {
            return Map.of("state_cluster_members", "Members of the state cluster this node sees (itself included)",
                    "state_cluster_safe", SAFE_HELP,
                    "state_cluster_not_started", "1 when the clustered store is installed but did not start (no"
                            + " usable clusterKey: see the log and twag:check)");
        }

        @Override
        public Map<String, Number> values() {
            return Map.of("state_cluster_members", 0, "state_cluster_safe", 0, "state_cluster_not_started", 1);
        }

        @Override
        public Kind kind(String metricName) {
            return Kind.GAUGE;
        }
    }

    /** The registered service: the store plus its counters for /metrics. */
    static final class Published extends ForwardingStateStore implements MetricsSource {
        private final HazelcastStateStore store;
        private final HazelcastInstance hz;

        Published(HazelcastStateStore store, HazelcastInstance hz) {
            this.store = store;
            this.hz = hz;
        }

        @Override
        protected StateStore delegate() {
            return store;
        }

        @Override
        public Map<String, String> help() {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("state_cluster_members", "Members of the state cluster this node sees (itself included)");
            h.put("state_cluster_safe", SAFE_HELP);
            h.put("state_store_failure_count", "State store operations failed because the cluster did not answer");
            h.put("state_store_full_count", "State entries refused because their map reached its bound");
            h.put("state_store_unreadable_count", "State entries that could not be deserialised (treated as absent)");
            h.put("state_store_undecryptable_count", "State entries that could not be decrypted or authenticated under"
                    + " the cluster key: another key, no key, tampered (treated as absent)");
            return h;
        }

        @Override
        public Map<String, Number> values() {
            Map<String, Number> v = new LinkedHashMap<>();
            v.put("state_cluster_members", hz.getLifecycleService().isRunning()
                    ? hz.getCluster().getMembers().size() : 0);
            v.put("state_cluster_safe", safe() ? 1 : 0);
            v.put("state_store_failure_count", store.failureCount());
            v.put("state_store_full_count", store.refusedCount());
            v.put("state_store_unreadable_count", store.unreadableCount());
            v.put("state_store_undecryptable_count", store.undecryptableCount());
            return v;
        }

        @Override
        public Kind kind(String metricName) {
            return metricName.startsWith("state_cluster_") ? Kind.GAUGE : Kind.COUNTER;
        }

        /** Hazelcast's own test before a member may go: no partition migrating, every backup in sync. */
        private boolean safe() {
            try {
                return hz.getLifecycleService().isRunning() && hz.getPartitionService().isClusterSafe();
            } catch (RuntimeException notNow) { // shutting down, or the cluster did not answer
                return false;
            }
        }
    }
}
