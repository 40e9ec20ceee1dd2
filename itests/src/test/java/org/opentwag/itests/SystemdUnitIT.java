package org.opentwag.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Test;

/**
 * The service unit shipped in the distribution (bin/twag.service) as systemd itself reads it: systemd-analyze
 * verify must accept it without a single warning once its paths point at a real installation, and it must stop the
 * node with Karaf's own bin/stop (the clean stop CleanStopIT checks) under the guide's service name "twag".
 */
public class SystemdUnitIT {

    private static final Path ASSEMBLY = Path.of("../karaf-assembly/target/assembly").toAbsolutePath().normalize();

    @Test
    public void theShippedUnitPassesSystemdAnalyzeVerify() throws Exception {
        assumeTrue("systemd-analyze not installed (.ci/install-tools.sh installs it)",
                Files.isExecutable(Path.of("/usr/bin/systemd-analyze")));
        Path shipped = ASSEMBLY.resolve("bin/twag.service");
        assertTrue(shipped + " is missing from the distribution", Files.exists(shipped));
        String unit = Files.readString(shipped);
        assertTrue(unit, unit.contains("\nExecStart=/opt/opentwag/bin/karaf server\n"));
        assertTrue(unit, unit.contains("\nExecStop=/bin/sh -c '/opt/opentwag/bin/stop; while kill -0 $MAINPID"));
        assertTrue(unit, unit.contains("\nWantedBy=multi-user.target\n"));

        // The name is the guide's (journalctl -u twag); the paths those of this build's distribution.
        Path dir = Files.createTempDirectory("unit");
        Path copy = dir.resolve("twag.service");
        Files.writeString(copy, unit.replace("/opt/opentwag", ASSEMBLY.toString()));
        try {
            ExternalTool.Result r = ExternalTool.run(List.of("systemd-analyze", "verify", copy.toString()), null, 60);
            // Unknown keys or bad values are only warnings (exit 0): any line naming the unit is a failure.
            List<String> about = r.output().lines().filter(l -> l.contains("twag.service")).toList();
            assertEquals(r.output(), 0, r.exitCode());
            assertEquals("systemd-analyze verify complained:\n" + r.output(), List.of(), about);

            // The check is real: a broken copy is reported.
            Files.writeString(copy, unit.replace("ExecStart=/opt/opentwag/bin/karaf", "ExecStart=" + ASSEMBLY + "/bin/no-such-karaf")
                    .replace("/opt/opentwag", ASSEMBLY.toString()).replace("TimeoutStopSec=", "TimeoutStopSex="));
            ExternalTool.Result broken = ExternalTool.run(List.of("systemd-analyze", "verify", copy.toString()),
                    null, 60);
            assertTrue(broken.output(), broken.output().contains("TimeoutStopSex"));
            assertTrue(broken.output(), broken.output().contains("no-such-karaf"));
        } finally {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(dir);
        }
    }
}
