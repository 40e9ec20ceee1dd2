package org.opentwag.charging.gy;

import java.time.Duration;

import org.opentwag.api.state.StateStore;

/**
 * Which charged session a Gy Session-Id belongs to, for the requests the OCS starts (RAR, ASR): kept in the state store
 * map {@value #MAP}, Gy Session-Id to the charging core's session id, from the CCA-I to the CCR-T. Owned by this
 * bundle; shared across a cluster like the sessions themselves, so an OCS may send its RAR to any node.
 */
public final class GySessions {

    public static final String MAP = "gy-sessions";
    /**
     * Longer than the charging core keeps a session without accounting (a day by default): an entry outlives its
     * session only when the CCR-T is never sent, and then it goes after this.
     */
    static final Duration TTL = Duration.ofDays(7);

    private final StateStore store;

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

    /** The charging core's session id of this Gy session, or null when unknown (ended, or never ours). */
    public String chargingSession(String gySessionId) {
        return store.get(MAP, gySessionId, String.class);
    }
}
