package org.opentwag.radius.server.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured client groups, changed at runtime (Config Admin) while listeners keep running. Lookups read an
 * immutable snapshot, so the packet path takes no lock. The most specific subnet wins; a group without subnets
 * matches any source, but only when no subnet does.
 */
public final class ClientRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRegistry.class);

    private record Entry(Subnet subnet, ClientGroup group) {
    }

    private final Map<String, ClientGroup> groupsByKey = new LinkedHashMap<>();
    private volatile List<Entry> entries = List.of();
    private volatile List<ClientGroup> anySource = List.of();

    /** Adds or replaces the group known under {@code key} (the configuration's PID). */
    public synchronized void put(String key, ClientGroup group) {
        groupsByKey.put(key, group);
        if (group.allowsAnySource()) {
            LOG.warn("RADIUS client group '{}' has no subnets: it accepts requests from any source address", group.name());
        }
        LOG.info("RADIUS client group configured: {}", group);
        rebuild();
    }

    public synchronized void remove(String key) {
        ClientGroup removed = groupsByKey.remove(key);
        if (removed != null) {
            LOG.info("RADIUS client group removed: {}", removed.name());
            rebuild();
        }
    }

    public synchronized Collection<ClientGroup> groups() {
        return List.copyOf(groupsByKey.values());
    }

    /** The group serving this source address. */
    public Optional<ClientGroup> match(InetAddress source) {
        for (Entry entry : entries) { // sorted longest prefix first
            if (entry.subnet().contains(source)) {
                return Optional.of(entry.group());
            }
        }
        List<ClientGroup> any = anySource;
        return any.isEmpty() ? Optional.empty() : Optional.of(any.get(0));
    }

    /** The group whose RadSec peer names accept one of the client certificate's names (first configured wins). */
    public Optional<ClientGroup> matchCertificate(List<String> certificateNames) {
        List<ClientGroup> groups;
        synchronized (this) {
            groups = List.copyOf(groupsByKey.values());
        }
        for (ClientGroup group : groups) {
            for (String name : certificateNames) {
                if (group.acceptsCertificateName(name)) {
                    return Optional.of(group);
                }
            }
        }
        return Optional.empty();
    }

    private void rebuild() {
        List<Entry> list = new ArrayList<>();
        List<ClientGroup> any = new ArrayList<>();
        for (ClientGroup group : groupsByKey.values()) {
            if (group.allowsAnySource()) {
                any.add(group);
            }
            for (Subnet subnet : group.subnets()) {
                list.add(new Entry(subnet, group));
            }
        }
        list.sort((a, b) -> Integer.compare(b.subnet().prefixLength(), a.subnet().prefixLength()));
        entries = List.copyOf(list);
        anySource = List.copyOf(any);
    }
}
