package org.opentwag.diameter.codec;

import static org.opentwag.diameter.codec.CreditControlApplication.CC_INPUT_OCTETS;
import static org.opentwag.diameter.codec.CreditControlApplication.CC_OUTPUT_OCTETS;
import static org.opentwag.diameter.codec.CreditControlApplication.CC_TOTAL_OCTETS;

import java.util.ArrayList;
import java.util.List;

/**
 * The volume members of a Requested-, Granted- or Used-Service-Unit (RFC 4006 8.18, 8.17, 8.19): CC-Total-Octets
 * (421), CC-Input-Octets (412), CC-Output-Octets (414). A member is absent when its value is {@link #ABSENT}; all
 * absent is an empty unit, which in a Requested-Service-Unit lets the server choose the amount (RFC 4006 5.1.1).
 */
public record ServiceUnits(long totalOctets, long inputOctets, long outputOctets) {
    public static final long ABSENT = -1;
    public static final ServiceUnits EMPTY = new ServiceUnits(ABSENT, ABSENT, ABSENT);

    /** Only CC-Total-Octets. */
    public static ServiceUnits total(long octets) {
        return new ServiceUnits(octets, ABSENT, ABSENT);
    }

    /** All three: usage as the access point counts it (input = from the user). */
    public static ServiceUnits used(long inputOctets, long outputOctets) {
        return new ServiceUnits(inputOctets + outputOctets, inputOctets, outputOctets);
    }

    /** The volume: CC-Total-Octets, else input + output (absent counted as 0). */
    public long octets() {
        if (totalOctets != ABSENT) {
            return totalOctets;
        }
        return Math.max(0, inputOctets) + Math.max(0, outputOctets);
    }

    public boolean isEmpty() {
        return totalOctets == ABSENT && inputOctets == ABSENT && outputOctets == ABSENT;
    }

    /** This unit as a Grouped AVP of the given kind (RSU, GSU or USU), members in RFC 4006 order. */
    public Avp toAvp(AvpDefinition kind) {
        return Avp.grouped(kind, members());
    }

    List<Avp> members() {
        List<Avp> m = new ArrayList<>(3);
        if (totalOctets != ABSENT) {
            m.add(Avp.unsigned64(CC_TOTAL_OCTETS, totalOctets));
        }
        if (inputOctets != ABSENT) {
            m.add(Avp.unsigned64(CC_INPUT_OCTETS, inputOctets));
        }
        if (outputOctets != ABSENT) {
            m.add(Avp.unsigned64(CC_OUTPUT_OCTETS, outputOctets));
        }
        return m;
    }

    /** Reads the volume members of a decoded RSU/GSU/USU (other members, e.g. CC-Time, are ignored). */
    public static ServiceUnits from(Avp unit) {
        return new ServiceUnits(unit.memberUnsigned64(CC_TOTAL_OCTETS, ABSENT),
                unit.memberUnsigned64(CC_INPUT_OCTETS, ABSENT), unit.memberUnsigned64(CC_OUTPUT_OCTETS, ABSENT));
    }

    /** {@link #from(Avp)} of the unit, null for none. */
    static ServiceUnits fromOrNull(Avp unit) {
        return unit == null ? null : from(unit);
    }
}
