package org.opentwag.diameter.stack;

import java.util.concurrent.CompletionStage;
import org.opentwag.diameter.codec.DiameterMessage;

/**
 * Answers incoming requests of one application and command (RTR/PPR at the AAA, MAR/SAR at an HSS, CCR
 * at an OCS). Called on a worker thread of the node, never on a Netty event loop (unless marked
 * {@link #nonBlocking}), so a handler may do some work; for long waits return a stage completed later. The answer is normally built with
 * {@link DiameterMessage#answerTo(DiameterMessage)}; the node fills in Origin-Host/Origin-Realm when
 * missing and the hop-by-hop/end-to-end identifiers. A handler that throws or completes exceptionally
 * makes the node answer DIAMETER_UNABLE_TO_COMPLY (5012).
 */
@FunctionalInterface
public interface RequestHandler {
    CompletionStage<DiameterMessage> handle(DiameterMessage request, PeerInfo from);

    /**
     * {@code handler} marked as one that answers at once and never blocks (no I/O, no waiting, no lock held for
     * long): the node calls it on the connection's event loop, and the answer leaves in the same turn of the loop.
     * Handing a request to a worker and its answer back to the loop costs two thread wake-ups per request when the
     * node is not busy; a handler that may block must not be marked, it would stall every connection of the loop.
     */
    static RequestHandler nonBlocking(RequestHandler handler) {
        return (NonBlocking) handler::handle;
    }

    /** A handler the node runs on the event loop ({@link #nonBlocking}). */
    @FunctionalInterface
    interface NonBlocking extends RequestHandler {
    }
}
