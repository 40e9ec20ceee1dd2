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
 * @param operatorName     the access network's owner as the AP named it (RFC 5580 Operator-Name), else null
 * @param location         where the AP said it (or the phone) is (RFC 5580), decoded for people, else null
 * @param chargeableUserIdentity the Chargeable-User-Identity (RFC 4372) handed to the AP, else null
 */
public record ClientState(String identity, String imsi, Status status, String method, String nasIp,
                          String calledStationId, String callingStationId, long firstSeenMillis,
                          long lastUpdateMillis, long acceptedAtMillis, String reason, String operatorName,
                          String location, String chargeableUserIdentity) implements Serializable {

    private static final Status[] STATUSES = Status.values();

    /** Its byte form in the state store. */
    public static final StateCodec<ClientState> CODEC = StateCodec.of(ClientState.class,
            (v, out) -> out.putString(v.identity).putString(v.imsi).putEnum(v.status).putString(v.method)
                    .putString(v.nasIp).putString(v.calledStationId).putString(v.callingStationId)
                    .putLong(v.firstSeenMillis).putLong(v.lastUpdateMillis).putLong(v.acceptedAtMillis)
                    .putString(v.reason).putString(v.operatorName).putString(v.location)
                    .putString(v.chargeableUserIdentity),
            in -> new ClientState(in.getString(), in.getString(), in.getEnum(STATUSES), in.getString(),
                    in.getString(), in.getString(), in.getString(), in.getLong(), in.getLong(), in.getLong(),
                    in.getString(), in.getString(), in.getString(), in.getString()));

    /** A row without the access network's name, location or Chargeable-User-Identity. */
    public ClientState(String identity, String imsi, Status status, String method, String nasIp,
                       String calledStationId, String callingStationId, long firstSeenMillis,
                       long lastUpdateMillis, long acceptedAtMillis, String reason) {
        this(identity, imsi, status, method, nasIp, calledStationId, callingStationId, firstSeenMillis,
                lastUpdateMillis, acceptedAtMillis, reason, null, null, null);
    }

    /** ENDED: the AP reported the end of the accepted session (accounting Stop). */
    public enum Status { AUTHENTICATING, ACCEPTED, REJECTED, ENDED }
}
