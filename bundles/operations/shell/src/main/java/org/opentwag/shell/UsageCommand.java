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

/**
 * The guide's "Client Usage &amp; Accounting" view: every session still known, running or stopped, with the totals
 * line; {@code twag:sessions --all} with the guide's name.
 */
@Command(scope = "twag", name = "usage", description = "Client usage and accounting: sessions running and stopped, with totals")
@Service
public class UsageCommand implements Action {

    @Reference
    private AccountingQueries accounting;

    @Argument(index = 0, name = "subscriber", required = false, description = "Only this identity (User-Name) or IMSI")
    @Completion(SubscriberCompleter.class)
    private String subscriber;

    @Option(name = "--ap", description = "Only sessions at this access point (NAS IP)")
    @Completion(AccessPointCompleter.class)
    private String ap;

    @Option(name = "-n", aliases = "--max", description = "Most sessions to list (most recently updated first)")
    private int max = 100;

    @Override
    public Object execute() {
        List<AccountingSession> sessions = SessionsCommand.select(accounting, true, subscriber, ap, max);
        UsageView view = new UsageView(Formats.systemDefault());
        System.out.println("Client Usage & Accounting: " + view.summary(sessions));
        view.table(sessions, System.currentTimeMillis(), System.out);
        return null;
    }
}
