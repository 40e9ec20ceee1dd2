package org.opentwag.dashboard.rest;

import java.util.List;

import org.opentwag.api.trace.AuthAttempt;
import org.opentwag.api.trace.TraceStep;

/**
 * One attempt of the subscriber trace as the REST API serves it: the reject reason as its label (the metric's,
 * e.g. {@code mac_res_mismatch}), steps as they were kept (never key material).
 */
public record TraceAttemptView(String id, String identity, String imsi, String method, String nasIp,
                               String nasIdentifier, String callingStationId, long startedAtMillis, String outcome,
                               RejectionView rejection, List<TraceStep> steps) {

    /** @param reason the reason label, @param resultCode the HSS's Diameter result code or 0 */
    public record RejectionView(String reason, long resultCode, String detail) {
    }

    public static TraceAttemptView of(AuthAttempt a) {
        return new TraceAttemptView(a.id(), a.identity(), a.imsi(), a.method(), a.nasIp(), a.nasIdentifier(),
                a.callingStationId(), a.startedAtMillis(), a.outcome().name(), a.rejection() == null ? null
                : new RejectionView(a.rejection().reason().label(), a.rejection().resultCode(),
                a.rejection().detail()), a.steps());
    }
}
