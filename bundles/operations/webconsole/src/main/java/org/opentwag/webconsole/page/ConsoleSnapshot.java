package org.opentwag.webconsole.page;

import java.util.List;

import org.opentwag.api.accounting.AccessPoint;
import org.opentwag.api.accounting.AccountingSession;
import org.opentwag.api.state.ClientState;

/**
 * What the tab shows, gathered from the services at request time. A list is null when the service providing it is
 * not installed (shown as such, not as empty).
 */
public record ConsoleSnapshot(List<ClientState> clients, List<AccessPoint> accessPoints,
                              List<AccountingSession> sessions, List<PeerRow> peers, long nowMillis) {

    /** A Diameter peer as one row, so the page needs no Diameter types. */
    public record PeerRow(String host, String realm, String state, String transport, String product) {
    }
}
