package org.opentwag.dashboard.osgi;

import java.util.List;

import org.opentwag.dashboard.rest.PeerView;

/**
 * The Diameter peers in plain types. A separate service so that the dashboard still starts when the Diameter
 * bundles are not installed: only {@link DiameterPeerDirectory} touches their classes.
 */
public interface PeerDirectory {
    List<PeerView> peers();
}
