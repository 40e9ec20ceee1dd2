package org.opentwag.api.eap;

import java.util.concurrent.CompletionStage;

/**
 * An EAP authentication method, registered as an OSGi service. The EAP engine follows these services as they come
 * and go (whiteboard) and offers the peer the methods present.
 *
 * <p>A method holds no per-conversation state of its own: everything lives in the {@link EapConversation} it is
 * handed. Calls must not block: waiting for the HSS is done by returning an incomplete stage.
 */
public interface EapMethod {

    /** The EAP Type this method implements, e.g. 23 for EAP-AKA, 50 for EAP-AKA'. */
    int type();

    /** A display name, e.g. "EAP-AKA'". */
    String name();

    /**
     * Whether this method wants to serve a peer that announced this identity (e.g. EAP-AKA' takes NAIs starting
     * with '6' and its pseudonyms). The engine asks the methods present in order of preference.
     */
    boolean accepts(String identity);

    /**
     * Starts the method for a peer whose EAP-Response/Identity is {@link EapConversation#identity()}.
     * Usually returns the first EAP-Request of the method.
     */
    CompletionStage<EapStep> start(EapConversation conversation);

    /**
     * Processes the peer's EAP-Response of this method's type.
     *
     * @param response the whole EAP packet as received (header included)
     */
    CompletionStage<EapStep> process(EapConversation conversation, byte[] response);
}
