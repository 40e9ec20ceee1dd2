package org.opentwag.shell;

import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.shell.view.AccessPointView;
import org.opentwag.shell.view.Formats;

/** The guide's Access Point Details, followed by the accounting sessions at that AP. */
@Command(scope = "twag", name = "ap", description = "Shows one access point's details and its sessions")
@Service
public class AccessPointCommand implements Action {

    @Reference
    private AccountingQueries accounting;

    @Argument(index = 0, name = "nas-ip", required = true, description = "The AP's NAS-IP-Address (see twag:aps)")
    @Completion(AccessPointCompleter.class)
    private String nasIp;

    @Option(name = "-n", aliases = "--max", description = "Most sessions to look through (most recently updated first)")
    private int max = 1000;

    @Override
    public Object execute() {
        Optional<AccessPoint> ap = accounting.accessPoint(nasIp);
        if (ap.isEmpty()) {
            // stdout, not stderr: bin/client and ssh exec sessions show only the command's output stream.
            System.out.println("No access point " + nasIp + " (see twag:aps)");
            return null;
        }
        new AccessPointView(Formats.systemDefault()).details(ap.get(), accounting.recentSessions(max).stream()
                .filter(s -> nasIp.equals(s.nasIp())).toList(), System.currentTimeMillis(), System.out);
        return null;
    }
}
