package org.opentwag.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.shell.view.Formats;
import org.opentwag.shell.view.UsageView;

/** Accounting sessions running now (with --all, also those recently stopped), with their usage. */
@Command(scope = "twag", name = "sessions", description = "Lists accounting sessions: user, IMSI, AP, start, duration, down/up octets, status")
@Service
public class SessionsCommand implements Action {

    @Reference
    private AccountingQueries accounting;

    @Argument(index = 0, name = "subscriber", required = false, description = "Only this identity (User-Name) or IMSI")
    @Completion(SubscriberCompleter.class)
    private String subscriber;

    @Option(name = "-a", aliases = "--all", description = "Also sessions that have stopped (kept for closedSessionLifetimeHours)")
    private boolean all;

    @Option(name = "--ap", description = "Only sessions at this access point (NAS IP)")
    @Completion(AccessPointCompleter.class)
    private String ap;

    @Option(name = "-n", aliases = "--max", description = "Most sessions to list (most recently updated first)")
    private int max = 100;

    @Override
    public Object execute() {
        List<AccountingSession> sessions = select(accounting, all, subscriber, ap, max);
        UsageView view = new UsageView(Formats.systemDefault());
        System.out.println(view.summary(sessions));
        view.table(sessions, System.currentTimeMillis(), System.out);
        return null;
    }

    static List<AccountingSession> select(AccountingQueries accounting, boolean all, String subscriber, String ap,
                                          int max) {
        // Filters apply before the limit, so a subscriber's session is found even among many newer ones.
        List<AccountingSession> candidates = all ? accounting.recentSessions(Integer.MAX_VALUE)
                : accounting.openSessions(Integer.MAX_VALUE);
        return candidates.stream()
                .filter(s -> subscriber == null || UsageView.belongsTo(s, subscriber))
                .filter(s -> ap == null || ap.equals(s.nasIp()))
                .limit(Math.max(0, max)).toList();
    }
}
