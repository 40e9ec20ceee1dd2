package org.opentwag.charging.gy;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import org.opentwag.api.state.StateStore;

/**
 * Which charged session a Gy Session-Id belongs to, for the requests the OCS starts (RAR, ASR): kept in the state store
 * map {@value #MAP}, Gy Session-Id to the charging core's session id, from the CCA-I to the CCR-T. Owned by this
 * bundle; shared across a cluster like the sessions themselves, so an OCS may send its RAR to any node.
 *
 * <p>Also which Gy sessions have a CCR-U this node sent and still awaits the answer to (RFC 4006 state PendingU: from
 * the send until its CCA, or, when none comes, until the request's lifetime after Tx ends), so that an RAR colliding
 * with it starts no second CCR-U (RFC 4006 5.5). Node-local: the OCS sends its RAR to the Origin-Host of the
 * session's CCRs, the node that sent them.
 */
public final class GySessions {

    public static final String MAP = "gy-sessions";
    /**
     * Longer than the charging core keeps a session without accounting (a day by default): an entry outlives its
     * session only when the CCR-T is never sent, and then it goes after this.
     */
    static final Duration TTL = Duration.ofDays(7);

    private final StateStore store;
    /** Gy Session-Id → CCR-Us of it awaiting an answer (more than one only after a Tx expiry). */
    private final ConcurrentHashMap<String, Integer> updatesPending = new ConcurrentHashMap<>();

    public GySessions(StateStore store) {
        this.store = store;
    }

    void opened(String gySessionId, String chargingSessionId) {
        try {
            store.put(MAP, gySessionId, chargingSessionId, TTL);
        } catch (IllegalStateException full) {
            // The session is charged all the same; only an RAR/ASR for it would be answered 5002.
            org.slf4j.LoggerFactory.getLogger(GySessions.class).warn("Gy session {} not indexed: {}", gySessionId,
                    full.getMessage());
        }
    }

    void closed(String gySessionId) {
        store.remove(MAP, gySessionId, String.class);
    }

    void updateSent(String gySessionId) {
        updatesPending.merge(gySessionId, 1, Integer::sum);
    }

    void updateOver(String gySessionId) {
        updatesPending.computeIfPresent(gySessionId, (k, n) -> n > 1 ? n - 1 : null);
    }

    /** Whether a CCR-U of this Gy session sent by this node still awaits its answer (RFC 4006 PendingU). */
    public boolean updatePending(String gySessionId) {
        return updatesPending.containsKey(gySessionId);
    }

    /** The charging core's session id of this Gy session, or null when unknown (ended, or never ours). */
    public String chargingSession(String gySessionId) {
        return store.get(MAP, gySessionId, String.class);
    }
}
