package org.opentwag.api.charging;

import java.io.Serializable;

import org.opentwag.api.state.StateCodec;

/**
 * A session as the charging core tracks it, from the authorization to the accounting Stop: kept in the
 * {@code StateStore} map {@value #MAP} keyed by the authorization token ({@link ChargingSession#sessionId()}), and shown
 * to operators through {@link ChargingQueries}. Plain data so a charging bundle can be updated while sessions run.
 *
 * @param session          the session as handed to its backend, with the backend's own state
 * @param acctSessionId    Acct-Session-Id once the AP's accounting Start (or first record) arrived, else null
 * @param userName         User-Name of the AP's accounting (for a Disconnect-Request), else null
 * @param startedAtMillis  when the authorization was granted
 * @param updatedAtMillis  when the last accounting record or backend answer changed it
 * @param allowanceOctets  how far the AP's cumulative octet counter may go: usage reported so far plus the grant
 *                         from that point on, or {@link ChargingDecision#UNLIMITED}
 * @param usage            the AP's cumulative usage at the last accounting record ({@link Usage#NONE} before any)
 * @param validUntilMillis when the current grant must be re-authorised (Validity-Time), 0 for never
 * @param finalUnit        the current grant is the last one: the session is disconnected once it is used
 */
public record ChargedSession(ChargingSession session, String acctSessionId, String userName, long startedAtMillis,
                             long updatedAtMillis, long allowanceOctets, Usage usage, long validUntilMillis,
                             boolean finalUnit) implements Serializable {

    /** Its byte form in the state store. */
    public static final StateCodec<ChargedSession> CODEC = StateCodec.of(ChargedSession.class,
            (v, out) -> out.putNullable(v.session, ChargingSession.CODEC).putString(v.acctSessionId)
                    .putString(v.userName).putLong(v.startedAtMillis).putLong(v.updatedAtMillis)
                    .putLong(v.allowanceOctets).putNullable(v.usage, Usage.CODEC).putLong(v.validUntilMillis)
                    .putBoolean(v.finalUnit),
            in -> new ChargedSession(in.getNullable(ChargingSession.CODEC), in.getString(), in.getString(),
                    in.getLong(), in.getLong(), in.getLong(), in.getNullable(Usage.CODEC), in.getLong(),
                    in.getBoolean()));

    /** The StateStore map of the charging core. */
    public static final String MAP = "charging-sessions";

    /** The AP's cumulative octets, in + out. */
    public long usedOctets() {
        return usage.totalOctets();
    }

    /** Octets left before the allowance is used, or {@link ChargingDecision#UNLIMITED}. Never negative otherwise. */
    public long leftOctets() {
        if (allowanceOctets == ChargingDecision.UNLIMITED) {
            return ChargingDecision.UNLIMITED;
        }
        return Math.max(0, allowanceOctets - usedOctets());

    }

    /** The backend's mode serving this session to its end. */
    public String mode() {
        return session.backend();
    }
}
