package org.opentwag.dashboard.rest;

import java.time.Instant;

import org.opentwag.api.accounting.AccessPoint;

/**
 * One row of the guide's "Access Points" page.
 *
 * @param clientCount sessions open on the AP now (accounting Start without Stop)
 * @param accepts     Access-Accepts sent to it since start, null without the subscriber trace
 * @param rejects     Access-Rejects sent to it since start, null without the subscriber trace
 * @param lastReject  the last reject's reason ("mac_res_mismatch: ..."), null when none
 * @param lastRejectAt when that was
 */
public record AccessPointView(String nasIp, String nasIdentifier, String apMac, String ssid, int nasPortType,
                              int framedMtu, String firstSeen, String lastSeen, int clientCount, Long accepts,
                              Long rejects, String lastReject, String lastRejectAt) {

    public static AccessPointView of(AccessPoint ap) {
        return of(ap, null);
    }

    public static AccessPointView of(AccessPoint ap, org.opentwag.api.trace.AccessPointOutcomes o) {
        return new AccessPointView(ap.nasIp(), ap.nasIdentifier(), ap.apMac(), ap.ssid(), ap.nasPortType(),
                ap.framedMtu(), instant(ap.firstSeenMillis()), instant(ap.lastSeenMillis()), ap.clientCount(),
                o == null ? null : o.accepts(), o == null ? null : o.rejects(),
                o == null || o.lastRejection() == null ? null : o.lastRejection().toString(),
                o == null ? null : instant(o.lastRejectMillis()));
    }

    static String instant(long millis) {
        return millis <= 0 ? null : Instant.ofEpochMilli(millis).toString();
    }
}
