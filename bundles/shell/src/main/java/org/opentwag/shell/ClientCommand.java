package org.opentwag.shell;

import java.time.Instant;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.opentwag.api.state.ClientState;

/** One client's details (CryptoState.get in the guide), never its key material. */
@Command(scope = "twag", name = "client", description = "Shows one client's authentication state (no key material)")
@Service
public class ClientCommand implements Action {

    @Reference
    private org.osgi.framework.BundleContext context;

    @Argument(index = 0, name = "identity", required = true, description = "The client's EAP identity")
    @Completion(IdentityCompleter.class)
    private String identity;

    @Override
    public Object execute() {
        ClientState c = Services.stateStore(context).get(ClientState.MAP, identity, ClientState.class);
        if (c == null) {
            System.err.println("No client " + identity);
            return null;
        }
        row("Identity", c.identity());
        row("IMSI", c.imsi());
        row("Auth Status", ClientsCommand.label(c.status()));
        row("EAP Method", c.method());
        row("NAS IP Address", c.nasIp());
        row("Called Station ID (AP MAC:SSID)", c.calledStationId());
        row("Calling Station ID (Client MAC)", c.callingStationId());
        row("First Seen", ClientsCommand.TIME.format(Instant.ofEpochMilli(c.firstSeenMillis())));
        row("Last Updated", ClientsCommand.TIME.format(Instant.ofEpochMilli(c.lastUpdateMillis())));
        if (c.acceptedAtMillis() > 0) {
            row("Accepted At", ClientsCommand.TIME.format(Instant.ofEpochMilli(c.acceptedAtMillis())));
        }
        if (c.reason() != null) {
            row("Last Rejection", c.reason());
        }
        return null;
    }

    private static void row(String name, String value) {
        System.out.printf("%-32s %s%n", name, value == null ? "-" : value);
    }
}
