package org.opentwag.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingQueries;

/** Completes the NAS IP addresses of the access points known right now. */
@Service
public class AccessPointCompleter implements Completer {

    @Reference
    private AccountingQueries accounting;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(accounting.accessPoints().stream().map(AccessPoint::nasIp).toList())
                .complete(session, commandLine, candidates);
    }
}
