package org.opentwag.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.api.accounting.AccountingSession;

/** Completes the Acct-Session-Ids of the most recently updated sessions still known (open or recently stopped). */
@Service
public class AcctSessionIdCompleter implements Completer {

    /** A console lists candidates; with 100,000 sessions the newest ones are those worth offering. */
    private static final int MOST = 1000;

    @Reference
    private AccountingQueries accounting;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(accounting.recentSessions(MOST).stream().map(AccountingSession::acctSessionId)
                .distinct().toList()).complete(session, commandLine, candidates);
    }
}
