package org.opentwag.shell;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.api.accounting.AccountingSession;

/** Completes the User-Names and IMSIs of the accounting sessions known right now. */
@Service
public class SubscriberCompleter implements Completer {

    @Reference
    private AccountingQueries accounting;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        TreeSet<String> names = new TreeSet<>();
        for (AccountingSession s : accounting.recentSessions(10_000)) {
            names.add(s.userName());
            names.add(s.imsi());
        }
        names.removeIf(Objects::isNull);
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
