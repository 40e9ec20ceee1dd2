package org.opentwag.accounting.sessions;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.opentwag.api.session.AccessSessions;
import org.opentwag.api.state.AuthorizedSession;
import org.opentwag.api.state.ClientState;

/** The access-session service as accounting sees it: rows and authorisations put here by the test. */
final class FakeAccessSessions implements AccessSessions {

    final Map<String, ClientState> clients = new ConcurrentHashMap<>();
    final Map<String, AuthorizedSession> authorizations = new ConcurrentHashMap<>();

    @Override
    public Collection<ClientState> clients() {
        return clients.values();
    }

    @Override
    public Optional<ClientState> client(String identityOrImsi) {
        return Optional.ofNullable(clients.get(identityOrImsi));
    }

    @Override
    public long activeClientCount() {
        return clients.values().stream().filter(c -> c.status() == ClientState.Status.ACCEPTED).count();
    }

    @Override
    public Optional<AuthorizedSession> authorization(String token) {
        return token == null ? Optional.empty() : Optional.ofNullable(authorizations.get(token));
    }

    @Override
    public void ended(String imsi, String nasIp, String reason) {
    }

    @Override
    public CompletionStage<DisconnectOutcome> disconnect(String identityOrImsi, String reason) {
        return CompletableFuture.completedFuture(DisconnectOutcome.noClient(identityOrImsi));
    }
}
