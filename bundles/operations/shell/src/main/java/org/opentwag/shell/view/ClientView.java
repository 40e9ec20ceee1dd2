package org.opentwag.shell.view;

import java.io.PrintStream;
import java.util.Collection;
import java.util.Comparator;

import org.apache.karaf.shell.support.table.ShellTable;
import org.opentwag.api.s2a.HomeRouting;
import org.opentwag.api.state.ClientState;
import org.opentwag.api.vectors.Non3gppUserData;

/** The guide's RADIUS Clients view (CryptoState.keys / CryptoState.get in its console), never key material. */
public final class ClientView {

    private final Formats formats;

    public ClientView(Formats formats) {
        this.formats = formats;
    }

    /** "1 Accepted, 0 Authenticating, 2 Rejected, 0 Ended" and the clients, most recently updated first. */
    public void list(Collection<ClientState> clients, String statusFilter, long nowMillis, PrintStream out) {
        out.println(count(clients, ClientState.Status.ACCEPTED) + " Accepted, "
                + count(clients, ClientState.Status.AUTHENTICATING) + " Authenticating, "
                + count(clients, ClientState.Status.REJECTED) + " Rejected, "
                + count(clients, ClientState.Status.ENDED) + " Ended");
        ShellTable table = new ShellTable();
        table.column("IDENTITY");
        table.column("IMSI");
        table.column("AUTH STATUS");
        table.column("METHOD");
        table.column("LAST UPDATED");
        table.column("SESSION DURATION").alignRight();
        table.column("AP");
        table.column("CLIENT MAC");
        clients.stream()
                .filter(c -> statusFilter == null || c.status().name().equalsIgnoreCase(statusFilter))
                .sorted(Comparator.comparingLong(ClientState::lastUpdateMillis).reversed())
                .forEach(c -> table.addRow().addContent(c.identity(), Formats.orDash(c.imsi()), label(c.status()),
                        Formats.orDash(c.method()), formats.time(c.lastUpdateMillis()),
                        c.status() == ClientState.Status.ACCEPTED
                                ? Formats.duration(nowMillis - c.acceptedAtMillis()) : "-",
                        Formats.orDash(c.nasIp()), Formats.orDash(c.callingStationId())));
        table.print(out, true);
    }

    public void details(ClientState c, PrintStream out) {
        row(out, "Identity", c.identity());
        row(out, "IMSI", c.imsi());
        row(out, "Auth Status", label(c.status()));
        row(out, "EAP Method", c.method());
        row(out, "NAS IP Address", c.nasIp());
        row(out, "Called Station ID (AP MAC:SSID)", c.calledStationId());
        row(out, "Calling Station ID (Client MAC)", c.callingStationId());
        if (c.operatorName() != null) {
            row(out, "Operator Name (access network)", c.operatorName());
        }
        if (c.location() != null) {
            row(out, "Location", c.location());
        }
        if (c.chargeableUserIdentity() != null) {
            row(out, "Chargeable User Identity", c.chargeableUserIdentity());
        }
        row(out, "First Seen", formats.time(c.firstSeenMillis()));
        row(out, "Last Updated", formats.time(c.lastUpdateMillis()));
        if (c.acceptedAtMillis() > 0) {
            row(out, "Accepted At", formats.time(c.acceptedAtMillis()));
        }
        if (c.reason() != null) {
            row(out, "Last Rejection", c.reason());
        }
    }

    /** The subscriber's non-3GPP user data from the HSS (SAA or PPR), below its details. */
    public void userData(Non3gppUserData d, PrintStream out) {
        row(out, "Non-3GPP Access (HSS)", d.ipAccess() == Non3gppUserData.IpAccess.NON_3GPP_SUBSCRIPTION_BARRED
                ? "Barred" : "Allowed");
        row(out, "Non-3GPP APNs (HSS)", d.apnAccess() == Non3gppUserData.ApnAccess.NON_3GPP_APNS_DISABLE
                ? "Disabled" : "Enabled");
        if (d.msisdn() != null) {
            row(out, "MSISDN", d.msisdn());
        }
        if (d.ambr() != null) {
            row(out, "AMBR", d.ambr().toString());
        }
        Non3gppUserData.ApnConfiguration defaultApn = d.defaultApn().orElse(null);
        for (Non3gppUserData.ApnConfiguration apn : d.apns()) {
            row(out, "APN " + apn.contextId() + (apn.equals(defaultApn) ? " (default)" : ""),
                    apn.serviceSelection() + (apn.pdnType() != null ? ", " + apn.pdnType() : "")
                            + (apn.ambr() != null ? ", AMBR " + apn.ambr() : ""));
        }
    }

    /** The subscriber's home-routed PDN connection (S2a), below its details: APN, phone IP, PGW, TEIDs. */
    public void pdnConnection(HomeRouting.PdnConnectionView p, PrintStream out) {
        row(out, "Path", "Home-routed (S2a)");
        row(out, "APN", p.apn());
        row(out, "Phone IP (PAA)", p.address());
        row(out, "PGW", p.pgw());
        row(out, "TEID control (ours / PGW)", String.format("0x%08x / 0x%08x", p.localTeid(), p.pgwTeid()));
        row(out, "TEID user (ours / PGW)", String.format("0x%08x / %s", p.localUserTeid(), p.pgwUserTeid()));
        row(out, "PDN Connection Opened", formats.time(p.openedMillis()));
    }

    public static String label(ClientState.Status s) {
        return switch (s) {
            case ACCEPTED -> "Accepted";
            case AUTHENTICATING -> "Authenticating";
            case ENDED -> "Ended";
            case REJECTED -> "Rejected";
        };
    }

    private static long count(Collection<ClientState> clients, ClientState.Status status) {
        return clients.stream().filter(c -> c.status() == status).count();
    }

    private static void row(PrintStream out, String name, String value) {
        out.printf("%-32s %s%n", name, value == null ? "-" : value);
    }
}
