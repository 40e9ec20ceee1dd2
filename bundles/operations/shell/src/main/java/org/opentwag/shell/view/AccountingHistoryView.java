package org.opentwag.shell.view;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.support.table.ShellTable;
import org.opentwag.api.accounting.AccountingRecord;
import org.opentwag.api.accounting.AccountingStatus;

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
            table.addRow().addContent(formats.time(r.receivedAtMillis()), AccountingStatus.rfcNameOf(r.status()),
                    Formats.orDash(r.userName()), Formats.orDash(r.imsi()),
                    Formats.duration(r.usage().sessionTimeSeconds() * 1000), Formats.octets(r.usage().outputOctets()),
                    Formats.octets(r.usage().inputOctets()), Formats.terminateCause(r.terminateCause()));
        }
        table.print(out, true);
    }
}
