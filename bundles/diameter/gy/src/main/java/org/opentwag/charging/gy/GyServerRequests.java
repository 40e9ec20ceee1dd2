package org.opentwag.charging.gy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.opentwag.api.charging.ChargingActions;
import org.opentwag.diameter.codec.DiameterMessage;
import org.opentwag.diameter.codec.ResultCodes;
import org.opentwag.diameter.stack.PeerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests an OCS sends on Gy (RFC 4006 5.5, RFC 6733 8.3 and 8.5):
 * <ul>
 *   <li>Re-Auth-Request: RAA DIAMETER_SUCCESS, then a CCR-U with the usage so far and Reporting-Reason
 *       FORCED_REAUTHORISATION (queued behind any update the charging core has queued for the session); but while a
 *       CCR-U of the session awaits its answer (PendingU, RAR-CCR collision) only the RAA DIAMETER_SUCCESS: the
 *       pending CCR-U's CCA serves as the re-authorisation (RFC 4006 5.5);</li>
 *   <li>Abort-Session-Request: ASA DIAMETER_SUCCESS, then a Disconnect-Request to the AP; the CCR-T follows with the
 *       AP's accounting Stop.</li>
 * </ul>
 * A Session-Id we do not charge gets DIAMETER_UNKNOWN_SESSION_ID (5002); with no charging core running,
 * DIAMETER_UNABLE_TO_COMPLY (5012).
 */
public final class GyServerRequests {

    private static final Logger LOG = LoggerFactory.getLogger(GyServerRequests.class);

    private final GySessions sessions;
    private final Supplier<ChargingActions> actions;
    private final GyStatistics statistics;

    public GyServerRequests(GySessions sessions, Supplier<ChargingActions> actions, GyStatistics statistics) {
        this.sessions = sessions;
        this.actions = actions;
        this.statistics = statistics;
    }

    public CompletionStage<DiameterMessage> reAuth(DiameterMessage rar, PeerInfo from) {
        return CompletableFuture.completedFuture(answer(rar, from, "rar", true));
    }

    public CompletionStage<DiameterMessage> abortSession(DiameterMessage asr, PeerInfo from) {
        return CompletableFuture.completedFuture(answer(asr, from, "asr", false));
    }

    private DiameterMessage answer(DiameterMessage request, PeerInfo from, String kind, boolean reauth) {
        String gySession = request.sessionId().orElse(null);
        String peer = from == null ? request.originHost().orElse("?") : from.host();
        long result;
        ChargingActions a = actions.get();
        String charged = gySession == null ? null : sessions.chargingSession(gySession);
        if (gySession == null) {
            result = ResultCodes.DIAMETER_MISSING_AVP;
        } else if (a == null) {
            result = ResultCodes.DIAMETER_UNABLE_TO_COMPLY;
        } else if (charged == null) {
            result = ResultCodes.DIAMETER_UNKNOWN_SESSION_ID;
        } else if (reauth && sessions.updatePending(gySession)) {
            statistics.serverRequest(kind, ResultCodes.DIAMETER_SUCCESS);
            LOG.info("Gy RAR for {} from {} while its CCR-U awaits an answer: RAA 2001, no new CCR-U (that CCR-U's "
                    + "CCA serves as the re-authorisation, RFC 4006 5.5)", gySession, peer);
            return DiameterMessage.answerTo(request).resultCode(ResultCodes.DIAMETER_SUCCESS).build();
        } else {
            String why = (reauth ? "Re-Auth-Request" : "Abort-Session-Request") + " from " + peer;
            boolean known = reauth ? a.reauthorize(charged, why) : a.abort(charged, why);
            result = known ? ResultCodes.DIAMETER_SUCCESS : ResultCodes.DIAMETER_UNKNOWN_SESSION_ID;
        }
        statistics.serverRequest(kind, result);
        if (result == ResultCodes.DIAMETER_SUCCESS) {
            LOG.info("Gy {} for {} from {}: {}", kind.toUpperCase(), gySession, peer,
                    reauth ? "re-authorising" : "disconnecting at the AP");
        } else {
            LOG.warn("Gy {} for {} from {} answered {}", kind.toUpperCase(), gySession, peer, result);
        }
        return DiameterMessage.answerTo(request).resultCode(result).build();
    }
}
