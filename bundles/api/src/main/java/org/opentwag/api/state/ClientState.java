package org.opentwag.api.state;

import java.io.Serializable;

/**
 * Where one client (a phone behind an access point) stands, as the guide's "RADIUS Clients" view shows it:
 * identity, authentication status, last update. Kept by the access-session bundle (in the {@link StateStore}) keyed by
 * the EAP identity of the subscriber's latest login (one entry per subscriber once its IMSI is known). Never holds key
 * material.
 *
 * @param identity         the EAP identity the phone used
 * @param imsi             the IMSI once known, else null
 * @param status           where the authentication stands
 * @param method           the EAP method's name, or null before one was chosen
 * @param nasIp            the access point
 * @param calledStationId  AP MAC:SSID as sent
 * @param callingStationId the phone's MAC
 * @param firstSeenMillis  when this client first authenticated (or tried to)
 * @param lastUpdateMillis when its state last changed
 * @param acceptedAtMillis when it was last accepted, 0 if never
 * @param reason           why it was last rejected, else null
 */
public record ClientState(String identity, String imsi, Status status, String method, String nasIp,
                          String calledStationId, String callingStationId, long firstSeenMillis,
                          long lastUpdateMillis, long acceptedAtMillis, String reason) implements Serializable {

    /** ENDED: the AP reported the end of the accepted session (accounting Stop). */
    public enum Status { AUTHENTICATING, ACCEPTED, REJECTED, ENDED }
}
