package org.opentwag.ocssim.osgi;

import java.util.ArrayList;
import java.util.List;

import org.opentwag.api.check.Finding;
import org.opentwag.api.check.SafetyCheck;
import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.DiameterService;
import org.opentwag.diameter.stack.PeerConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * What {@code twag:check} says about the OCS simulator (it grants credit from a file): listening beyond this host
 * lets others draw on its balances, and running at all while the TWAG's Gy peer is on another host (a real OCS) is a
 * simulator left behind.
 */
@Component(service = SafetyCheck.class, configurationPid = OcsSimulatorComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class OcsSimulatorSafetyCheck implements SafetyCheck {
    static final String FILE = "etc/org.opentwag.ocssim.cfg";
    static final String SWITCH_OFF = "enabled = false in " + FILE + " (or feature:uninstall opentwag-ocs-sim)";

    @Reference(target = "(diameter.node=default)")
    private DiameterService twag;

    private volatile OcsSimConfig config;

    @Activate
    @Modified
    void configure(OcsSimConfig c) {
        config = c;
    }

    @Override
    public List<Finding> findings() {
        OcsSimConfig c = config;
        return findings(c.enabled(), c.listenAddress(), c.listenPort(), c.peerHost(), twag.peerConfigs());
    }

    static List<Finding> findings(boolean enabled, String listenAddress, int listenPort, String peerHost,
                                  List<PeerConfig> twagPeers) {
        List<Finding> out = new ArrayList<>();
        if (!enabled) {
            return out;
        }
        if (!PeerConfig.isLoopback(listenAddress)) {
            out.add(Finding.unsafe("simulators", "The OCS simulator listens on " + listenAddress + ":" + listenPort
                    + ", beyond this host: whoever reaches it and calls itself " + peerHost + " is granted credit "
                    + "from its balance file.",
                    "listenAddress = 127.0.0.1 in " + FILE + ", or switch the simulator off: " + SWITCH_OFF));
        }
        for (PeerConfig p : twagPeers) {
            if (p.initiateConnection() && p.serves(ApplicationId.GY.id()) && !p.addressIsLoopback()) {
                out.add(Finding.warning("simulators", "The OCS simulator is enabled while the TWAG's Gy peer "
                        + p.host() + " is at " + p.address() + ": a real OCS beside a simulator that grants credit "
                        + "from a file.", SWITCH_OFF));
            }
        }
        return out;
    }
}
