package org.opentwag.state.hazelcast;

import java.util.ArrayList;
import java.util.List;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;

/**
 * Where this member listens and whom it joins, turned into a Hazelcast {@link Config}.
 *
 * <p>Deliberately closed: members only from the configured TCP/IP list (no multicast, no cloud discovery), bound to
 * one interface, nothing on disk (no persistence, no map store: the maps hold key material such as MSKs of fast
 * re-authentication contexts), no phone-home, Jet off. The open-source edition does not encrypt cluster traffic
 * (TLS between members is an Enterprise feature), so values are sealed by the store itself ({@link SealedValueCipher});
 * map keys (identities) and Hazelcast's own messages still cross in clear: bind to a private interface.
 */
public record ClusterSettings(String clusterName, String bindInterface, int port, int portCount, List<String> members,
                              int backupCount, int memberTimeoutSeconds, int operationTimeoutMillis,
                              int joinWaitSeconds, String instanceName) {

    public ClusterSettings {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("clusterName must not be empty");
        }
        if (port < 1 || port > 65535 || portCount < 1 || port + portCount - 1 > 65535) {
            throw new IllegalArgumentException("port/portCount out of range: " + port + "/" + portCount);
        }
        if (backupCount < 0 || backupCount > 6) {
            throw new IllegalArgumentException("backupCount must be 0..6 (Hazelcast's limit): " + backupCount);
        }
        members = List.copyOf(members);
    }

    /** "a:5701, b, c:5702" as configured in etc/, blanks ignored. */
    public static List<String> parseMembers(String list) {
        List<String> members = new ArrayList<>();
        if (list != null) {
            for (String m : list.split("[,\\s]+")) {
                if (!m.isBlank()) {
                    members.add(m.trim());
                }
            }
        }
        return members;
    }

    public Config toHazelcastConfig() {
        Config c = new Config();
        c.setClusterName(clusterName);
        c.setInstanceName(instanceName);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        // Karaf stops the bundle, and with it the member, in order; a JVM hook of its own would race with that.
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        // java.util.logging reaches Karaf's log through pax-logging without an optional import being wired.
        c.setProperty("hazelcast.logging.type", "jdk");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(memberTimeoutSeconds));
        c.setProperty("hazelcast.operation.call.timeout.millis", String.valueOf(operationTimeoutMillis));
        c.setProperty("hazelcast.wait.seconds.before.join", String.valueOf(joinWaitSeconds));
        c.getJetConfig().setEnabled(false);

        NetworkConfig net = c.getNetworkConfig();
        net.setPort(port).setPortAutoIncrement(portCount > 1).setPortCount(portCount);
        net.getInterfaces().setEnabled(true).addInterface(bindInterface);
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members.isEmpty() ? List.of(bindInterface) : members);

        // Every state map: BINARY (we store byte[] anyway), synchronous backups so that a put acknowledged to the
        // caller survives the death of the member that owns the key.
        MapConfig maps = new MapConfig("default");
        maps.setInMemoryFormat(InMemoryFormat.BINARY);
        maps.setBackupCount(backupCount);
        maps.setAsyncBackupCount(0);
        maps.setStatisticsEnabled(true);
        c.addMapConfig(maps);
        return c;
    }
}
