package org.opentwag.ocssim.osgi;

import java.util.List;

import org.opentwag.api.check.Finding;
import org.opentwag.api.check.SafetyCheck;
import org.opentwag.diameter.stack.ApplicationId;
import org.opentwag.diameter.stack.DiameterService;
import org.opentwag.diameter.stack.PeerConfig;
import org.opentwag.diameter.stack.SimulatedPeerCheck;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/** What {@code twag:check} says about the OCS simulator, which grants credit from a file. */
@Component(service = SafetyCheck.class, configurationPid = OcsSimulatorComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class OcsSimulatorSafetyCheck implements SafetyCheck {
    static final SimulatedPeerCheck CHECK = new SimulatedPeerCheck("OCS", "Gy", ApplicationId.GY,
            "etc/org.opentwag.ocssim.cfg", "opentwag-ocs-sim",
            "is granted credit from its balance file",
            "a simulator that grants credit from a file");

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
        return CHECK.findings(enabled, listenAddress, listenPort, peerHost, twagPeers);
    }
}
