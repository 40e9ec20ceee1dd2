package org.opentwag.api.charging;

import java.io.Serializable;

/**
 * Usage of a session as counted by the access point (RADIUS accounting, Gigawords already folded in).
 *
 * @param inputOctets  octets from the user (upload)
 * @param outputOctets octets to the user (download)
 */
public record Usage(long inputOctets, long outputOctets, long inputPackets, long outputPackets,
                    long sessionTimeSeconds) implements Serializable {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);

    public long totalOctets() {
        return inputOctets + outputOctets;
    }
}
