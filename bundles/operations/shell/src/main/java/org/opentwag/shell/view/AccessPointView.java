package org.opentwag.shell.view;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.support.table.ShellTable;
import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingSession;

/** The guide's "Access Points" list and "Access Point Details" page (APState.list in its console), as text. */
public final class AccessPointView {

    private final Formats formats;

    public AccessPointView(Formats formats) {
        this.formats = formats;
    }

    /** "2 APs, 3 Total Clients" and one row per access point, most recently seen first as given. */
    public void list(List<AccessPoint> aps, PrintStream out) {
        list(aps, java.util.Map.of(), out);
    }

    /**
     * As {@link #list(List, PrintStream)}, with each AP's accept/reject counts and its last reject's reason (from the
     * subscriber trace; APs without a row there show dashes).
     */
    public void list(List<AccessPoint> aps, java.util.Map<String, org.opentwag.api.trace.AccessPointOutcomes> outcomes,
                     PrintStream out) {
        long clients = aps.stream().mapToLong(AccessPoint::clientCount).sum();
        out.println(aps.size() + (aps.size() == 1 ? " AP, " : " APs, ") + clients + " Total Clients");
        ShellTable table = new ShellTable();
        table.column("NAS IP ADDRESS");
        table.column("AP MAC");
        table.column("SSID");
        table.column("FIRST SEEN");
        table.column("LAST SEEN");
        table.column("CLIENTS").alignRight();
        table.column("NAS-PORT-TYPE");
        table.column("FRAMED-MTU").alignRight();
        table.column("NAS-IDENTIFIER");
        table.column("ACCEPTS").alignRight();
        table.column("REJECTS").alignRight();
        table.column("LAST REJECT");
        for (AccessPoint ap : aps) {
            org.opentwag.api.trace.AccessPointOutcomes o = outcomes.get(ap.nasIp());
            table.addRow().addContent(ap.nasIp(), Formats.orDash(ap.apMac()), Formats.orDash(ap.ssid()),
                    formats.time(ap.firstSeenMillis()), formats.time(ap.lastSeenMillis()), ap.clientCount(),
                    Formats.nasPortType(ap.nasPortType()), ap.framedMtu() == 0 ? "-" : String.valueOf(ap.framedMtu()),
                    Formats.orDash(ap.nasIdentifier()), o == null ? "-" : String.valueOf(o.accepts()),
                    o == null ? "-" : String.valueOf(o.rejects()), o == null || o.lastRejection() == null ? "-"
                            : formats.time(o.lastRejectMillis()) + " " + o.lastRejection().reason().label());
        }
        table.print(out, true);
    }

    /** One access point's details, then the accounting sessions known at it (open ones and recently closed). */
    public void details(AccessPoint ap, List<AccountingSession> sessions, long nowMillis, PrintStream out) {
        row(out, "NAS IP Address", ap.nasIp());
        row(out, "NAS Identifier", Formats.orDash(ap.nasIdentifier()));
        row(out, "Called Station ID (AP MAC:SSID)", ap.apMac() == null ? "-"
                : ap.apMac() + (ap.ssid() == null ? "" : ":" + ap.ssid()));
        row(out, "AP MAC", Formats.orDash(ap.apMac()));
        row(out, "SSID", Formats.orDash(ap.ssid()));
        row(out, "Client Count", String.valueOf(ap.clientCount()));
        row(out, "First Seen", formats.time(ap.firstSeenMillis()));
        row(out, "Last Seen", formats.time(ap.lastSeenMillis()));
        row(out, "Uptime (since first seen)", Formats.duration(nowMillis - ap.firstSeenMillis()));
        row(out, "NAS Port Type", Formats.nasPortType(ap.nasPortType()));
        row(out, "Framed MTU", ap.framedMtu() == 0 ? "-" : String.valueOf(ap.framedMtu()));
        out.println();
        out.println("Sessions at " + ap.nasIp() + ":");
        new UsageView(formats).table(sessions, nowMillis, out);
    }

    private static void row(PrintStream out, String name, String value) {
        out.printf("%-32s %s%n", name, value);
    }
}
