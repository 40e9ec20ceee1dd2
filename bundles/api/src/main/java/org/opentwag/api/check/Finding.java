package org.opentwag.api.check;

import java.util.Objects;

/**
 * One unsafe or inconsistent setting, with what to do about it.
 *
 * @param severity how bad it is
 * @param area     the part of the server it concerns, short and stable (e.g. {@code radius}, {@code dashboard},
 *                 {@code metrics}, {@code diameter}, {@code cluster}, {@code accounting}, {@code simulators})
 * @param problem  what is wrong, in one sentence an operator understands (never a secret's value)
 * @param remedy   what to change, naming the file and key or the command
 */
public record Finding(Severity severity, String area, String problem, String remedy) {

    /** How bad a finding is. */
    public enum Severity {
        /** Strangers can get in, read secrets or lose data: fix before exposing the server. */
        UNSAFE,
        /** Works, but not as an operator would expect in production (a simulator beside a real peer, ...). */
        WARNING
    }

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(remedy, "remedy");
    }

    public static Finding unsafe(String area, String problem, String remedy) {
        return new Finding(Severity.UNSAFE, area, problem, remedy);
    }

    public static Finding warning(String area, String problem, String remedy) {
        return new Finding(Severity.WARNING, area, problem, remedy);
    }
}
