package org.opentwag.dashboard.rest;

import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.api.charging.ChargingQueries;



import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.opentwag.api.state.ClientState;
import org.opentwag.api.session.AccessSessions;
import org.opentwag.api.state.AuthorizedSession;
import org.opentwag.api.vectors.AuthVectorSource;

/** A backend whose parts a test installs or leaves out. */
public class FakeBackend implements OperatorBackend {

    public org.opentwag.passpoint.PasspointProfiles passpoint;

    public org.opentwag.api.eap.ImsiPrivacy privacy;

    /** Home routing's PDN connections (S2a), or null: not installed. */
    public List<org.opentwag.api.s2a.HomeRouting.PdnConnectionView> pdnConnections;

    @Override
    public Optional<org.opentwag.api.s2a.HomeRouting> homeRouting() {
        List<org.opentwag.api.s2a.HomeRouting.PdnConnectionView> connections = pdnConnections;
        return connections == null ? Optional.empty() : Optional.of(new org.opentwag.api.s2a.HomeRouting() {
            @Override
            public List<PgwPeerView> peers() {
                return List.of();
            }

            @Override
            public List<PdnConnectionView> connections() {
                return connections;
            }
        });
    }

    @Override
    public Optional<org.opentwag.api.eap.ImsiPrivacy> imsiPrivacy() {
        return Optional.ofNullable(privacy);
    }

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

    /** The access-session service over {@link #store}: disconnect goes to {@link #disconnected}. */
    @Override
    public Optional<AccessSessions> accessSessions() {
        MapStore rows = store;
        if (rows == null) {
            return Optional.empty();
        }
        return Optional.of(new AccessSessions() {
            @Override
            public Collection<ClientState> clients() {
                return List.copyOf(rows.clients.values());
            }

            @Override
            public Optional<ClientState> client(String identityOrImsi) {
                ClientState c = rows.clients.get(identityOrImsi);
                return c != null ? Optional.of(c) : rows.clients.values().stream()
                        .filter(r -> identityOrImsi.equals(r.imsi())).findFirst();
            }

            @Override
            public long activeClientCount() {
                return rows.clients.values().stream().filter(c -> c.status() == ClientState.Status.ACCEPTED).count();
            }

            @Override
            public Optional<AuthorizedSession> authorization(String token) {
                return Optional.empty();
            }

            @Override
            public void ended(String imsi, String nasIp, String reason) {
            }

            @Override
            public CompletionStage<DisconnectOutcome> disconnect(String identityOrImsi, String reason) {
                ClientState c = client(identityOrImsi).orElse(null);
                if (c == null || c.nasIp() == null) {
                    return CompletableFuture.completedFuture(DisconnectOutcome.noClient(identityOrImsi));
                }
                if (!disconnectInstalled) {
                    return CompletableFuture.completedFuture(
                            new DisconnectOutcome(c.identity(), c.nasIp(), "NO_DAS", false, "not running"));
                }
                disconnected.add(c);
                return CompletableFuture.completedFuture(new DisconnectOutcome(c.identity(), c.nasIp(),
                        disconnectAnswer.outcome(), disconnectAnswer.acknowledged(), disconnectAnswer.detail()));
            }
        });
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

    /** The client rows a test puts in. */
    public static final class MapStore {
        final Map<String, ClientState> clients = new HashMap<>();

        public void put(ClientState c) {
            clients.put(c.identity(), c);
        }
    }
}
