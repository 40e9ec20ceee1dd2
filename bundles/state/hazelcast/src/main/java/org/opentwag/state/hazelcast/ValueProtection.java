package org.opentwag.state.hazelcast;

/**
 * What a value looks like on the cluster link and in the other members' memory: sealed (encrypted and
 * authenticated) under the cluster key, or, only when the operator allowed it, the serialised bytes as they are.
 *
 * <p>Hazelcast's open-source edition has no TLS between members, and the maps hold XRES, K_aut, K_encr, MSK and the
 * keys of fast re-authentication contexts: without a key, anyone who can see the cluster port's traffic can read
 * them, and anyone who can reach it can write a value that another member will believe.
 */
interface ValueProtection {

    /** The bytes to store for {@code plain} under {@code mapName}/{@code key}. */
    byte[] seal(String mapName, String key, byte[] plain);

    /** The serialised value stored under {@code mapName}/{@code key}; throws when it cannot be trusted. */
    byte[] open(String mapName, String key, byte[] stored) throws UnreadableValueException;

    /** Whether values are encrypted (for the log and the safety check). */
    boolean encrypts();

    /** A value this member cannot decrypt or must not accept; the message names why, never a byte of it. */
    final class UnreadableValueException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableValueException(String message) {
            super(message);
        }
    }

    /**
     * No encryption: the operator set {@code allowPlaintext = true} and no key. A sealed value (from a member that
     * has a key) is refused, not misread as serialised bytes.
     */
    ValueProtection PLAINTEXT = new ValueProtection() {
        @Override
        public byte[] seal(String mapName, String key, byte[] plain) {
            return plain;
        }

        @Override
        public byte[] open(String mapName, String key, byte[] stored) throws UnreadableValueException {
            if (stored.length > 0 && stored[0] == SealedValueCipher.FORMAT) {
                throw new UnreadableValueException("the value is encrypted under a cluster key and this member has "
                        + "none (clusterKey is not set)");
            }
            return stored;
        }

        @Override
        public boolean encrypts() {
            return false;
        }
    };
}
