package org.opentwag.api.charging;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

import org.opentwag.api.state.StateCodec;

/**
 * One charged session, as plain data. A backend keeps what it needs between two calls (e.g. the Gy Session-Id and
 * CC-Request-Number) in {@link #backendState()}, with JDK types only, so it can be updated or moved across nodes.
 *
 * @param sessionId        our session key (Acct-Session-Id or the authentication's id)
 * @param imsi             the subscriber
 * @param nasIp            the access point
 * @param calledStationId  AP MAC:SSID as sent, may be null
 * @param callingStationId the phone's MAC, may be null
 * @param backend          the mode of the backend that started the session; it serves the session to its end
 */
public record ChargingSession(String sessionId, String imsi, String nasIp, String calledStationId,
                              String callingStationId, String backend, Map<String, String> backendState)
        implements Serializable {

    /** Its byte form in the state store; the backend state reads back as a mutable {@code HashMap}. */
    public static final StateCodec<ChargingSession> CODEC = StateCodec.of(ChargingSession.class,
            (v, out) -> out.putString(v.sessionId).putString(v.imsi).putString(v.nasIp).putString(v.calledStationId)
                    .putString(v.callingStationId).putString(v.backend).putStringMap(v.backendState),
            in -> new ChargingSession(in.getString(), in.getString(), in.getString(), in.getString(),
                    in.getString(), in.getString(), in.getStringMap()));

    public ChargingSession(String sessionId, String imsi, String nasIp, String calledStationId,
                           String callingStationId, String backend) {
        this(sessionId, imsi, nasIp, calledStationId, callingStationId, backend, new HashMap<>());
    }
}
