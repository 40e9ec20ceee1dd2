package org.opentwag.radius.server;

import java.util.concurrent.CompletionStage;

/**
 * Implemented by the accounting bundle. Called, on a worker thread, for each verified Accounting-Request that is not a
 * duplicate. The stage completes only once the record is durable; only then is the Accounting-Response sent. A failed
 * stage means no response (the AP retries; the retransmission is processed again).
 */
public interface AccountingHandler {
    CompletionStage<Void> account(RadiusRequest request);
}
