package org.opentwag.api.state;

import java.io.Serializable;

/**
 * One Access-Accept, remembered so accounting can tie the AP's session to a subscriber: the server puts
 * {@link #CLASS_PREFIX} + token in the Class attribute (RFC 2865 section 5.25), the AP echoes it in accounting.
 * Kept by the access-session bundle keyed by the token. No key material.
 */
public record AuthorizedSession(String token, String imsi, String identity, String method, String nasIp,
                                String calledStationId, String callingStationId, long acceptedAtMillis)
        implements Serializable {

    /** Its byte form in the state store. */
    public static final StateCodec<AuthorizedSession> CODEC = StateCodec.of(AuthorizedSession.class,
            (v, out) -> out.putString(v.token).putString(v.imsi).putString(v.identity).putString(v.method)
                    .putString(v.nasIp).putString(v.calledStationId).putString(v.callingStationId)
                    .putLong(v.acceptedAtMillis),
            in -> new AuthorizedSession(in.getString(), in.getString(), in.getString(), in.getString(),
                    in.getString(), in.getString(), in.getString(), in.getLong()));

    /**
     * The key of "this phone at this AP" (IMSI, Calling-Station-Id, NAS-IP): per such key there is one current
     * authorization; eap-core and charging-core keep their per-phone indexes under it.
     */
    public static String phoneKey(String imsi, String callingStationId, String nasIp) {
        return imsi + '|' + callingStationId + '|' + nasIp;
    }

    /** Marks our Class values so a Class set by someone else (a proxy) is not mistaken for ours. */
    public static final String CLASS_PREFIX = "OTWAG1:";
}
