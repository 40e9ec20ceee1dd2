package org.opentwag.passpoint.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.opentwag.passpoint.Finding;
import org.opentwag.passpoint.GeneratedFile;
import org.opentwag.passpoint.PasspointFormat;
import org.opentwag.passpoint.PasspointProfiles;

/** Passpoint AP configuration and device profiles from the TWAG's own settings, with the mistakes found first. */
@Command(scope = "twag", name = "passpoint",
        description = "Generate Passpoint/Hotspot 2.0 AP configuration (ap, cisco) or device profiles (android, apple)")
@Service
public class PasspointCommand implements Action {

    @Reference
    private PasspointProfiles passpoint;

    @Argument(index = 0, name = "format", required = true,
            description = "ap (hostapd.conf fragment), cisco (controller CLI), android (x-wifi-config), apple (.mobileconfig), all")
    @Completion(FormatCompleter.class)
    private String format;

    @Option(name = "-o", aliases = "--out", description = "Directory to write the files to (else printed)")
    private String out;

    /** Karaf stops reading options at the first argument; this takes "--out dir" written after the format too. */
    @Argument(index = 1, name = "--out dir", required = false, multiValued = true,
            description = "--out <dir> may also follow the format")
    private List<String> trailing;

    @Override
    public Object execute() throws IOException {
        if (trailing != null && !trailing.isEmpty()) {
            if (trailing.size() == 2 && (trailing.get(0).equals("--out") || trailing.get(0).equals("-o"))) {
                out = trailing.get(1);
            } else {
                System.err.println("Unexpected arguments " + trailing + "; usage: twag:passpoint <format> [--out dir]");
                return null;
            }
        }
        List<PasspointFormat> formats = "all".equalsIgnoreCase(format) ? List.of(PasspointFormat.values())
                : List.of(PasspointFormat.parse(format));
        List<Finding> findings = passpoint.validate();
        for (Finding f : findings) {
            System.out.println("# " + f);
        }
        if (findings.isEmpty()) {
            System.out.println("# No problems found: realms, PLMNs and EAP methods agree with the TWAG.");
        }
        Path dir = out == null ? null : Path.of(out);
        if (dir != null) {
            Files.createDirectories(dir);
        }
        for (PasspointFormat f : formats) {
            GeneratedFile file = passpoint.generate(f);
            if (dir != null) {
                Path target = dir.resolve(file.fileName());
                Files.write(target, file.content());
                System.out.println("Wrote " + target.toAbsolutePath() + " (" + file.contentType() + ", "
                        + file.content().length + " bytes)");
            } else {
                System.out.println("# ---- " + file.fileName() + " (" + file.contentType() + ")");
                System.out.print(file.text());
            }
        }
        return null;
    }
}
