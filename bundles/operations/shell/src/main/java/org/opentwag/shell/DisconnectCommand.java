package org.opentwag.shell;

import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.opentwag.api.session.AccessSessions;

/** Sends an RFC 5176 Disconnect-Request for a client to the access point it was last seen on. */
@Command(scope = "twag", name = "disconnect", description = "Disconnects a client: RADIUS Disconnect-Request to its access point")
@Service
public class DisconnectCommand implements Action {

    @Reference
    private org.osgi.framework.BundleContext context;

    @Argument(index = 0, name = "identity", required = true, description = "The client's EAP identity, or its IMSI")
    @Completion(IdentityCompleter.class)
    private String identity;

    @Override
    public Object execute() throws Exception {
        AccessSessions.DisconnectOutcome r = Services.accessSessions(context).disconnect(identity, "operator (shell)")
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (r.nasIp() == null) {
            System.out.println("No client " + identity + " with a known access point");
            return null;
        }
        System.out.println("Disconnect-Request to " + r.nasIp() + ": " + r.outcome() + " (" + r.detail() + ")");
        return null;
    }
}
