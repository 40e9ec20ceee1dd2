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
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.shell.view.AccountingHistoryView;
import org.opentwag.shell.view.Formats;

/**
 * Every stored Accounting-Request of one session, read back from the database. An Acct-Session-Id is unique only per
 * AP, so the AP comes from {@code --ap}, or from the sessions still known when exactly one AP has that id.
 */
@Command(scope = "twag", name = "history", description = "Accounting records of one session, as stored in the database")
@Service
public class HistoryCommand implements Action {

    @Reference
    private AccountingQueries accounting;

    @Argument(index = 0, name = "acct-session-id", required = true, description = "Acct-Session-Id of the session")
    @Completion(AcctSessionIdCompleter.class)
    private String acctSessionId;

    @Option(name = "--ap", description = "The access point (NAS IP) of the session; needed when no session with this"
            + " id is still known, or several APs used it")
    @Completion(AccessPointCompleter.class)
    private String ap;

    @Override
    public Object execute() {
        String nasIp = ap;
        if (nasIp == null) {
            List<String> aps = accessPointsOf(accounting, acctSessionId);
            if (aps.size() != 1) {
                System.err.println(aps.isEmpty()
                        ? "No session " + acctSessionId + " is known any more: give its AP with --ap <NAS IP>"
                        : "Session id " + acctSessionId + " is known at several APs " + aps + ": choose one with --ap");
                return null;
            }
            nasIp = aps.get(0);
        }
        List<AccountingRecord> records;
        try {
            records = accounting.history(nasIp, acctSessionId);
        } catch (IllegalStateException unreadable) {
            System.err.println("Records of session " + acctSessionId + " at " + nasIp + " unreadable: "
                    + unreadable.getMessage());
            return null;
        }
        int max = accounting.historyMaxRecords();
        System.out.println("Session " + acctSessionId + " at " + nasIp + ": " + records.size()
                + (records.size() == 1 ? " record" : " records")
                + (max > 0 && records.size() >= max ? " (the oldest " + max + "; historyMaxRecords in "
                        + "etc/org.opentwag.accounting.cfg bounds a read)" : ""));
        new AccountingHistoryView(Formats.systemDefault()).table(records, System.out);
        return null;
    }

    /** The APs of the sessions still known (open or recently stopped) that have this Acct-Session-Id. */
    static List<String> accessPointsOf(AccountingQueries accounting, String acctSessionId) {
        return accounting.recentSessions(Integer.MAX_VALUE).stream()
                .filter(s -> s.acctSessionId().equals(acctSessionId))
                .map(AccountingSession::nasIp).distinct().toList();
    }
}
