package org.opentwag.api.trace;

/**
 * Authentication outcomes seen from one access point since the server started.
 *
 * @param nasIp           the access point
 * @param accepts         Access-Accepts sent to it
 * @param rejects         Access-Rejects sent to it
 * @param lastRejection   the latest reject's reason, null when none
 * @param lastRejectMillis when that was, 0 when none
 */
public record AccessPointOutcomes(String nasIp, long accepts, long rejects, Rejection lastRejection,
                                  long lastRejectMillis) {
}
