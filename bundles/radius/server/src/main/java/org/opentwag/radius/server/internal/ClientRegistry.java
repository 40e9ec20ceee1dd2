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
 * matches any source, but only when no subnet does. A group whose secret is weak (the shipped placeholder, or shorter
 * than {@link ClientGroup#MIN_SECRET_LENGTH}) serves its loopback subnets only: the rest is refused, said once in the
 * log at ERROR, kept in {@link #refusedGroups()} for {@code twag:check} and the metrics.
 */
public final class ClientRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRegistry.class);

    private record Entry(Subnet subnet, ClientGroup group) {
    }

    private final Map<String, ClientGroup> groupsByKey = new LinkedHashMap<>();
    private volatile List<Entry> entries = List.of();
    private volatile List<ClientGroup> anySource = List.of();
    private volatile List<Entry> refused = List.of();

    /** Adds or replaces the group known under {@code key} (the configuration's PID). */
    public synchronized void put(String key, ClientGroup group) {
        groupsByKey.put(key, group);
        if (group.refusedBeyondLoopback()) {
            LOG.error("RADIUS client group '{}' refused for {}: {}. Only loopback is served until it has a random secret "
                    + "of {} characters or more (etc/{}-<name>.cfg, key 'secret'; see twag:check)", group.name(),
                    group.allowsAnySource() ? "any source" : group.refusedSubnets(), group.weakSecret().orElseThrow(),
                    ClientGroup.MIN_SECRET_LENGTH, "org.opentwag.radius.client");
        } else if (group.allowsAnySource()) {
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

    /** The group that would serve this source address but is refused there for its weak secret. */
    public Optional<ClientGroup> matchRefused(InetAddress source) {
        for (Entry entry : refused) {
            if (entry.subnet() == null || entry.subnet().contains(source)) {
                return Optional.of(entry.group());
            }
        }
        return Optional.empty();
    }

    /** The groups refused beyond loopback for their weak secret. */
    public synchronized List<ClientGroup> refusedGroups() {
        return groupsByKey.values().stream().filter(ClientGroup::refusedBeyondLoopback).toList();
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
        List<Entry> refusedList = new ArrayList<>();
        for (ClientGroup group : groupsByKey.values()) {
            if (group.allowsAnySource() && group.weakSecret().isEmpty()) {
                any.add(group);
            }
            for (Subnet subnet : group.servedSubnets()) {
                list.add(new Entry(subnet, group));
            }
            if (group.refusedBeyondLoopback()) {
                if (group.allowsAnySource()) {
                    refusedList.add(new Entry(null, group));
                }
                for (Subnet subnet : group.refusedSubnets()) {
                    refusedList.add(new Entry(subnet, group));
                }
            }
        }
        refused = List.copyOf(refusedList);
        list.sort((a, b) -> Integer.compare(b.subnet().prefixLength(), a.subnet().prefixLength()));
        entries = List.copyOf(list);
        anySource = List.copyOf(any);
    }
}
