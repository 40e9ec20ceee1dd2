package org.opentwag.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.opentwag.api.accounting.AccountingQueries;
import org.opentwag.shell.view.AccessPointView;
import org.opentwag.shell.view.Formats;

/** The guide's Access Points view: every AP heard from, by authentication or accounting. */
@Command(scope = "twag", name = "aps", description = "Lists access points: NAS IP, AP MAC, SSID, first/last seen, clients, NAS-Port-Type, Framed-MTU")
@Service
public class AccessPointsCommand implements Action {

    @Reference
    private AccountingQueries accounting;

    @Override
    public Object execute() {
        new AccessPointView(Formats.systemDefault()).list(accounting.accessPoints(), System.out);
        return null;
    }
}
