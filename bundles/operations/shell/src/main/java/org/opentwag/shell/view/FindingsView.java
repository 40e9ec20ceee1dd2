package org.opentwag.shell.view;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;

import org.opentwag.api.check.Finding;

/** {@code twag:check}: every unsafe or inconsistent setting, unsafe ones first, each with what to do. */
public final class FindingsView {

    /** Unsafe before warnings, then by area, in a stable order for operators comparing two runs. */
    public static final Comparator<Finding> ORDER = Comparator.comparing(Finding::severity)
            .thenComparing(Finding::area).thenComparing(Finding::problem);

    public void print(List<Finding> findings, PrintStream out) {
        long unsafe = findings.stream().filter(f -> f.severity() == Finding.Severity.UNSAFE).count();
        if (findings.isEmpty()) {
            out.println("No unsafe or inconsistent setting found.");
            return;
        }
        out.println(unsafe + " unsafe, " + (findings.size() - unsafe) + " warning" + (findings.size() - unsafe == 1 ? "" : "s")
                + " (docs/before-you-expose-it.md)");
        findings.stream().sorted(ORDER).forEach(f -> {
            out.println("[" + f.severity() + "] " + f.area() + ": " + f.problem());
            out.println("    what to do: " + f.remedy());
        });
    }
}
