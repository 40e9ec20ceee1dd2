package org.opentwag.shell;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.opentwag.api.state.ClientState;

/** Completes the IMSIs of the clients that authenticated (for twag:mar). */
@Service
public class ImsiCompleter implements Completer {

    @Reference
    private org.osgi.framework.BundleContext context;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        TreeSet<String> imsis = new TreeSet<>();
        Services.accessSessions(context).clients().forEach(c -> imsis.add(c.imsi()));
        imsis.removeIf(Objects::isNull);
        return new StringsCompleter(imsis).complete(session, commandLine, candidates);
    }
}
