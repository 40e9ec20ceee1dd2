package org.opentwag.diameter.stack;

import java.util.ArrayList;
import java.util.List;

import org.opentwag.api.check.Finding;

/**
 * What {@code twag:check} says about a simulator that stands in for one of the TWAG's Diameter peers (the embedded HSS
 * or OCS): listening beyond this host is unsafe, because whoever reaches it gets what it hands out; running at all
 * while the TWAG's real peer for the same application is on another host is a simulator left behind.
 *
 * @param peerKind     what it simulates, as an operator names it ("HSS", "OCS")
 * @param interfaceName the interface as the TWAG names it ("SWx", "Gy")
 * @param application  the application whose TWAG-side peer it stands in for
 * @param file         its configuration file, relative to Karaf's home
 * @param feature      the Karaf feature that installs it
 * @param handsOut     what a stranger who reaches it gets, completing "whoever reaches it ... "
 * @param whyItMatters why a simulator beside the real peer is worth a warning, completing "a real X beside ..."
 */
public record SimulatedPeerCheck(String peerKind, String interfaceName, ApplicationId application, String file, String feature,
                                 String handsOut, String whyItMatters) {

    /** How the operator switches the simulator off. */
    public String switchOff() {
        return "enabled = false in " + file + " (or feature:uninstall " + feature + ")";
    }

    /**
     * @param enabled       whether the simulator runs
     * @param listenAddress where it listens
     * @param listenPort    its port
     * @param peerHost      the Origin-Host it accepts as the TWAG
     * @param twagPeers     the TWAG's own peers
     */
    public List<Finding> findings(boolean enabled, String listenAddress, int listenPort, String peerHost,
                                  List<PeerConfig> twagPeers) {
        List<Finding> out = new ArrayList<>();
        if (!enabled) {
            return out;
        }
        if (!PeerConfig.isLoopback(listenAddress)) {
            out.add(Finding.unsafe("simulators", "The " + peerKind + " simulator listens on " + listenAddress + ":"
                            + listenPort + ", beyond this host: whoever reaches it and calls itself " + peerHost + " "
                            + handsOut + ".",
                    "listenAddress = 127.0.0.1 in " + file + ", or switch the simulator off: " + switchOff()));
        }
        for (PeerConfig p : twagPeers) {
            if (p.initiateConnection() && p.serves(application.id()) && !p.addressIsLoopback()) {
                out.add(Finding.warning("simulators", "The " + peerKind + " simulator is enabled while the TWAG's "
                        + interfaceName + " peer " + p.host() + " is at " + p.address() + ": a real " + peerKind
                        + " beside " + whyItMatters + ".", switchOff()));
            }
        }
        return out;
    }
}
