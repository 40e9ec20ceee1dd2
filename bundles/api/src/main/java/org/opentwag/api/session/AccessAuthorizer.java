package org.opentwag.api.session;

import java.util.concurrent.CompletionStage;

import org.opentwag.api.eap.EapAuthentication;
import org.opentwag.api.eap.NasContext;

/**
 * What the EAP engine hands a finished (or failed) authentication to: the access-session bundle decides whether the
 * subscriber may use the network and what the Access-Accept carries, and keeps the operator's client list. The EAP
 * engine knows nothing of charging, Class tokens or the HSS registration.
 */
public interface AccessAuthorizer {

    /** A conversation for {@code identity} started with the EAP method named {@code method}. Never fails. */
    void authenticating(String identity, NasContext nas, String method);

    /** The authentication of {@code identity} failed (or was refused) for {@code reason}. Never fails. */
    void rejected(String identity, NasContext nas, String reason);

    /**
     * The EAP method verified the subscriber: decide the grant. Completes with {@link AccessGrant.Refused} rather than
     * exceptionally when access is refused.
     */
    CompletionStage<AccessGrant> authorize(EapAuthentication authentication, NasContext nas);
}
