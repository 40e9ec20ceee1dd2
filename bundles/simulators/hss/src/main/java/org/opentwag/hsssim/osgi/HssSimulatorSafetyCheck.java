package org.opentwag.hsssim.osgi;

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
 * What {@code twag:check} says about the HSS simulator (its subscribers' keys are published test values): listening
 * beyond this host is unsafe, and running at all while the TWAG's SWx peer is on another host (a real HSS) is a
 * simulator left behind.
 */
@Component(service = SafetyCheck.class, configurationPid = HssSimulatorComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class HssSimulatorSafetyCheck implements SafetyCheck {
    static final String FILE = "etc/org.opentwag.hsssim.cfg";
    static final String SWITCH_OFF = "enabled = false in " + FILE + " (or feature:uninstall opentwag-hss-sim)";

    @Reference(target = "(diameter.node=default)")
    private DiameterService twag;

    private volatile HssSimConfig config;

    @Activate
    @Modified
    void configure(HssSimConfig c) {
        config = c;
    }

    @Override
    public List<Finding> findings() {
        HssSimConfig c = config;
        return findings(c.enabled(), c.listenAddress(), c.listenPort(), c.peerHost(), twag.peerConfigs());
    }

    static List<Finding> findings(boolean enabled, String listenAddress, int listenPort, String peerHost,
                                  List<PeerConfig> twagPeers) {
        List<Finding> out = new ArrayList<>();
        if (!enabled) {
            return out;
        }
        if (!PeerConfig.isLoopback(listenAddress)) {
            out.add(Finding.unsafe("simulators", "The HSS simulator listens on " + listenAddress + ":" + listenPort
                    + ", beyond this host: whoever reaches it and calls itself " + peerHost + " gets authentication "
                    + "vectors of its subscribers, whose keys (Ki/OPc) are published test values.",
                    "listenAddress = 127.0.0.1 in " + FILE + ", or switch the simulator off: " + SWITCH_OFF));
        }
        for (PeerConfig p : twagPeers) {
            if (p.initiateConnection() && p.serves(ApplicationId.SWX.id()) && !p.addressIsLoopback()) {
                out.add(Finding.warning("simulators", "The HSS simulator is enabled while the TWAG's SWx peer "
                        + p.host() + " is at " + p.address() + ": a real HSS beside a simulator whose subscribers' keys "
                        + "are published.", SWITCH_OFF));
            }
        }
        return out;
    }
}
