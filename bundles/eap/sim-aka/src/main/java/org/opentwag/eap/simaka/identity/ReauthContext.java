package org.opentwag.eap.simaka.identity;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a fast re-authentication needs from the full authentication before it (RFC 4186 section 5, RFC 4187 section 5,
 * RFC 5448 3.3): the subscriber, the method (its EAP type), the keys K_aut / K_encr / K_re (MK for EAP-SIM and
 * EAP-AKA) and the counter last used. Kept in the state store under the re-authentication identity handed to the
 * peer, by {@link IdentityStore}.
 *
 * <p>Stored as one byte array: a JDK type, so an entry written before a {@code bundle:update} of eap-aka is still
 * readable by the new bundle and by another cluster member (and the format has not changed since it lived in eap-aka); and one object per subscriber in the heap, where a map of
 * named fields was ten, all living for hours in the old generation.
 */
public record ReauthContext(String imsi, int methodType, int counter, byte[] kAut, byte[] kEncr, byte[] kRe) {

    private static final byte FORMAT = 1;

    public byte[] encode() {
        byte[] id = imsi.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(1 + 1 + 4 + 4 + id.length + kAut.length + kEncr.length + kRe.length);
        b.put(FORMAT).put((byte) methodType).putInt(counter);
        b.put((byte) id.length).put((byte) kAut.length).put((byte) kEncr.length).put((byte) kRe.length);
        return b.put(id).put(kAut).put(kEncr).put(kRe).array();
    }

    /**
     * The context from what the state store holds: the byte form, or the map of named fields that versions before it
     * stored (still met right after an upgrade). Null for anything else, which the caller treats as unknown.
     */
    public static ReauthContext decode(Serializable stored) {
        if (stored instanceof byte[] bytes) {
            return fromBytes(bytes);
        }
        if (stored instanceof Map<?, ?> m && m.get("imsi") instanceof byte[] imsi && m.get("type") instanceof byte[] t
                && m.get("counter") instanceof byte[] c && c.length == 4 && m.get("k_aut") instanceof byte[] kAut
                && m.get("k_encr") instanceof byte[] kEncr && m.get("k_re") instanceof byte[] kRe && t.length == 1) {
            return new ReauthContext(new String(imsi, StandardCharsets.US_ASCII), t[0] & 0xff,
                    ByteBuffer.wrap(c).getInt(), kAut, kEncr, kRe);
        }
        return null;
    }

    private static ReauthContext fromBytes(byte[] bytes) {
        if (bytes.length < 10 || bytes[0] != FORMAT) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.get();
        int type = b.get() & 0xff;
        int counter = b.getInt();
        int[] lengths = {b.get() & 0xff, b.get() & 0xff, b.get() & 0xff, b.get() & 0xff};
        if (lengths[0] + lengths[1] + lengths[2] + lengths[3] != b.remaining()) {
            return null;
        }
        byte[][] parts = new byte[4][];
        for (int i = 0; i < 4; i++) {
            parts[i] = new byte[lengths[i]];
            b.get(parts[i]);
        }
        return new ReauthContext(new String(parts[0], StandardCharsets.US_ASCII), type, counter, parts[1], parts[2],
                parts[3]);
    }

    /** Key material: kept out of {@code toString}, which a log line or a debugger might print. */
    @Override
    public String toString() {
        return "ReauthContext[imsi=" + imsi + ", methodType=" + methodType + ", counter=" + counter + "]";
    }
}
