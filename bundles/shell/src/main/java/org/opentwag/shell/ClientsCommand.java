package org.opentwag.shell;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.opentwag.api.state.ClientState;

/** The guide's RADIUS Clients view (CryptoState.keys): identity, auth status, last update, session duration. */
@Command(scope = "twag", name = "clients", description = "Lists clients: identity, authentication status, last update, session duration")
@Service
public class ClientsCommand implements Action {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Reference
    private org.osgi.framework.BundleContext context;

    @Option(name = "-s", aliases = "--status", description = "Only clients in this status (ACCEPTED, AUTHENTICATING, REJECTED)")
    private String status;

    @Override
    public Object execute() {
        Map<String, ClientState> clients = Services.stateStore(context).snapshot(ClientState.MAP, ClientState.class);
        long accepted = clients.values().stream().filter(c -> c.status() == ClientState.Status.ACCEPTED).count();
        long authenticating = clients.values().stream().filter(c -> c.status() == ClientState.Status.AUTHENTICATING)
                .count();
        long rejected = clients.values().stream().filter(c -> c.status() == ClientState.Status.REJECTED).count();
        System.out.println(accepted + " Accepted, " + authenticating + " Authenticating, " + rejected + " Rejected");
        ShellTable table = new ShellTable();
        table.column("IDENTITY");
        table.column("AUTH STATUS");
        table.column("LAST UPDATED");
        table.column("SESSION DURATION");
        table.column("AP");
        long now = System.currentTimeMillis();
        clients.values().stream()
                .filter(c -> status == null || c.status().name().equalsIgnoreCase(status))
                .sorted(Comparator.comparingLong(ClientState::lastUpdateMillis).reversed())
                .forEach(c -> table.addRow().addContent(c.identity(), label(c.status()),
                        TIME.format(Instant.ofEpochMilli(c.lastUpdateMillis())),
                        c.status() == ClientState.Status.ACCEPTED ? Services.duration(now - c.acceptedAtMillis()) : "-",
                        c.nasIp()));
        table.print(System.out);
        return null;
    }

    static String label(ClientState.Status s) {
        return switch (s) {
            case ACCEPTED -> "Accepted";
            case AUTHENTICATING -> "Authenticating";
            case REJECTED -> "Rejected";
        };
    }
}
