package org.opentwag.itests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real peer we did not write (eapol_test, radclient, tshark) with a bound on its running time. */
public final class ExternalTool {

    /** What a finished run printed and returned. */
    public record Result(int exitCode, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    private ExternalTool() {
    }

    /** The eapol_test built with the USIM simulator by .ci/install-tools.sh. */
    public static String eapolTest() {
        return built("eapol_test", "the README's test command does");
    }

    /**
     * eapol_test 2.12-devel (IMSI privacy: imsi_privacy_cert / imsi_privacy_attr), which .ci/tools.d/eapol-test-2.12.sh
     * builds from /work/shared/peers next to the 2.10 one.
     */
    public static String eapolTest212() {
        return built("eapol_test-2.12", ".ci/tools.d/eapol-test-2.12.sh");
    }

    /** A tool .ci/install-tools.sh built into the tools folder (-Dopentwag.tools), or an error saying what builds it. */
    private static String built(String name, String builtBy) {
        String dir = System.getProperty("opentwag.tools", System.getProperty("user.home") + "/.cache/opentwag/bin");
        File f = new File(dir, name);
        if (!f.canExecute()) {
            throw new IllegalStateException(f + " is missing: run .ci/install-tools.sh (" + builtBy + ")");
        }
        return f.getPath();
    }

    /**
     * radclient (FreeRADIUS's, a client we did not write) sending the Accounting-Request {@code attributes} (in its
     * input format) to the test distribution's accounting port with {@code secret}: -x prints what it sent and got;
     * one retry, 3 s apart.
     */
    public static Result accountingRequest(String secret, String attributes) throws IOException, InterruptedException {
        return run(List.of("radclient", "-x", "-r", "1", "-t", "3", "127.0.0.1:" + OpenTwagDistribution.ACCT_PORT,
                "acct", secret), attributes.getBytes(StandardCharsets.US_ASCII), 30);
    }

    public static Result run(List<String> command, byte[] stdin, long timeoutSeconds) throws IOException,
            InterruptedException {
        Path out = Files.createTempFile("opentwag-tool", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin);
            }
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, Files.readString(out, StandardCharsets.UTF_8) + "\n[killed after "
                        + timeoutSeconds + " s]");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** A tshark capture on loopback limited to some UDP/TCP ports, stopped after at most {@code maxSeconds}. */
    public static final class Capture implements AutoCloseable {
        private final Process process;
        private final Path file;
        private final List<String> decodeAs;

        public Capture(String filter, List<String> decodeAs, long maxSeconds) throws IOException, InterruptedException {
            this("lo", filter, decodeAs, maxSeconds);
        }

        /** A capture on another interface (the host end of a veth pair to a network namespace). */
        public Capture(String interfaceName, String filter, List<String> decodeAs, long maxSeconds)
                throws IOException, InterruptedException {
            this.file = Files.createTempFile("opentwag", ".pcap");
            this.decodeAs = decodeAs;
            file.toFile().setWritable(true, false);
            this.process = new ProcessBuilder("timeout", String.valueOf(maxSeconds), "tshark", "-q", "-i", interfaceName, "-f",
                    filter, "-w", file.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // tshark needs a moment before it captures; bounded wait for the file to get its pcap header.
            long deadline = System.currentTimeMillis() + 10_000;
            while (Files.size(file) == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(500);
        }

        /** Stops the capture and returns (all packets, malformed or error packets, EAP-AKA/AKA' packets) as text. */
        public List<String> stopAndCheck() throws IOException, InterruptedException {
            Thread.sleep(500);
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            List<String> base = new ArrayList<>(List.of("tshark", "-r", file.toString()));
            for (String d : decodeAs) {
                base.add("-d");
                base.add(d);
            }
            List<String> count = new ArrayList<>(base);
            Result all = run(count, null, 60);
            List<String> bad = new ArrayList<>(base);
            bad.add("-Y");
            bad.add("_ws.malformed || _ws.expert.severity >= \"error\"");
            Result malformed = run(bad, null, 60);
            List<String> eap = new ArrayList<>(base);
            eap.add("-Y");
            eap.add("eap.type == 23 || eap.type == 50");
            Result eapPackets = run(eap, null, 60);
            return List.of(all.output(), malformed.output(), eapPackets.output());
        }

        /**
         * Stops the capture (if still running) and returns the given fields of the packets matching a display
         * filter, one packet per line, fields separated by tabs (tshark -T fields).
         */
        public List<String> fields(String displayFilter, String... fields) throws IOException, InterruptedException {
            if (process.isAlive()) {
                Thread.sleep(500);
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            List<String> cmd = new ArrayList<>(List.of("tshark", "-r", file.toString()));
            for (String d : decodeAs) {
                cmd.add("-d");
                cmd.add(d);
            }
            cmd.addAll(List.of("-Y", displayFilter, "-T", "fields"));
            for (String f : fields) {
                cmd.add("-e");
                cmd.add(f);
            }
            return run(cmd, null, 60).output().lines().filter(l -> !l.isBlank() && !l.contains("Running as user"))
                    .toList();
        }

        /** Stops the capture (if still running) and returns the raw pcap file's bytes. */
        public byte[] pcap() throws IOException, InterruptedException {
            stop();
            return Files.readAllBytes(file);
        }

        /** Stops the capture (if still running) and returns tshark's full decode (-V) of every packet. */
        public String decoded() throws IOException, InterruptedException {
            stop();
            List<String> cmd = new ArrayList<>(List.of("tshark", "-r", file.toString()));
            for (String d : decodeAs) {
                cmd.add("-d");
                cmd.add(d);
            }
            cmd.add("-V");
            return run(cmd, null, 60).output();
        }

        private void stop() throws InterruptedException {
            if (process.isAlive()) {
                Thread.sleep(500);
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }

        @Override
        public void close() throws IOException {
            // SIGKILL on `timeout` does not reach its tshark: end the children first, or a failed test leaves one.
            process.descendants().forEach(ProcessHandle::destroy);
            // SIGTERM first: `timeout` passes it on to tshark; a SIGKILL would end `timeout` alone and leave
            // tshark capturing (a test that failed before stopping the capture).
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
            Files.deleteIfExists(file);
        }
    }
}
