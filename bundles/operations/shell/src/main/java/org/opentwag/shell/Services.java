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

    /**
     * The state store consumers use now: the highest-ranked one (a clustered store installed after the shell
     * outranks the in-memory one; a field injected once would keep showing the old, empty store).
     */
    static org.opentwag.api.state.StateStore stateStore(BundleContext context) {
        ServiceReference<org.opentwag.api.state.StateStore> ref =
                context.getServiceReference(org.opentwag.api.state.StateStore.class);
        org.opentwag.api.state.StateStore store = ref == null ? null : context.getService(ref);
        if (store == null) {
            throw new IllegalStateException("no state store (feature opentwag-core not running)");
        }
        return store;
    }
}
