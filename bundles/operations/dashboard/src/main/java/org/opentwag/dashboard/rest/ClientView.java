package org.opentwag.dashboard.rest;

import java.time.Instant;

import org.opentwag.api.state.ClientState;

/**
 * One row of the guide's "RADIUS Clients" page. Built from {@link ClientState}, which holds no key material.
 *
 * @param sessionDurationSeconds now - acceptedAt for an accepted client, else null
 * @param operatorName           the access network's owner (RFC 5580 Operator-Name), else null
 * @param location               where the AP said it (or the phone) is (RFC 5580), else null
 * @param chargeableUserIdentity the Chargeable-User-Identity (RFC 4372) handed to the AP, else null
 */
public record ClientView(String identity, String imsi, String status, String method, String accessPoint,
                         String calledStationId, String callingStationId, String firstSeen, String lastUpdate,
                         Long sessionDurationSeconds, String reason, String operatorName, String location,
                         String chargeableUserIdentity) {

    public static ClientView of(ClientState c, long nowMillis) {
        Long duration = c.status() == ClientState.Status.ACCEPTED && c.acceptedAtMillis() > 0
                ? Math.max(0, (nowMillis - c.acceptedAtMillis()) / 1000) : null;
        return new ClientView(c.identity(), c.imsi(), label(c.status()), c.method(), c.nasIp(),
                c.calledStationId(), c.callingStationId(), instant(c.firstSeenMillis()),
                instant(c.lastUpdateMillis()), duration, c.reason(), c.operatorName(), c.location(),
                c.chargeableUserIdentity());
    }

    /** The guide's wording: Accepted, Authenticating, Rejected; Ended once the AP reported the session's end. */
    public static String label(ClientState.Status s) {
        return switch (s) {
            case ACCEPTED -> "Accepted";
            case AUTHENTICATING -> "Authenticating";
            case REJECTED -> "Rejected";
            case ENDED -> "Ended";
        };
    }

    private static String instant(long millis) {
        return millis <= 0 ? null : Instant.ofEpochMilli(millis).toString();
    }
}
