package org.opentwag.api.trace;

import java.util.List;

/**
 * One authentication attempt of a subscriber, step by step, as the subscriber trace keeps it.
 *
 * @param id              the attempt's id (the EAP conversation's), unique
 * @param identity        the EAP identity the phone used (last one given)
 * @param imsi            the subscriber's IMSI once known, else null
 * @param method          the EAP method, null before one was chosen
 * @param nasIp           the access point
 * @param nasIdentifier   its NAS-Identifier, may be null
 * @param callingStationId the phone's MAC, may be null
 * @param startedAtMillis when the attempt began
 * @param outcome         where it stands
 * @param rejection       why it was rejected, null unless REJECTED
 * @param steps           its steps, oldest first
 */
public record AuthAttempt(String id, String identity, String imsi, String method, String nasIp, String nasIdentifier,
                          String callingStationId, long startedAtMillis, Outcome outcome, Rejection rejection,
                          List<TraceStep> steps) {

    public enum Outcome { IN_PROGRESS, ACCEPTED, REJECTED }

    public AuthAttempt {
        steps = List.copyOf(steps);
    }
}
