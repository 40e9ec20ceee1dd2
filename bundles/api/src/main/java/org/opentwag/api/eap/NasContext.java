package org.opentwag.api.eap;

import java.io.Serializable;

/**
 * Where an authentication comes from, as the access point told us in the Access-Request.
 *
 * @param nasIp            NAS-IP-Address (or the packet's source address when absent)
 * @param nasIdentifier    NAS-Identifier, may be null
 * @param calledStationId  Called-Station-Id as sent (usually {@code AP-MAC:SSID}), may be null
 * @param callingStationId Calling-Station-Id (the phone's MAC), may be null
 */
public record NasContext(String nasIp, String nasIdentifier, String calledStationId, String callingStationId)
        implements Serializable {
}
