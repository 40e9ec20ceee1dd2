package org.opentwag.api.trace;

import java.util.List;
import java.util.function.Consumer;

import org.opentwag.api.eap.NasContext;

/**
 * The subscriber trace: the last authentication attempts of recently seen subscribers, step by step, in bounded
 * memory (node-local), and each access point's accept/reject counts. Written by the EAP engine (and accounting),
 * read by {@code twag:trace}, {@code twag:aps} and the dashboard. Every write returns at once and never fails.
 */
public interface SubscriberTrace {

    /** An attempt began (identity received) at this access point. */
    void started(String attemptId, String identity, NasContext nas, long atMillis);

    /** The subscriber's IMSI became known for this attempt. */
    void imsi(String attemptId, String imsi);

    /** The EAP method chosen. */
    void method(String attemptId, String method);

    /** One step of a running attempt; ignored for an unknown attempt. */
    void step(String attemptId, TraceStep step);

    /** Access-Accept sent. */
    void accepted(String attemptId, long atMillis);

    /** Access-Reject sent for this reason. */
    void rejected(String attemptId, Rejection rejection, long atMillis);

    /** An accounting step (Start, Stop) of an admitted subscriber: added to its latest accepted attempt. */
    void accounting(String imsi, String identity, TraceStep step);

    /** The attempts of a subscriber, by IMSI or any identity it used, newest first. */
    List<AuthAttempt> attempts(String imsiOrIdentity);

    /** Every subscriber kept (IMSI when known, else the identity), most recent first. */
    List<String> subscribers();

    /** Accept/reject counts per access point. */
    List<AccessPointOutcomes> accessPoints();

    /**
     * Calls {@code listener} with every attempt of this subscriber that finishes (accepted or rejected) from now on,
     * until the returned handle is closed. The listener runs on the request path: it must return at once.
     */
    AutoCloseable follow(String imsiOrIdentity, Consumer<AuthAttempt> listener);
}
