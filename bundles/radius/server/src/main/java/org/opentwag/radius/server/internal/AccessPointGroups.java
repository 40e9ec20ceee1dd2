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
 * The configured access point groups, changed at runtime (Config Admin) while listeners keep running. Lookups read an
 * immutable snapshot, so the packet path takes no lock. The most specific subnet wins; a group without subnets
 * matches any source, but only when no subnet does. A group whose secret is weak (the shipped placeholder, or shorter
 * than {@link AccessPointGroup#MIN_SECRET_LENGTH}) serves its loopback subnets only: the rest is refused, said once in the
 * log at ERROR, kept in {@link #refusedGroups()} for {@code twag:check} and the metrics.
 */
public final class AccessPointGroups {
    private static final Logger LOG = LoggerFactory.getLogger(AccessPointGroups.class);

    private record Entry(Subnet subnet, AccessPointGroup group) {
    }

    private final Map<String, AccessPointGroup> groupsByKey = new LinkedHashMap<>();
    private volatile List<Entry> entries = List.of();
    private volatile List<AccessPointGroup> anySource = List.of();
    private volatile List<Entry> refused = List.of();

    /** Adds or replaces the group known under {@code key} (the configuration's PID). */
    public synchronized void put(String key, AccessPointGroup group) {
        groupsByKey.put(key, group);
        if (group.refusedBeyondLoopback()) {
            LOG.error("RADIUS client group '{}' refused for {}: {}. Only loopback is served until it has a random secret "
                    + "of {} characters or more (etc/{}-<name>.cfg, key 'secret'; see twag:check)", group.name(),
                    group.allowsAnySource() ? "any source" : group.refusedSubnets(), group.weakSecret().orElseThrow(),
                    AccessPointGroup.MIN_SECRET_LENGTH, "org.opentwag.radius.client");
        } else if (group.allowsAnySource()) {
            LOG.warn("RADIUS client group '{}' has no subnets: it accepts requests from any source address", group.name());
        }
        LOG.info("RADIUS client group configured: {}", group);
        rebuild();
    }

    public synchronized void remove(String key) {
        AccessPointGroup removed = groupsByKey.remove(key);
        if (removed != null) {
            LOG.info("RADIUS client group removed: {}", removed.name());
            rebuild();
        }
    }

    public synchronized Collection<AccessPointGroup> groups() {
        return List.copyOf(groupsByKey.values());
    }

    /** The group serving this source address. */
    public Optional<AccessPointGroup> match(InetAddress source) {
        for (Entry entry : entries) { // sorted longest prefix first
            if (entry.subnet().contains(source)) {
                return Optional.of(entry.group());
            }
        }
        List<AccessPointGroup> any = anySource;
        return any.isEmpty() ? Optional.empty() : Optional.of(any.get(0));
    }

    /** The group that would serve this source address but is refused there for its weak secret. */
    public Optional<AccessPointGroup> matchRefused(InetAddress source) {
        for (Entry entry : refused) {
            if (entry.subnet() == null || entry.subnet().contains(source)) {
                return Optional.of(entry.group());
            }
        }
        return Optional.empty();
    }

    /** The groups refused beyond loopback for their weak secret. */
    public synchronized List<AccessPointGroup> refusedGroups() {
        return groupsByKey.values().stream().filter(AccessPointGroup::refusedBeyondLoopback).toList();
    }

    /** The group whose RadSec peer names accept one of the client certificate's names (first configured wins). */
    public Optional<AccessPointGroup> matchCertificate(List<String> certificateNames) {
        List<AccessPointGroup> groups;
        synchronized (this) {
            groups = List.copyOf(groupsByKey.values());
        }
        for (AccessPointGroup group : groups) {
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
        List<AccessPointGroup> any = new ArrayList<>();
        List<Entry> refusedList = new ArrayList<>();
        for (AccessPointGroup group : groupsByKey.values()) {
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
