package org.opentwag.hsssim.osgi;

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

/** What {@code twag:check} says about the HSS simulator, whose subscribers' keys are published test values. */
@Component(service = SafetyCheck.class, configurationPid = HssSimulatorComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class HssSimulatorSafetyCheck implements SafetyCheck {
    static final SimulatedPeerCheck CHECK = new SimulatedPeerCheck("HSS", "SWx", ApplicationId.SWX,
            "etc/org.opentwag.hsssim.cfg", "opentwag-hss-sim",
            "gets authentication vectors of its subscribers, whose keys (Ki/OPc) are published test values",
            "a simulator whose subscribers' keys are published");

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
        return CHECK.findings(enabled, listenAddress, listenPort, peerHost, twagPeers);
    }
}
