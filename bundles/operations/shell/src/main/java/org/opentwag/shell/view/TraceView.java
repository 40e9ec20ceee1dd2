package org.opentwag.shell.view;

import java.io.PrintStream;
import java.util.List;

import org.opentwag.api.trace.AuthAttempt;
import org.opentwag.api.trace.TraceStep;

/** Authentication attempts as twag:trace prints them: a heading per attempt, then its steps with their times. */
public final class TraceView {

    private final Formats formats;

    public TraceView(Formats formats) {
        this.formats = formats;
    }

    public void attempts(List<AuthAttempt> attempts, PrintStream out) {
        for (AuthAttempt a : attempts) {
            String outcome = switch (a.outcome()) {
                case ACCEPTED -> "ACCEPTED";
                case REJECTED -> "REJECTED (" + a.rejection().reason().label() + ")";
                case IN_PROGRESS -> "IN PROGRESS";
            };
            out.printf("Attempt %s  %s  identity=%s imsi=%s method=%s ap=%s%s client=%s%n", formats.time(
                    a.startedAtMillis()), outcome, a.identity(), Formats.orDash(a.imsi()), Formats.orDash(a.method()),
                    Formats.orDash(a.nasIp()), a.nasIdentifier() == null ? "" : " (" + a.nasIdentifier() + ")",
                    Formats.orDash(a.callingStationId()));
            for (TraceStep s : a.steps()) {
                out.printf("  %s  %-17s %s%n", formats.clock(s.atMillis()), s.kind(), s.detail());
            }
            out.println();
        }
    }
}
