package org.opentwag.accounting.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.opentwag.api.check.Finding;
import org.opentwag.api.check.SafetyCheck;
import org.opentwag.api.state.StateStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * What accounting's settings leave unsafe: acknowledgements before the record is on stable storage, and records
 * kept in this node's embedded H2 file while the node is in a cluster (the clustered state store, which
 * state-hazelcast registers with {@code opentwag.state.store=hazelcast}, is running).
 */
@Component(service = SafetyCheck.class, configurationPid = "org.opentwag.accounting",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class AccountingSafetyCheck implements SafetyCheck {

    static final String AREA = "accounting";
    private static final String CFG = "etc/org.opentwag.accounting.cfg";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(opentwag.state.store=hazelcast)")
    private volatile StateStore clusteredStore;

    private volatile AccountingService.Config config;

    @Activate
    @Modified
    void configure(AccountingService.Config config) {
        this.config = config;
    }

    /** For tests: whether a clustered state store runs beside this node's accounting. */
    void clustered(StateStore store) {
        this.clusteredStore = store;
    }

    @Override
    public List<Finding> findings() {
        AccountingService.Config c = config;
        List<Finding> out = new ArrayList<>();
        if (c == null) {
            return out;
        }
        if (!c.syncToDisk()) {
            out.add(Finding.unsafe(AREA, "Accounting-Responses leave before the record is on stable storage"
                            + " (syncToDisk = false): a power cut loses records the access points were told are stored",
                    "set syncToDisk = true in " + CFG));
        }
        if (clusteredStore != null && embeddedH2(c.url())) {
            out.add(Finding.warning(AREA, "Accounting records are kept in this node's embedded H2 file while the"
                            + " node is in a cluster: each node holds only its own records, and they go with the node",
                    "use a PostgreSQL database shared by the nodes: url = jdbc:postgresql://... and"
                            + " dataSourceFactory.target = (osgi.jdbc.driver.class=org.postgresql.Driver) in " + CFG));
        }
        return out;
    }

    /** The default (empty URL) or an H2 file or memory URL; an H2 server (tcp:, ssl:) may be shared by nodes. */
    static boolean embeddedH2(String url) {
        String u = url == null ? "" : url.trim().toLowerCase(Locale.ROOT);
        return u.isEmpty() || (u.startsWith("jdbc:h2:") && !u.startsWith("jdbc:h2:tcp:")
                && !u.startsWith("jdbc:h2:ssl:"));
    }
}
