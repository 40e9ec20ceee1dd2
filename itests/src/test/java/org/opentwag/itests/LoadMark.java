package org.opentwag.itests;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cumulative figures of a running load generator at one moment, from its latest one-second progress line, so a test
 * can say what happened in the window between two of its steps.
 */
record LoadMark(long second, long ok, long failed, long timeouts, long retrans, long acct) {

    static final LoadMark ZERO = new LoadMark(0, 0, 0, 0, 0, 0);

    /** The generator's one-second progress line. */
    private static final Pattern PROGRESS = Pattern.compile(
            "\\[\\s*(\\d+)s\\] ok (\\d+) \\(\\+\\d+/s\\) reject (\\d+) error (\\d+) timeout (\\d+) in flight \\d+ retrans (\\d+) acct (\\d+)");

    static LoadMark latest(String printed) {
        LoadMark last = ZERO;
        Matcher m = PROGRESS.matcher(printed);
        while (m.find()) {
            last = new LoadMark(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)) + Long.parseLong(m.group(4)), Long.parseLong(m.group(5)),
                    Long.parseLong(m.group(6)), Long.parseLong(m.group(7)));
        }
        return last;
    }

    /** Several generators' figures together (the latest second of any). */
    LoadMark plus(LoadMark o) {
        return new LoadMark(Math.max(second, o.second), ok + o.ok, failed + o.failed, timeouts + o.timeouts,
                retrans + o.retrans, acct + o.acct);
    }

    String since(LoadMark from) {
        return String.format("%3d-%3ds  ok %6d  failed %d  timeouts %d  retrans %4d  acct ok %6d", from.second,
                second, ok - from.ok, failed - from.failed, timeouts - from.timeouts, retrans - from.retrans,
                acct - from.acct);
    }
}
