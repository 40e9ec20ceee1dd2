package org.opentwag.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.opentwag.diameter.stack.DiameterService;
import org.opentwag.diameter.stack.PeerInfo;

/** Completes the Origin-Hosts of the Diameter peers (for twag:peers). */
@Service
public class PeerCompleter implements Completer {

    @Reference(filter = "(diameter.node=default)")
    private DiameterService diameter;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(diameter.peers().stream().map(PeerInfo::host).toList())
                .complete(session, commandLine, candidates);
    }
}
