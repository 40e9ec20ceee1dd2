package org.opentwag.support.test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Wireshark's tshark as the peer that decodes what our codecs wrote: one bounded run, its non-blank output lines.
 * Shipped in twag-support's test-jar. A missing tshark fails the test (the README's test command installs it).
 */
public final class Tshark {
    private Tshark() {
    }

    public static List<String> run(String... arguments) throws Exception {
        if (!new File("/usr/bin/tshark").canExecute()) {
            throw new AssertionError("tshark is not installed (/usr/bin/tshark): run .ci/install-tools.sh");
        }
        List<String> command = new ArrayList<>(List.of("timeout", "60", "tshark"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(70, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("tshark did not end within 70 s: " + command);
        }
        return text.lines().filter(line -> !line.isBlank()).toList();
    }
}
