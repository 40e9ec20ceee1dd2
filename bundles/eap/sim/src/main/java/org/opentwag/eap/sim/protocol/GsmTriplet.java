package org.opentwag.eap.sim.protocol;

import java.util.HexFormat;

import org.opentwag.api.vectors.AuthVector;

/**
 * A GSM authentication triplet (RAND, SRES, Kc), made from a UMTS quintuplet by the conversion functions of
 * TS 33.102 §6.8.1.2, as a 3G home network serves a GSM (here: EAP-SIM) access:
 * <ul>
 *   <li>c2: SRES = XRES*1 ⊕ XRES*2 ⊕ XRES*3 ⊕ XRES*4, where XRES* is XRES zero-padded to 128 bits and cut into four
 *       32-bit words (for the usual 8-byte XRES: the XOR of its two halves; a 4-byte XRES is SRES itself);</li>
 *   <li>c3: Kc = CK1 ⊕ CK2 ⊕ IK1 ⊕ IK2, the 64-bit halves of CK and IK.</li>
 * </ul>
 * With Milenage vectors this is GSM-Milenage (TS 55.205), which a SIM simulator computes from the same Ki/OPc.
 */
public record GsmTriplet(byte[] rand, byte[] sres, byte[] kc) {

    public GsmTriplet {
        if (rand == null || rand.length != 16 || sres == null || sres.length != 4 || kc == null || kc.length != 8) {
            throw new IllegalArgumentException("a triplet is a 16-byte RAND, a 4-byte SRES and an 8-byte Kc");
        }
    }

    /** The triplet of a quintuplet: the same RAND, SRES = c2(XRES), Kc = c3(CK, IK). */
    public static GsmTriplet of(AuthVector quintuplet) {
        return new GsmTriplet(quintuplet.rand().clone(), c2(quintuplet.xres()), c3(quintuplet.ck(), quintuplet.ik()));
    }

    /** TS 33.102 §6.8.1.2 c2: SRES from XRES (4 to 16 bytes). */
    public static byte[] c2(byte[] xres) {
        if (xres.length < 4 || xres.length > 16) {
            throw new IllegalArgumentException("XRES must be 4 to 16 bytes");
        }
        byte[] sres = new byte[4];
        for (int i = 0; i < xres.length; i++) {
            sres[i % 4] ^= xres[i]; // the missing bytes of the zero padding XOR nothing in
        }
        return sres;
    }

    /** TS 33.102 §6.8.1.2 c3: Kc from CK and IK (16 bytes each). */
    public static byte[] c3(byte[] ck, byte[] ik) {
        if (ck.length != 16 || ik.length != 16) {
            throw new IllegalArgumentException("CK and IK must be 16 bytes");
        }
        byte[] kc = new byte[8];
        for (int i = 0; i < 8; i++) {
            kc[i] = (byte) (ck[i] ^ ck[i + 8] ^ ik[i] ^ ik[i + 8]);
        }
        return kc;
    }

    /** Only the public RAND: SRES and Kc are secrets. */
    @Override
    public String toString() {
        return "GsmTriplet[rand=" + HexFormat.of().formatHex(rand) + "]";
    }
}
