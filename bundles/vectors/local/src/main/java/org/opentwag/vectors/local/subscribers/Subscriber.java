package org.opentwag.vectors.local.subscribers;

/**
 * One line of the subscriber file: {@code imsi,ki,opc,amf,sqn}.
 *
 * @param sqn the last sequence number issued according to the file
 */
public record Subscriber(String imsi, byte[] ki, byte[] opc, byte[] amf, long sqn) {

    /** Ki and OPc never leave through toString. */
    @Override
    public String toString() {
        return "Subscriber[imsi=" + imsi + "]";
    }
}
