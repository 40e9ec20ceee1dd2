package org.opentwag.api.charging;

import java.util.List;
import java.util.Set;

/** Read side of the charging core for the shell and the dashboard. Served by the charging-core bundle. */
public interface ChargingQueries {

    /** The configured mode: what new sessions are charged with. */
    String mode();

    /** Modes of the {@link ChargingBackend} services registered now. */
    Set<String> availableModes();

    /** Sessions being charged, most recently updated first, at most {@code limit}. */
    List<ChargedSession> sessions(int limit);
}
