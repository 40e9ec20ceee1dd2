package org.opentwag.diameter.stack;

/** The peer states of RFC 6733 5.6 and RFC 3539, as far as an operator needs them. */
public enum PeerState {
    /** No transport connection (not yet connected, lost, or waiting to reconnect). */
    CLOSED,
    /** We are opening the transport connection (TCP, then TLS). */
    WAIT_CONN_ACK,
    /** We sent CER and wait for CEA. */
    WAIT_CEA,
    /** Capabilities exchanged: requests flow. */
    OPEN,
    /** A watchdog answer was missed (RFC 3539): no new requests, pending ones failed over. */
    SUSPECT,
    /** DPR sent or received: the connection is going down. */
    CLOSING
}
