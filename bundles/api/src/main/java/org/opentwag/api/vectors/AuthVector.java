package org.opentwag.api.vectors;

import java.util.HexFormat;

/**
 * One authentication vector (quintet) as the HSS hands it to the AAA server.
 *
 * @param rand the 16-byte random challenge
 * @param autn the 16-byte network authentication token
 * @param xres the expected response (4 to 16 bytes); the TWAG compares it with the UE's RES
 * @param ck   the cipher key; for {@link AuthScheme#EAP_AKA_PRIME} this is CK' (already bound to the network name)
 * @param ik   the integrity key; for {@link AuthScheme#EAP_AKA_PRIME} this is IK'
 */
public record AuthVector(byte[] rand, byte[] autn, byte[] xres, byte[] ck, byte[] ik) {
    public AuthVector {
        if (rand == null || rand.length != 16) {
            throw new IllegalArgumentException("RAND must be 16 bytes");
        }
        if (autn == null || autn.length != 16) {
            throw new IllegalArgumentException("AUTN must be 16 bytes");
        }
        if (xres == null || xres.length < 4 || xres.length > 16) {
            throw new IllegalArgumentException("XRES must be 4 to 16 bytes");
        }
        if (ck == null || ck.length != 16 || ik == null || ik.length != 16) {
            throw new IllegalArgumentException("CK and IK must be 16 bytes");
        }
    }

    /** Only the public RAND is shown; XRES, CK and IK never leave this object through toString. */
    @Override
    public String toString() {
        return "AuthVector[rand=" + HexFormat.of().formatHex(rand) + "]";
    }
}
