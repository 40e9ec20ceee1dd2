package org.opentwag.shell;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.opentwag.api.check.Finding;
import org.opentwag.api.check.SafetyCheck;
import org.opentwag.shell.view.FindingsView;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** Every unsafe or inconsistent setting, as judged by the bundle owning it (each registers a {@link SafetyCheck}). */
@Command(scope = "twag", name = "check", description = "Lists every unsafe or inconsistent setting and what to do about it")
@Service
public class CheckCommand implements Action {

    @Reference
    private BundleContext context;

    @Override
    public Object execute() throws Exception {
        new FindingsView().print(findings(context), System.out);
        return null;
    }

    /** The findings of every check registered now; a check that fails is itself reported, not a failed command. */
    static List<Finding> findings(BundleContext context) throws Exception {
        List<Finding> all = new ArrayList<>();
        for (ServiceReference<SafetyCheck> ref : context.getServiceReferences(SafetyCheck.class, null)) {
            SafetyCheck check = context.getService(ref);
            if (check == null) {
                continue;
            }
            try {
                all.addAll(check.findings());
            } catch (RuntimeException e) {
                all.add(Finding.warning("check", "The check of bundle " + ref.getBundle().getSymbolicName()
                        + " failed: " + e, "See karaf.log; report it"));
            } finally {
                context.ungetService(ref);
            }
        }
        return all;
    }
}
