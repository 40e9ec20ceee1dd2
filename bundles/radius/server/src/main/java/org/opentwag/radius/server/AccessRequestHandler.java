package org.opentwag.radius.server;

import java.util.concurrent.CompletionStage;

/**
 * Implemented by the EAP engine (eap-core). Called, on a worker thread, for each verified Access-Request that is not a
 * duplicate. Return quickly: long work (Diameter, database) belongs in the returned stage. A stage that fails or does
 * not complete within the server's request timeout gets no answer (the AP retransmits).
 */
public interface AccessRequestHandler {
    CompletionStage<RadiusReply> handle(RadiusRequest request);
}
