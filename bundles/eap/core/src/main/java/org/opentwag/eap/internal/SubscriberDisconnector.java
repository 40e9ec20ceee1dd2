package org.opentwag.eap.internal;

import java.util.ArrayList;
import java.util.List;

import org.opentwag.api.state.ClientState;
import org.opentwag.api.state.StateStore;
import org.opentwag.api.vectors.SubscriberTerminationListener;
import org.opentwag.radius.codec.RadiusAttribute;
import org.opentwag.radius.codec.RadiusDictionary;
import org.opentwag.radius.server.DynamicAuthorizationClient;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the home network ends a subscriber's access (an RTR from the HSS), every access point where that subscriber
 * is authenticated gets an RFC 5176 Disconnect-Request for it.
 */
@Component(service = SubscriberTerminationListener.class)
public class SubscriberDisconnector implements SubscriberTerminationListener {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriberDisconnector.class);

    // Greedy: a clustered store (higher service.ranking) installed later replaces the in-memory one.
    @Reference(policyOption = ReferencePolicyOption.GREEDY)
    private StateStore store;

    @Reference
    private DynamicAuthorizationClient das;

    @Override
    public void terminated(String imsi, String reason) {
        List<ClientState> sessions = new ArrayList<>();
        for (ClientState c : store.snapshot(ClientState.MAP, ClientState.class).values()) {
            if (imsi.equals(c.imsi()) && c.status() == ClientState.Status.ACCEPTED && c.nasIp() != null) {
                sessions.add(c);
            }
        }
        if (sessions.isEmpty()) {
            LOG.info("HSS ended access of IMSI {} ({}): no authenticated client to disconnect", imsi, reason);
            return;
        }
        for (ClientState c : sessions) {
            List<RadiusAttribute> attrs = new ArrayList<>();
            attrs.add(RadiusAttribute.ofString(RadiusDictionary.USER_NAME, c.identity()));
            if (c.callingStationId() != null) {
                attrs.add(RadiusAttribute.ofString(RadiusDictionary.CALLING_STATION_ID, c.callingStationId()));
            }
            das.disconnect(c.nasIp(), attrs).thenAccept(r -> LOG.info(
                    "HSS ended access of IMSI {} ({}): Disconnect-Request for {} to AP {}: {} ({})", imsi, reason,
                    c.identity(), c.nasIp(), r.outcome(), r.detail()));
        }
    }
}
