package org.opentwag.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.opentwag.api.charging.ChargingBackend;
import org.opentwag.api.eap.EapMethod;
import org.opentwag.api.vectors.AuthVectorSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** The plugins present right now: EAP methods, vector sources, charging backends, with the bundle providing each. */
@Command(scope = "twag", name = "methods", description = "Lists the EAP methods, vector sources and charging backends installed")
@Service
public class MethodsCommand implements Action {

    @Reference
    private BundleContext context;

    @Override
    public Object execute() throws Exception {
        ShellTable table = new ShellTable();
        table.column("KIND");
        table.column("NAME");
        table.column("BUNDLE");
        for (ServiceReference<EapMethod> ref : context.getServiceReferences(EapMethod.class, null)) {
            EapMethod m = context.getService(ref);
            if (m != null) {
                table.addRow().addContent("EAP method", m.name() + " (type " + m.type() + ")", bundle(ref));
                context.ungetService(ref);
            }
        }
        for (ServiceReference<AuthVectorSource> ref : context.getServiceReferences(AuthVectorSource.class, null)) {
            table.addRow().addContent("vector source", ref.getProperty(AuthVectorSource.SOURCE_PROPERTY), bundle(ref));
        }
        for (ServiceReference<ChargingBackend> ref : context.getServiceReferences(ChargingBackend.class, null)) {
            table.addRow().addContent("charging", ref.getProperty(ChargingBackend.MODE_PROPERTY), bundle(ref));
        }
        table.print(System.out);
        return null;
    }

    private static String bundle(ServiceReference<?> ref) {
        return ref.getBundle().getSymbolicName() + " [" + ref.getBundle().getBundleId() + "] "
                + ref.getBundle().getVersion();
    }
}
