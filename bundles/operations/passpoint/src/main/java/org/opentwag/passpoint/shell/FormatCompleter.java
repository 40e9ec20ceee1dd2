package org.opentwag.passpoint.shell;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.opentwag.passpoint.PasspointFormat;

/** Completes the formats twag:passpoint generates. */
@Service
public class FormatCompleter implements Completer {

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<String> names = new ArrayList<>();
        for (PasspointFormat f : PasspointFormat.values()) {
            names.add(f.label());
        }
        names.add("all");
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
