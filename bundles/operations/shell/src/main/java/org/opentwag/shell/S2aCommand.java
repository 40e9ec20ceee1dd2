package org.opentwag.shell;

import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.opentwag.api.s2a.HomeRouting;

/** Home routing over S2a: the PGW peers (state, restart counter, RTT) and the PDN connections. */
@Command(scope = "twag", name = "s2a", description = "Lists the S2a PGW peers and the home-routed PDN connections "
        + "(APN, phone IP, TEIDs); with an IMSI, only that subscriber's connection")
@Service
public class S2aCommand implements Action {

    @Reference(optional = true)
    private HomeRouting homeRouting;

    @Argument(index = 0, name = "imsi", required = false, description = "A home-routed subscriber's IMSI")
    @Completion(S2aImsiCompleter.class)
    private String imsi;

    @Override
    public Object execute() {
        if (homeRouting == null) {
            System.out.println("S2a home routing is not installed (feature opentwag-s2a)");
            return null;
        }
        List<HomeRouting.PgwPeerView> peers = homeRouting.peers();
        if (peers.isEmpty()) {
            System.out.println("S2a home routing is disabled (etc/org.opentwag.s2a.cfg: enabled = false)");
            return null;
        }
        System.out.printf("%-22s %-8s %8s %8s %8s%n", "PGW", "State", "Recovery", "Restarts", "RTT ms");
        for (HomeRouting.PgwPeerView p : peers) {
            System.out.printf("%-22s %-8s %8s %8d %8s%n", p.address(), p.state(),
                    p.restartCounter() < 0 ? "-" : Integer.toString(p.restartCounter()), p.restarts(),
                    p.rttMillis() < 0 ? "-" : Long.toString(p.rttMillis()));
        }
        System.out.println();
        System.out.printf("%-16s %-12s %-15s %-22s %-10s %-10s %-10s %-24s %s%n", "IMSI", "APN", "Phone IP", "PGW",
                "TEID", "PGW TEID", "TEID-U", "PGW TEID-U", "Opened");
        for (HomeRouting.PdnConnectionView c : homeRouting.connections()) {
            if (imsi != null && !imsi.equals(c.imsi())) {
                continue;
            }
            System.out.printf("%-16s %-12s %-15s %-22s 0x%08x 0x%08x 0x%08x %-24s %s%n", c.imsi(), c.apn(),
                    c.address(), c.pgw(), c.localTeid(), c.pgwTeid(), c.localUserTeid(), c.pgwUserTeid(),
                    Instant.ofEpochMilli(c.openedMillis()));
        }
        return null;
    }
}
