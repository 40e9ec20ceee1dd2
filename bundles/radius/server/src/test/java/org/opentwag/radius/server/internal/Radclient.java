package org.opentwag.radius.server.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs FreeRADIUS' radclient (Debian freeradius-utils) against a loopback port, bounded in time. */
final class Radclient {

    record Result(int exitCode, String output) {
        boolean answered(String code) {
            return output.contains("Received " + code);
        }
    }

    private Radclient() {
    }

    static boolean available() {
        return new java.io.File("/usr/bin/radclient").canExecute();
    }

    /** Starts radclient in the background: one attempt, {@code timeoutSeconds} to wait for the answer. */
    static CompletableFuture<Result> start(int port, String command, String secret, String attributes, double timeoutSeconds) {
        try {
            Process process = new ProcessBuilder(List.of("radclient", "-x", "-r", "1", "-t", String.valueOf(timeoutSeconds),
                    "127.0.0.1:" + port, command, secret)).redirectErrorStream(true).start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(attributes.getBytes(StandardCharsets.UTF_8));
            }
            return CompletableFuture.supplyAsync(() -> {
                try {
                    if (!process.waitFor((long) timeoutSeconds + 10, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        return new Result(-1, "radclient did not exit");
                    }
                    return new Result(process.exitValue(),
                            new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException | InterruptedException e) {
                    process.destroyForcibly();
                    return new Result(-1, e.toString());
                }
            });
        } catch (IOException e) {
            return CompletableFuture.completedFuture(new Result(-1, e.toString()));
        }
    }

    static Result run(int port, String command, String secret, String attributes, double timeoutSeconds) throws Exception {
        return start(port, command, secret, attributes, timeoutSeconds).get((long) timeoutSeconds + 15, TimeUnit.SECONDS);
    }
}
