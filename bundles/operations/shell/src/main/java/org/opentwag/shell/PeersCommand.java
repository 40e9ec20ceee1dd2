package org.opentwag.shell;

import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.opentwag.diameter.stack.DiameterService;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.shell.view.Formats;
import org.opentwag.shell.view.PeerView;

/** The guide's Diameter Peers page; with a peer's Origin-Host, that peer's details. */
@Command(scope = "twag", name = "peers", description = "Lists the Diameter peers (HSS, DRA, OCS) and their state, or one peer's details")
@Service
public class PeersCommand implements Action {

    @Reference(filter = "(diameter.node=default)")
    private DiameterService diameter;

    @Argument(index = 0, name = "peer", required = false, description = "A peer's Origin-Host for its details")
    @Completion(PeerCompleter.class)
    private String peer;

    @Override
    public Object execute() {
        PeerView view = new PeerView(Formats.systemDefault());
        if (peer == null) {
            view.list(diameter.peers(), diameter.peerTraffic(), System.out);
            return null;
        }
        Optional<PeerInfo> p = diameter.peers().stream().filter(x -> x.host().equalsIgnoreCase(peer)).findFirst();
        if (p.isEmpty()) {
            System.out.println("No Diameter peer " + peer + " (see twag:peers)");
            return null;
        }
        view.details(p.get(), diameter.peerTraffic().stream().filter(t -> t.host().equalsIgnoreCase(peer))
                .findFirst().orElse(null), System.out);
        return null;
    }
}
