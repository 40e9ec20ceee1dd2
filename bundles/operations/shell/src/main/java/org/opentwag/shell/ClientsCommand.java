package org.opentwag.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.opentwag.api.state.ClientState;
import org.opentwag.shell.view.ClientView;
import org.opentwag.shell.view.Formats;

/** The guide's RADIUS Clients view (CryptoState.keys): identity, auth status, last update, session duration. */
@Command(scope = "twag", name = "clients", description = "Lists clients: identity, authentication status, last update, session duration")
@Service
public class ClientsCommand implements Action {

    @Reference
    private org.osgi.framework.BundleContext context;

    @Option(name = "-s", aliases = "--status", description = "Only clients in this status (ACCEPTED, AUTHENTICATING, REJECTED, ENDED)")
    private String status;

    @Override
    public Object execute() {
        new ClientView(Formats.systemDefault()).list(Services.accessSessions(context).clients(),
                status, System.currentTimeMillis(), System.out);
        return null;
    }
}
