package org.opentwag.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.shell.view.AccessPointView;
import org.opentwag.shell.view.Formats;

/** The guide's Access Points view: every AP heard from, by authentication or accounting. */
@Command(scope = "twag", name = "aps", description = "Lists access points: NAS IP, AP MAC, SSID, first/last seen, clients, NAS-Port-Type, Framed-MTU, accepts, rejects and the last reject's reason")
@Service
public class AccessPointsCommand implements Action {

    @Reference
    private AccountingQueries accounting;

    @Reference
    private org.osgi.framework.BundleContext context;

    @Override
    public Object execute() {
        // The subscriber trace (feature opentwag-core) counts accepts and rejects per AP; looked up now, optional.
        org.opentwag.api.trace.SubscriberTrace trace = Services.first(context,
                org.opentwag.api.trace.SubscriberTrace.class, null);
        java.util.Map<String, org.opentwag.api.trace.AccessPointOutcomes> outcomes = new java.util.HashMap<>();
        if (trace != null) {
            trace.accessPoints().forEach(o -> outcomes.put(o.nasIp(), o));
        }
        new AccessPointView(Formats.systemDefault()).list(accounting.accessPoints(), outcomes, System.out);
        return null;
    }
}
