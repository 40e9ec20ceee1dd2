package org.opentwag.state.hazelcast;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Every value of the shared maps sealed with AES-256-GCM (JDK javax.crypto) under a key derived from the cluster
 * key, with the map name and the entry's key as associated data: a value cannot be read without the key, changed
 * without detection, or moved to another entry (a re-authentication context replayed under another identity).
 *
 * <p>Layout: {@code FORMAT | key id | writer salt (16) | nonce (12) | ciphertext | tag (16)}, 46 bytes more than
 * the serialised value. The header is authenticated too.
 *
 * <p>Nonces: GCM must never see one (key, nonce) pair twice. Random 96-bit nonces under one cluster-wide key allow
 * only about 2^32 values (NIST SP 800-38D), which a busy cluster writing ten values per authentication reaches in
 * days. Instead each writer (this object, i.e. one member's run) draws a random 128-bit salt at start and derives
 * its own AES key, HMAC-SHA256(cluster key, label | salt); under that key the nonce is a counter. No two members and
 * no two runs of one member share a derived key (salts collide with probability 2^-128 per pair), the counter never
 * repeats within a run, and no state has to survive a restart or be coordinated between members. Readers derive the
 * writer's key from the salt in the header, once per writer (cached).
 *
 * <p>Key rotation: one current key (sealing and opening) and any number of previous ones (opening only), each
 * recognised by its one-byte id.
 */
final class SealedValueCipher implements ValueProtection {

    /** First byte of a sealed value; a JDK-serialised value starts with 0xAC, so the two never mix up. */
    static final byte FORMAT = 0x01;

    private static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER_BYTES = 2 + SALT_BYTES + NONCE_BYTES;
    /** Bound on the cache of readers' derived keys: one per writer run, a handful in practice. */
    private static final int MAX_CACHED_WRITERS = 1024;
    private static final byte[] LABEL = "opentwag cluster value key v1".getBytes(StandardCharsets.US_ASCII);

    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every JDK", e);
        }
    });

    private final ClusterKey current;
    private final List<ClusterKey> readable;
    private final boolean acceptPlaintext;
    private final byte[] salt = new byte[SALT_BYTES];
    private final SecretKeySpec writerKey;
    private final AtomicLong counter = new AtomicLong();
    private final Map<ByteBuffer, SecretKeySpec> readerKeys = new ConcurrentHashMap<>();

    /**
     * @param current         the key values are sealed under (and opened with)
     * @param previous        keys values may still be sealed under (rotation), opened only
     * @param acceptPlaintext whether a value written in clear (by a member without key, during a migration) is
     *                        accepted; otherwise it is refused, so that whoever can reach the cluster port cannot
     *                        slip in a value of their own
     */
    SealedValueCipher(ClusterKey current, List<ClusterKey> previous, boolean acceptPlaintext) {
        this.current = current;
        List<ClusterKey> all = new ArrayList<>();
        all.add(current);
        all.addAll(previous);
        this.readable = List.copyOf(all);
        this.acceptPlaintext = acceptPlaintext;
        new SecureRandom().nextBytes(salt);
        this.writerKey = derive(current, salt);
    }

    @Override
    public boolean encrypts() {
        return true;
    }

    @Override
    public byte[] seal(String mapName, String key, byte[] plain) {
        byte[] out = new byte[HEADER_BYTES + plain.length + TAG_BITS / 8];
        out[0] = FORMAT;
        out[1] = current.id();
        System.arraycopy(salt, 0, out, 2, SALT_BYTES);
        // nonce: 4 zero bytes and a 64-bit counter, unique under this writer's key
        ByteBuffer.wrap(out, 2 + SALT_BYTES + 4, 8).putLong(counter.incrementAndGet());
        try {
            Cipher c = CIPHER.get();
            c.init(Cipher.ENCRYPT_MODE, writerKey, new GCMParameterSpec(TAG_BITS, out, 2 + SALT_BYTES, NONCE_BYTES));
            c.updateAAD(out, 0, HEADER_BYTES);
            c.updateAAD(associatedData(mapName, key));
            c.doFinal(plain, 0, plain.length, out, HEADER_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public byte[] open(String mapName, String key, byte[] stored) throws UnreadableValueException {
        if (stored.length == 0 || stored[0] != FORMAT) {
            if (acceptPlaintext) {
                return stored;
            }
            throw new UnreadableValueException("the value is not encrypted (written by a member without the cluster "
                    + "key?) and allowPlaintext is off");
        }
        if (stored.length < HEADER_BYTES + TAG_BITS / 8) {
            throw new UnreadableValueException("the sealed value is truncated (" + stored.length + " bytes)");
        }
        byte id = stored[1];
        byte[] aad = associatedData(mapName, key);
        boolean known = false;
        for (ClusterKey k : readable) {
            if (k.id() != id) {
                continue;
            }
            known = true;
            try {
                Cipher c = CIPHER.get();
                c.init(Cipher.DECRYPT_MODE, readerKey(k, stored),
                        new GCMParameterSpec(TAG_BITS, stored, 2 + SALT_BYTES, NONCE_BYTES));
                c.updateAAD(stored, 0, HEADER_BYTES);
                c.updateAAD(aad);
                return c.doFinal(stored, HEADER_BYTES, stored.length - HEADER_BYTES);
            } catch (AEADBadTagException wrongKeyOrTampered) {
                // another key with the same id may be the right one
            } catch (GeneralSecurityException e) {
                throw new UnreadableValueException("AES-GCM failed: " + e.getClass().getSimpleName());
            }
        }
        throw new UnreadableValueException(known
                ? "authentication failed: the value was changed, moved to another key, or sealed under another "
                        + "cluster key with the same id"
                : String.format("sealed under a cluster key this member does not have (key id %02x)", id & 0xff));
    }

    private SecretKeySpec readerKey(ClusterKey k, byte[] stored) {
        if (k == current && Arrays.equals(salt, 0, SALT_BYTES, stored, 2, 2 + SALT_BYTES)) {
            return writerKey;
        }
        // keyed by which of our keys and the writer's salt (not the id byte: two keys may share one)
        byte[] cacheKey = Arrays.copyOfRange(stored, 1, 2 + SALT_BYTES);
        cacheKey[0] = (byte) readable.indexOf(k);
        ByteBuffer writer = ByteBuffer.wrap(cacheKey);
        SecretKeySpec spec = readerKeys.get(writer);
        if (spec == null) {
            if (readerKeys.size() >= MAX_CACHED_WRITERS) {
                readerKeys.clear(); // only someone writing with many salts gets here; deriving again is cheap
            }
            spec = derive(k, Arrays.copyOfRange(stored, 2, 2 + SALT_BYTES));
            readerKeys.put(writer, spec);
        }
        return spec;
    }

    private static SecretKeySpec derive(ClusterKey k, byte[] salt) {
        byte[] label = Arrays.copyOf(LABEL, LABEL.length + salt.length);
        System.arraycopy(salt, 0, label, LABEL.length, salt.length);
        return new SecretKeySpec(k.derive(label), "AES");
    }

    /** Map name and key, length-prefixed so that ("ab", "c") and ("a", "bc") differ. */
    private static byte[] associatedData(String mapName, String key) {
        byte[] m = mapName.getBytes(StandardCharsets.UTF_8);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + m.length + k.length).putInt(m.length).put(m).put(k).array();
    }
}
