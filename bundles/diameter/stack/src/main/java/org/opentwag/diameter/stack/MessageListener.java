package org.opentwag.diameter.stack;

import org.opentwag.diameter.codec.DiameterMessage;

/** Sees every message sent or received. Called on the Netty event loop: must be quick and must not block. */
@FunctionalInterface
public interface MessageListener {
    /**
     * @param direction "in" or "out"
     * @param message   the message (do not keep key material from it)
     * @param peerHost  Origin-Host of the peer, or null before the capabilities exchange
     */
    void onMessage(String direction, DiameterMessage message, String peerHost);
}
