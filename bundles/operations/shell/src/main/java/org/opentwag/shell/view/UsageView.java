package org.opentwag.shell.view;

import java.io.PrintStream;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.karaf.shell.support.table.ShellTable;
import org.opentwag.api.accounting.AccountingSession;

/**
 * The guide's "Client Usage &amp; Accounting" view (ClientUsage.list in its console): one row per accounting
 * session with who, where, since when, how long and how much. Down is what the AP sent to the phone
 * (Acct-Output-Octets), Up what it received from the phone (Acct-Input-Octets), as RFC 2866 section 5.3/5.4 count them.
 */
public final class UsageView {

    /** Called-Station-Id "AA-BB-CC-DD-EE-FF:SSID" (IEEE 802.1X RADIUS guidelines, RFC 3580 3.20). */
    private static final Pattern CALLED_STATION = Pattern.compile("^(?:[0-9A-Fa-f]{2}[-:.]?){5}[0-9A-Fa-f]{2}:(.+)$");

    private final Formats formats;

    public UsageView(Formats formats) {
        this.formats = formats;
    }

    /** "3 Sessions, 1 Active, Down 204.4 MB / Up 623.07 MB": the guide's summary line over these sessions. */
    public String summary(List<AccountingSession> sessions) {
        long active = sessions.stream().filter(AccountingSession::open).count();
        long down = sessions.stream().mapToLong(s -> s.usage().outputOctets()).sum();
        long up = sessions.stream().mapToLong(s -> s.usage().inputOctets()).sum();
        return sessions.size() + (sessions.size() == 1 ? " Session, " : " Sessions, ") + active + " Active, Down "
                + Formats.octets(down) + " / Up " + Formats.octets(up);
    }

    public void table(List<AccountingSession> sessions, long nowMillis, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("SESSION ID");
        table.column("USER");
        table.column("IMSI");
        table.column("CLIENT MAC");
        table.column("AP");
        table.column("SSID");
        table.column("START");
        table.column("STATUS");
        table.column("DURATION").alignRight();
        table.column("DOWN").alignRight();
        table.column("UP").alignRight();
        for (AccountingSession s : sessions) {
            table.addRow().addContent(s.acctSessionId(), Formats.orDash(s.userName()), Formats.orDash(s.imsi()),
                    Formats.orDash(s.callingStationId()), s.nasIp(), Formats.orDash(ssid(s.calledStationId())),
                    formats.time(s.startedAtMillis()), s.open() ? "Active" : "Stopped",
                    Formats.duration(durationMillis(s, nowMillis)), Formats.octets(s.usage().outputOctets()),
                    Formats.octets(s.usage().inputOctets()));
        }
        table.print(out, true);
    }

    /**
     * How long the session has lasted: the AP's own Acct-Session-Time when it reported one, and for a session still
     * open at least the time since its Start (the AP reports only at interim intervals).
     */
    static long durationMillis(AccountingSession s, long nowMillis) {
        long reported = s.usage().sessionTimeSeconds() * 1000;
        long elapsed = (s.open() ? nowMillis : s.updatedAtMillis()) - s.startedAtMillis();
        if (reported > 0) {
            return s.open() ? Math.max(reported, elapsed) : reported;
        }
        return Math.max(0, elapsed);
    }

    static String ssid(String calledStationId) {
        if (calledStationId == null) {
            return null;
        }
        Matcher m = CALLED_STATION.matcher(calledStationId);
        return m.matches() ? m.group(1) : null;
    }

    /** True when the session belongs to this subscriber: its User-Name or its IMSI equals what the operator typed. */
    public static boolean belongsTo(AccountingSession s, String identityOrImsi) {
        return identityOrImsi.equals(s.userName()) || identityOrImsi.equals(s.imsi());
    }
}
