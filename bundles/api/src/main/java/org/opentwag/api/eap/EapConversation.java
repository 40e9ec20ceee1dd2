package org.opentwag.api.eap;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.opentwag.api.trace.Rejection;
import org.opentwag.api.trace.TraceStep;

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
    private String imsi;
    private Rejection rejection;
    /** Steps noted since the engine last collected them; never stored between round trips. */
    private transient List<TraceStep> steps;
    /** A method's reading of one of its data values, and that value; see {@link #decoded(Object)}. */
    private transient Object decoded;
    private transient Object decodedFrom;

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

    /**
     * What the method last read from (or wrote as) {@code source}, one of its {@link #data()} values, or null: saves
     * decoding the same bytes again within a packet and between packets on this node. Matched by identity, so a value
     * replaced in data() is never answered with an old reading; transient, so a method of an updated bundle or on
     * another node of a cluster decodes the bytes itself (its own class would not match the cached object anyway).
     */
    public Object decoded(Object source) {
        return source != null && source == decodedFrom ? decoded : null;
    }

    /** Remembers the method's reading of {@code source} (an immutable object); see {@link #decoded(Object)}. */
    public void decoded(Object source, Object reading) {
        this.decodedFrom = source;
        this.decoded = reading;
    }

    /** The subscriber's IMSI once the method resolved it (for the subscriber trace), else null. */
    public String imsi() {
        return imsi;
    }

    public void imsi(String imsi) {
        this.imsi = imsi;
    }

    /**
     * The rejection a method decided before it could end the conversation (e.g. while an AKA-Notification "General
     * failure" is on its way to the peer), else null.
     */
    public Rejection rejection() {
        return rejection;
    }

    public void rejection(Rejection rejection) {
        this.rejection = rejection;
    }

    /** Notes a step for the subscriber trace (never key material); the engine collects it after the method's call. */
    public void trace(TraceStep.Kind kind, String detail) {
        if (steps == null) {
            steps = new ArrayList<>(4);
        }
        steps.add(new TraceStep(System.currentTimeMillis(), kind, detail));
    }

    /** The steps noted since the last call, oldest first; the list is emptied. */
    public List<TraceStep> drainSteps() {
        if (steps == null || steps.isEmpty()) {
            return List.of();
        }
        List<TraceStep> out = List.copyOf(steps);
        steps.clear();
        return out;
    }

    @Override
    public String toString() {
        return "EapConversation[id=" + id + ", identity=" + identity + ", method=" + methodType + ", phase=" + phase
                + "]";
    }
}
