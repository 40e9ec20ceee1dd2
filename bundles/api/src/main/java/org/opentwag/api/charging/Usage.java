package org.opentwag.api.charging;

import java.io.Serializable;

import org.opentwag.api.state.StateCodec;

/**
 * Usage of a session as counted by the access point (RADIUS accounting, Gigawords already folded in).
 *
 * @param inputOctets  octets from the user (upload)
 * @param outputOctets octets to the user (download)
 */
public record Usage(long inputOctets, long outputOctets, long inputPackets, long outputPackets,
                    long sessionTimeSeconds) implements Serializable {

    /** Its byte form in the state store. */
    public static final StateCodec<Usage> CODEC = StateCodec.of(Usage.class,
            (v, out) -> out.putLong(v.inputOctets).putLong(v.outputOctets).putLong(v.inputPackets)
                    .putLong(v.outputPackets).putLong(v.sessionTimeSeconds),
            in -> new Usage(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong()));

    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);

    public long totalOctets() {
        return inputOctets + outputOctets;
    }
}
