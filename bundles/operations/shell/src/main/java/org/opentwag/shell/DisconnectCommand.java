package org.opentwag.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.opentwag.api.state.ClientState;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.server.DynamicAuthorizationClient;
import org.opentwag.radius.server.DynamicAuthorizationResult;

/** Sends an RFC 5176 Disconnect-Request for a client to the access point it was last seen on. */
@Command(scope = "twag", name = "disconnect", description = "Disconnects a client: RADIUS Disconnect-Request to its access point")
@Service
public class DisconnectCommand implements Action {

    @Reference
    private org.osgi.framework.BundleContext context;

    @Reference
    private DynamicAuthorizationClient das;

    @Argument(index = 0, name = "identity", required = true, description = "The client's EAP identity, or its IMSI")
    @Completion(IdentityCompleter.class)
    private String identity;

    @Override
    public Object execute() throws Exception {
        ClientState c = ClientState.find(Services.stateStore(context), identity);
        if (c == null || c.nasIp() == null) {
            System.out.println("No client " + identity + " with a known access point");
            return null;
        }
        List<RadiusAttribute> attrs = new ArrayList<>();
        attrs.add(RadiusAttribute.ofString(RadiusDictionary.USER_NAME, c.identity()));
        if (c.callingStationId() != null) {
            attrs.add(RadiusAttribute.ofString(RadiusDictionary.CALLING_STATION_ID, c.callingStationId()));
        }
        DynamicAuthorizationResult r = das.disconnect(c.nasIp(), attrs).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        System.out.println("Disconnect-Request to " + c.nasIp() + ": " + r.outcome() + " (" + r.detail() + ")");
        return null;
    }
}
