package org.opentwag.dashboard.rest;

import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.api.charging.ChargingQueries;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.opentwag.api.state.ClientState;
import org.opentwag.api.state.StateStore;
import org.opentwag.api.vectors.AuthVectorSource;

/** A backend whose parts a test installs or leaves out. */
public class FakeBackend implements OperatorBackend {

    public org.opentwag.passpoint.PasspointProfiles passpoint;

    @Override
    public Optional<org.opentwag.passpoint.PasspointProfiles> passpoint() {
        return Optional.ofNullable(passpoint);
    }

    public MapStore store;
    public FakeAccounting accounting;
    public ChargingQueries charging;
    public List<PeerView> peers;
    public final Map<String, AuthVectorSource> sources = new HashMap<>();
    public final List<ClientState> disconnected = new ArrayList<>();
    public DisconnectResult disconnectAnswer = new DisconnectResult("ACK", true, "Disconnect-ACK");
    public boolean disconnectInstalled;
    public List<ConfigurationView> configurations;
    public final List<org.opentwag.api.check.SafetyCheck> checks = new ArrayList<>();

    @Override
    public List<org.opentwag.api.check.SafetyCheck> safetyChecks() {
        return List.copyOf(checks);
    }

    @Override
    public Optional<StateStore> clientStore() {
        return Optional.ofNullable(store);
    }

    @Override
    public Optional<AccountingQueries> accounting() {
        return Optional.ofNullable(accounting);
    }

    @Override
    public Optional<ChargingQueries> charging() {
        return Optional.ofNullable(charging);
    }

    @Override
    public Optional<List<PeerView>> peers() {
        return Optional.ofNullable(peers);
    }

    @Override
    public Optional<AuthVectorSource> vectorSource(String name) {
        return Optional.ofNullable(sources.get(name));
    }

    @Override
    public Optional<ClientDisconnector> disconnector() {
        if (!disconnectInstalled) {
            return Optional.empty();
        }
        return Optional.of(client -> {
            disconnected.add(client);
            return CompletableFuture.completedFuture(disconnectAnswer);
        });
    }

    @Override
    public Optional<List<ConfigurationView>> configurations() {
        return Optional.ofNullable(configurations);
    }

    /** Accounting with the sessions and access points a test puts in. */
    public static final class FakeAccounting implements AccountingQueries {
        public final List<AccountingSession> sessions = new ArrayList<>();
        public final List<AccessPoint> accessPoints = new ArrayList<>();
        /** Stored records, as the database would return them for any session (filtered by AP and id). */
        public final List<AccountingRecord> records = new ArrayList<>();
        /** When set, reading records fails as a database that is down or too slow does. */
        public String historyFailure;

        @Override
        public List<AccountingSession> openSessions(int limit) {
            return sessions.stream().filter(AccountingSession::open).limit(limit).toList();
        }

        @Override
        public Optional<AccountingSession> session(String nasIp, String acctSessionId) {
            return sessions.stream().filter(s -> s.nasIp().equals(nasIp) && s.acctSessionId().equals(acctSessionId))
                    .findFirst();
        }

        @Override
        public List<AccessPoint> accessPoints() {
            return List.copyOf(accessPoints);
        }

        @Override
        public Optional<AccessPoint> accessPoint(String nasIp) {
            return accessPoints.stream().filter(a -> a.nasIp().equals(nasIp)).findFirst();
        }

        @Override
        public List<AccountingRecord> history(String nasIp, String acctSessionId) {
            if (historyFailure != null) {
                throw new IllegalStateException(historyFailure);
            }
            return records.stream().filter(r -> nasIp.equals(r.nasIp()) && acctSessionId.equals(r.acctSessionId()))
                    .toList();
        }

        @Override
        public long storedRecords() {
            return 0;
        }
    }

    /** An in-memory StateStore without expiry. */
    public static final class MapStore implements StateStore {
        private final Map<String, Map<String, Serializable>> maps = new HashMap<>();

        public void put(ClientState c) {
            put(ClientState.MAP, c.identity(), c, Duration.ofHours(1));
        }

        @Override
        public void put(String map, String key, Serializable value, Duration ttl) {
            maps.computeIfAbsent(map, m -> new HashMap<>()).put(key, value);
        }

        @Override
        public <V extends Serializable> V get(String map, String key, Class<V> type) {
            return type.cast(maps.getOrDefault(map, Map.of()).get(key));
        }

        @Override
        public <V extends Serializable> V remove(String map, String key, Class<V> type) {
            return type.cast(maps.getOrDefault(map, new HashMap<>()).remove(key));
        }

        @Override
        public int size(String map) {
            return maps.getOrDefault(map, Map.of()).size();
        }

        @Override
        public <V extends Serializable> Map<String, V> snapshot(String map, Class<V> type) {
            Map<String, V> out = new HashMap<>();
            maps.getOrDefault(map, Map.of()).forEach((k, v) -> out.put(k, type.cast(v)));
            return out;
        }
    }
}
