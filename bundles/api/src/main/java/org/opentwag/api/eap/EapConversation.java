package org.opentwag.api.eap;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The state of one EAP conversation in flight, as plain data.
 *
 * <p>The EAP engine keeps this object between two RADIUS round trips (keyed by the RADIUS State attribute) and hands
 * it to the {@link EapMethod} with each response. A method stores everything it needs in {@link #data()} using
 * only JDK types (byte arrays, strings), never objects of its own classes: the method bundle may be updated between
 * two packets of the same conversation, and a cluster may move the conversation to another node.
 */
public final class EapConversation implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final NasContext nas;
    private String identity;
    private int methodType;
    private int identifier;
    private String phase = "identity";
    private final long startedAtMillis;
    private final Map<String, byte[]> data = new HashMap<>();

    public EapConversation(String id, NasContext nas, int firstIdentifier, long startedAtMillis) {
        this.id = id;
        this.nas = nas;
        this.identifier = firstIdentifier & 0xff;
        this.startedAtMillis = startedAtMillis;
    }

    /** The engine's key for this conversation (sent to the AP in the RADIUS State attribute). */
    public String id() {
        return id;
    }

    public NasContext nas() {
        return nas;
    }

    /** The identity the peer gave last (EAP-Response/Identity, then possibly AT_IDENTITY). */
    public String identity() {
        return identity;
    }

    public void identity(String identity) {
        this.identity = identity;
    }

    /** The EAP type of the method running this conversation, 0 before one is chosen. */
    public int methodType() {
        return methodType;
    }

    public void methodType(int methodType) {
        this.methodType = methodType;
    }

    /** The Identifier of the last EAP-Request sent. */
    public int identifier() {
        return identifier;
    }

    /** Advances and returns the Identifier for the next EAP-Request (RFC 3748: must change with each new request). */
    public int nextIdentifier() {
        identifier = (identifier + 1) & 0xff;
        return identifier;
    }

    /** A short name of where the conversation stands (e.g. "challenge"), for logs and the shell. */
    public String phase() {
        return phase;
    }

    public void phase(String phase) {
        this.phase = phase;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    /** The method's own state. Values are JDK types only; see the class comment. */
    public Map<String, byte[]> data() {
        return data;
    }

    @Override
    public String toString() {
        return "EapConversation[id=" + id + ", identity=" + identity + ", method=" + methodType + ", phase=" + phase
                + "]";
    }
}
