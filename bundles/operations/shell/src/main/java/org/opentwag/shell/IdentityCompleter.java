package org.opentwag.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.opentwag.api.state.ClientState;

/** Completes the identities of the clients known right now. */
@Service
public class IdentityCompleter implements Completer {

    @Reference
    private org.osgi.framework.BundleContext context;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter(
                Services.accessSessions(context).clients().stream().map(ClientState::identity).toList());
        return delegate.complete(session, commandLine, candidates);
    }
}
