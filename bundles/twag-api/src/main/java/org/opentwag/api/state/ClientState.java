package org.opentwag.api.state;

import java.io.Serializable;

/**
 * Where one client (a phone behind an access point) stands, as the guide's "RADIUS Clients" view shows it:
 * identity, authentication status, last update. Kept in the {@link StateStore} map {@value #MAP} keyed by
 * the EAP identity. Never holds key material.
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

    /** The StateStore map holding client states. */
    public static final String MAP = "clients";

    public enum Status { AUTHENTICATING, ACCEPTED, REJECTED }
}
