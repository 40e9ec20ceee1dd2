package org.opentwag.shell;

import java.util.List;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.opentwag.api.s2a.HomeRouting;

/** Completes the IMSIs of the home-routed subscribers (for twag:s2a). */
@Service
public class S2aImsiCompleter implements Completer {

    @Reference(optional = true)
    private HomeRouting homeRouting;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        TreeSet<String> imsis = new TreeSet<>();
        if (homeRouting != null) {
            homeRouting.connections().forEach(c -> imsis.add(c.imsi()));
        }
        return new StringsCompleter(imsis).complete(session, commandLine, candidates);
    }
}
