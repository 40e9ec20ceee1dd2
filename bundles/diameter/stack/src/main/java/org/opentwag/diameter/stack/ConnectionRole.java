package org.opentwag.diameter.stack;

/** Who opened the transport connection of a peer. */
public enum ConnectionRole {
    /** We connected to the peer ("OpenTWAG -> Peer"). */
    INITIATOR,
    /** The peer connected to our listener. */
    RESPONDER
}
