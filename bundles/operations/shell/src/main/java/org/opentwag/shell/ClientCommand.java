package org.opentwag.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.opentwag.api.s2a.HomeRouting;
import org.opentwag.api.state.ClientState;
import org.opentwag.shell.view.ClientView;
import org.opentwag.shell.view.Formats;

/** One client's details (CryptoState.get in the guide), never its key material. */
@Command(scope = "twag", name = "client", description = "Shows one client's authentication state (no key material)")
@Service
public class ClientCommand implements Action {

    @Reference
    private org.osgi.framework.BundleContext context;

    @Reference(optional = true)
    private HomeRouting homeRouting;

    @Argument(index = 0, name = "identity", required = true, description = "The client's EAP identity, its IMSI or its Chargeable-User-Identity")
    @Completion(IdentityCompleter.class)
    private String identity;

    @Override
    public Object execute() {
        var access = Services.accessSessions(context);
        ClientState c = access.client(identity).orElse(null);
        if (c == null) {
            System.out.println("No client " + identity);
            return null;
        }
        ClientView view = new ClientView(Formats.systemDefault());
        view.details(c, System.out);
        access.userData(c.imsi()).ifPresent(d -> view.userData(d, System.out));
        if (homeRouting != null && c.imsi() != null) {
            homeRouting.connection(c.imsi()).ifPresent(p -> view.pdnConnection(p, System.out));
        }
        return null;
    }
}
