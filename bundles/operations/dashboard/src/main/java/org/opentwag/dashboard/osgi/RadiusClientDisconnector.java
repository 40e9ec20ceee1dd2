package org.opentwag.dashboard.osgi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.opentwag.api.state.ClientState;
import org.opentwag.dashboard.rest.OperatorBackend.ClientDisconnector;
import org.opentwag.dashboard.rest.OperatorBackend.DisconnectResult;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.server.DynamicAuthorizationClient;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Disconnects a client with an RFC 5176 Disconnect-Request identifying it by User-Name and Calling-Station-Id,
 * as {@code twag:disconnect} does. Only this class touches the RADIUS bundles' classes.
 */
@Component(service = ClientDisconnector.class)
public class RadiusClientDisconnector implements ClientDisconnector {

    private final DynamicAuthorizationClient das;

    @Activate
    public RadiusClientDisconnector(@Reference DynamicAuthorizationClient das) {
        this.das = das;
    }

    @Override
    public CompletionStage<DisconnectResult> disconnect(ClientState client) {
        List<RadiusAttribute> attrs = new ArrayList<>();
        attrs.add(RadiusAttribute.ofString(RadiusDictionary.USER_NAME, client.identity()));
        if (client.callingStationId() != null) {
            attrs.add(RadiusAttribute.ofString(RadiusDictionary.CALLING_STATION_ID, client.callingStationId()));
        }
        return das.disconnect(client.nasIp(), attrs)
                .thenApply(r -> new DisconnectResult(r.outcome().name(), r.acknowledged(), r.detail()));
    }
}
