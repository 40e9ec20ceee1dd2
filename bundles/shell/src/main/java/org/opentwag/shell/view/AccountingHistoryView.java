package org.opentwag.shell.view;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.support.table.ShellTable;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingStatus;
import org.opentwag.radius.codec.RadiusDictionary;

/**
 * One accounting session as the database holds it: every Accounting-Request the AP sent for it, oldest first, with
 * the counters each one reported (cumulative, as RFC 2866 has them). What a support call about a bill needs.
 */
public final class AccountingHistoryView {

    private final Formats formats;

    public AccountingHistoryView(Formats formats) {
        this.formats = formats;
    }

    public void table(List<AccountingRecord> records, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("RECEIVED");
        table.column("STATUS");
        table.column("USER");
        table.column("IMSI");
        table.column("SESSION TIME").alignRight();
        table.column("DOWN").alignRight();
        table.column("UP").alignRight();
        table.column("CAUSE");
        for (AccountingRecord r : records) {
            table.addRow().addContent(formats.time(r.receivedAtMillis()), status(r.status()),
                    Formats.orDash(r.userName()), Formats.orDash(r.imsi()),
                    Formats.duration(r.usage().sessionTimeSeconds() * 1000), Formats.octets(r.usage().outputOctets()),
                    Formats.octets(r.usage().inputOctets()), terminateCause(r.terminateCause()));
        }
        table.print(out, true);
    }

    /** Acct-Status-Type by its RFC 2866 name; a value the server does not handle was stored without a status. */
    static String status(AccountingStatus status) {
        return status == null ? "other" : status.rfcName();
    }

    /** Acct-Terminate-Cause by its dictionary name ("Idle-Timeout"), its number when unnamed, "-" when absent. */
    static String terminateCause(int value) {
        if (value == 0) {
            return "-";
        }
        return RadiusDictionary.standard().attribute(RadiusDictionary.ACCT_TERMINATE_CAUSE)
                .map(d -> d.valueNames().get(value)).orElse(String.valueOf(value));
    }
}
