package org.opentwag.charging.core.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.opentwag.api.charging.ChargedSession;
import org.opentwag.api.charging.ChargingDecision;
import org.opentwag.api.charging.ChargingQueries;

/** The charging mode and the sessions being charged with their quota (granted, used, left). */
@Command(scope = "twag", name = "charging", description = "Charging mode and charged sessions with quota left")
@Service
public class ChargingCommand implements Action {

    @Reference
    private ChargingQueries charging;

    @Option(name = "-n", aliases = "--max", description = "Most sessions to list (most recently updated first)")
    private int max = 50;

    @Override
    public Object execute() {
        String mode = charging.mode();
        boolean present = charging.availableModes().contains(mode);
        System.out.println("Mode: " + mode + (present ? "" : "   (NO BACKEND INSTALLED for this mode)"));
        System.out.println("Backends installed: " + String.join(", ", charging.availableModes()));
        List<ChargedSession> sessions = charging.sessions(max);
        ShellTable table = new ShellTable();
        table.column("IMSI");
        table.column("AP");
        table.column("Acct-Session-Id");
        table.column("Mode");
        table.column("Granted").alignRight();
        table.column("Used").alignRight();
        table.column("Left").alignRight();
        table.column("Final");
        for (ChargedSession s : sessions) {
            table.addRow().addContent(s.session().imsi(), s.session().nasIp(),
                    s.acctSessionId() == null ? "(no Start yet)" : s.acctSessionId(), s.mode(),
                    octets(s.allowanceOctets()), octets(s.usedOctets()), octets(s.leftOctets()),
                    s.finalUnit() ? "yes" : "");
        }
        table.print(System.out);
        System.out.println(sessions.size() + " session(s)");
        return null;
    }

    static String octets(long n) {
        if (n == ChargingDecision.UNLIMITED) {
            return "unlimited";
        }
        if (n >= 1024L * 1024 * 1024) {
            return String.format("%.2f GB", n / (1024.0 * 1024 * 1024));
        }
        if (n >= 1024L * 1024) {
            return String.format("%.2f MB", n / (1024.0 * 1024));
        }
        if (n >= 1024) {
            return String.format("%.1f kB", n / 1024.0);
        }
        return n + " B";
    }
}
