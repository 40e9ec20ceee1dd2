package org.opentwag.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.opentwag.diameter.stack.DiameterService;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.diameter.stack.PeerState;

/** The guide's Diameter Peers page: peer, realm, address, state, transport, product, applications. */
@Command(scope = "twag", name = "peers", description = "Lists the Diameter peers (HSS, DRA, OCS) and their state")
@Service
public class PeersCommand implements Action {

    @Reference(filter = "(diameter.node=default)")
    private DiameterService diameter;

    @Override
    public Object execute() {
        long open = diameter.peers().stream().filter(p -> p.state() == PeerState.OPEN).count();
        System.out.println(open + " Connected, " + (diameter.peers().size() - open) + " Disconnected");
        ShellTable table = new ShellTable();
        table.column("PEER");
        table.column("REALM");
        table.column("ADDRESS");
        table.column("STATUS");
        table.column("INITIATION");
        table.column("PRODUCT");
        table.column("APPLICATIONS");
        for (PeerInfo p : diameter.peers()) {
            table.addRow().addContent(p.host(), p.realm(),
                    p.transport().name().toLowerCase() + "://" + p.address() + ":" + p.port(),
                    p.state() == PeerState.OPEN ? "Connected" : p.state().name(),
                    p.role() == null ? "-" : p.role().name(),
                    p.productName() == null ? "-" : p.productName(),
                    p.advertisedApplications() == null ? "-" : p.advertisedApplications().toString());
        }
        table.print(System.out);
        return null;
    }
}
