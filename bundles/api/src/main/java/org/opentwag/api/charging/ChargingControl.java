package org.opentwag.api.charging;

import java.util.concurrent.CompletionStage;

/**
 * The charging core as the EAP side sees it: asked once per successful authentication, before the Access-Accept.
 * It picks the configured {@link ChargingBackend} and remembers which one serves the session. Usage reaches it
 * afterwards through {@link org.opentwag.api.accounting.AccountingListener}.
 *
 * <p>When no ChargingControl service is present the server accepts without charging.
 */
public interface ChargingControl {

    /**
     * May this subscriber use the network? {@code session.sessionId()} is the token the server puts in the
     * Access-Accept's Class attribute, which the AP echoes in every Accounting-Request of the session.
     */
    CompletionStage<ChargingDecision> authorize(ChargingSession session);
}
