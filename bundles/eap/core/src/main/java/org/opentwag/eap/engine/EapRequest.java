package org.opentwag.eap.engine;

import org.opentwag.api.eap.NasContext;

/**
 * One EAP packet as it arrived in an Access-Request (RFC 3579): the joined EAP-Message attributes, the State the
 * access point echoed (null on the first packet), and where it came from.
 *
 * @param eapMessage the EAP packet; an empty array is an EAP-Start (RFC 3579 3.1)
 * @param state      the State attribute, or null
 * @param userName   the User-Name attribute, or null
 */
public record EapRequest(byte[] eapMessage, byte[] state, String userName, NasContext nas) {
}
