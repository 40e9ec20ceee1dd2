package org.opentwag.shell.view;

import java.io.PrintStream;
import java.util.Collection;
import java.util.stream.Collectors;

import org.apache.karaf.shell.support.table.ShellTable;
import org.opentwag.diameter.stack.PeerInfo;
import org.opentwag.diameter.stack.PeerState;
import org.opentwag.diameter.stack.PeerTraffic;

/** The guide's Diameter Peers page: peer, realm, address, state, transport, product, applications. */
public final class PeerView {

    private final Formats formats;

    public PeerView(Formats formats) {
        this.formats = formats;
    }

    public void list(Collection<PeerInfo> peers, PrintStream out) {
        list(peers, java.util.List.of(), out);
    }

    /** With each peer's requests, errors and answer times (p50/p99) since start. */
    public void list(Collection<PeerInfo> peers, Collection<PeerTraffic> traffic, PrintStream out) {
        java.util.Map<String, PeerTraffic> byHost = new java.util.HashMap<>();
        traffic.forEach(t -> byHost.put(t.host().toLowerCase(java.util.Locale.ROOT), t));
        long open = peers.stream().filter(PeerInfo::isOpen).count();
        out.println(open + " Connected, " + (peers.size() - open) + " Disconnected");
        ShellTable table = new ShellTable();
        table.column("PEER");
        table.column("REALM");
        table.column("ADDRESS");
        table.column("STATUS");
        table.column("INITIATION");
        table.column("PRODUCT");
        table.column("APPLICATIONS");
        table.column("REQUESTS").alignRight();
        table.column("ERRORS").alignRight();
        table.column("P50 MS").alignRight();
        table.column("P99 MS").alignRight();
        for (PeerInfo p : peers) {
            PeerTraffic t = byHost.get(p.host().toLowerCase(java.util.Locale.ROOT));
            table.addRow().addContent(p.host(), p.realm(), address(p), status(p.state()),
                    p.role() == null ? "-" : p.role().name(), Formats.orDash(p.productName()), applications(p),
                    t == null ? "0" : String.valueOf(t.requests()), t == null ? "0" : String.valueOf(t.errors()),
                    t == null ? "-" : millis(t.p50Millis()), t == null ? "-" : millis(t.p99Millis()));
        }
        table.print(out, true);
    }

    static String millis(double ms) {
        return Double.isNaN(ms) ? "-" : String.format(java.util.Locale.ROOT, "%.1f", ms);
    }

    public void details(PeerInfo p, PrintStream out) {
        details(p, null, out);
    }

    public void details(PeerInfo p, PeerTraffic t, PrintStream out) {
        row(out, "Peer (Origin-Host)", p.host());
        row(out, "Realm", p.realm());
        row(out, "Address", address(p));
        row(out, "Status", status(p.state()));
        row(out, "Since", p.since() == null ? "-" : formats.time(p.since().toEpochMilli()));
        row(out, "Initiation", p.role() == null ? "-" : p.role().name());
        row(out, "Product", Formats.orDash(p.productName()));
        row(out, "Advertised Applications", applications(p));
        row(out, "Common Applications", p.commonApplications() == null ? "-" : names(p.commonApplications()));
        row(out, "Default Route", p.defaultRoute() ? "yes" : "no");
        row(out, "Configured", p.configured() ? "yes" : "no (accepted as unknown peer)");
        row(out, "Pending Requests", String.valueOf(p.pendingRequests()));
        if (t != null) {
            row(out, "Requests / Errors", t.requests() + " / " + t.errors());
            row(out, "Answer time p50 / p99", millis(t.p50Millis()) + " / " + millis(t.p99Millis()) + " ms");
        }
    }

    static String status(PeerState state) {
        return state == PeerState.OPEN ? "Connected" : state.name();
    }

    private static String address(PeerInfo p) {
        return p.transport().name().toLowerCase() + "://" + p.address() + ":" + p.port();
    }

    private static String applications(PeerInfo p) {
        return p.advertisedApplications() == null ? "-" : names(p.advertisedApplications());
    }

    /** Application ids with the names of those this product speaks (RFC 6733 11.3, TS 29.273, RFC 4006). */
    static String names(Collection<Long> ids) {
        return ids.stream().sorted().map(id -> switch (id.intValue()) {
            case 0 -> "0 (base)";
            case 4 -> "4 (Gy/DCCA)";
            case 16777265 -> "16777265 (SWx)";
            case 16777264 -> "16777264 (SWm)";
            case 16777250 -> "16777250 (STa)";
            default -> String.valueOf(id);
        }).collect(Collectors.joining(", "));
    }

    private static void row(PrintStream out, String name, String value) {
        out.printf("%-32s %s%n", name, value);
    }
}
