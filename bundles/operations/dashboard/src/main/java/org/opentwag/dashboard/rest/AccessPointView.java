package org.opentwag.dashboard.rest;

import java.time.Instant;

import org.opentwag.api.accounting.AccessPoint;

/**
 * One row of the guide's "Access Points" page.
 *
 * @param clientCount sessions open on the AP now (accounting Start without Stop)
 */
public record AccessPointView(String nasIp, String nasIdentifier, String apMac, String ssid, int nasPortType,
                              int framedMtu, String firstSeen, String lastSeen, int clientCount) {

    public static AccessPointView of(AccessPoint ap) {
        return new AccessPointView(ap.nasIp(), ap.nasIdentifier(), ap.apMac(), ap.ssid(), ap.nasPortType(),
                ap.framedMtu(), instant(ap.firstSeenMillis()), instant(ap.lastSeenMillis()), ap.clientCount());
    }

    static String instant(long millis) {
        return millis <= 0 ? null : Instant.ofEpochMilli(millis).toString();
    }
}
