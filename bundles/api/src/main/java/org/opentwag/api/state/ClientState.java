package org.opentwag.api.state;

import java.io.Serializable;

/**
 * Where one client (a phone behind an access point) stands, as the guide's "RADIUS Clients" view shows it:
 * identity, authentication status, last update. Kept in the {@link StateStore} map {@value #MAP} keyed by
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

    /** The StateStore map holding client states. */
    public static final String MAP = "clients";

    /**
     * The StateStore map IMSI → the identity (key in {@link #MAP}) of that subscriber's latest accepted login: a phone
     * uses a new pseudonym or re-authentication identity at almost every login, and its client entry moves with it.
     */
    public static final String BY_IMSI_MAP = "clients.by-imsi";

    /** The client known under {@code identityOrImsi}: an EAP identity, else an IMSI's latest identity; or null. */
    public static ClientState find(StateStore store, String identityOrImsi) {
        ClientState c = store.get(MAP, identityOrImsi, ClientState.class);
        if (c == null) {
            String latest = store.get(BY_IMSI_MAP, identityOrImsi, String.class);
            if (latest != null) {
                c = store.get(MAP, latest, ClientState.class);
            }
        }
        return c;
    }

    public enum Status { AUTHENTICATING, ACCEPTED, REJECTED }
}
