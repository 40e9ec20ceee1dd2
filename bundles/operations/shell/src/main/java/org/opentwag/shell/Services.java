package org.opentwag.shell;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Looks services up at the moment a command runs, so commands work whatever is installed right now. */
final class Services {
    private Services() {
    }

    static <T> List<T> all(BundleContext context, Class<T> type, String filter) {
        List<T> out = new ArrayList<>();
        try {
            for (ServiceReference<T> ref : context.getServiceReferences(type, filter)) {
                T s = context.getService(ref);
                if (s != null) {
                    out.add(s);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        return out;
    }

    static <T> T first(BundleContext context, Class<T> type, String filter) {
        List<T> all = all(context, type, filter);
        return all.isEmpty() ? null : all.get(0);
    }

    /** The client list (access-session bundle), looked up now like the state store. */
    static org.opentwag.api.session.AccessSessions accessSessions(BundleContext context) {
        org.opentwag.api.session.AccessSessions s = first(context, org.opentwag.api.session.AccessSessions.class, null);
        if (s == null) {
            throw new IllegalStateException("no access sessions (feature opentwag-core not running)");
        }
        return s;
    }
}
