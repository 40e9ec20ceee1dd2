package org.opentwag.eap.simaka.privacy;

/** An encrypted permanent identity the server cannot use, with the reason counted in the metric and the log. */
public final class IdentityDecryptionException extends Exception {

    /** Why; {@link #label()} is the metric's {@code result} label. */
    public enum Reason {
        /** No IMSI privacy key is configured at all. */
        NO_KEY("no_key"),
        /** The phone named a key identifier that no configured key has (an old or foreign certificate). */
        UNKNOWN_KEY("unknown_key"),
        /** Not NUL + base64 (+ , key identifier). */
        MALFORMED("malformed"),
        /** RSA-OAEP decryption failed with every candidate key. */
        UNDECRYPTABLE("undecryptable"),
        /** It decrypted, but to something that is not a permanent identity (0/1/6 + IMSI @ realm). */
        NOT_PERMANENT("not_permanent");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Reason reason;

    public IdentityDecryptionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
