package org.opentwag.api.eap;

import java.io.Serializable;

/**
 * Where an authentication comes from, as the access point told us in the Access-Request.
 *
 * @param nasIp            NAS-IP-Address (or the packet's source address when absent)
 * @param nasIdentifier    NAS-Identifier, may be null
 * @param calledStationId  Called-Station-Id as sent (usually {@code AP-MAC:SSID}), may be null
 * @param callingStationId Calling-Station-Id (the phone's MAC), may be null
 * @param operatorName     Operator-Name (RFC 5580 4.1), the access network's owner as {@code NAMESPACE:name}
 *                         (e.g. {@code REALM:hotspot.example.net}), may be null
 * @param location         Location-Information / Location-Data (RFC 5580 4.2, 4.3) decoded for people, may be null
 * @param chargeableUserIdentityRequested whether the AP sent Chargeable-User-Identity (RFC 4372 2.1): only then
 *                         may the Access-Accept carry one
 */
public record NasContext(String nasIp, String nasIdentifier, String calledStationId, String callingStationId,
                         String operatorName, String location, boolean chargeableUserIdentityRequested)
        implements Serializable {

    /** An access point that sent none of the RFC 5580 / RFC 4372 attributes. */
    public NasContext(String nasIp, String nasIdentifier, String calledStationId, String callingStationId) {
        this(nasIp, nasIdentifier, calledStationId, callingStationId, null, null, false);
    }
}
