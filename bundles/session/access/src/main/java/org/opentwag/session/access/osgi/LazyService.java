package org.opentwag.session.access.osgi;

import java.util.Collection;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * A service looked up when first used and again once its registration is gone (bundle:update), instead of a DS
 * reference: the services this bundle calls (the RADIUS DAS client, the SWx vector source) themselves reach back to
 * it (radius-server → eap-core → here; swx-client → its termination listener here), and SCR cannot bind a reference
 * cycle while its members activate.
 */
final class LazyService<T> {

    private final BundleContext context;
    private final Class<T> type;
    private volatile String filter;
    private ServiceReference<T> ref;
    private T service;

    LazyService(BundleContext context, Class<T> type, String filter) {
        this.context = context;
        this.type = type;
        this.filter = filter;
    }

    /** Looks again under a new filter at the next use. */
    synchronized void filter(String filter) {
        this.filter = filter;
        release();
    }

    /** The service, or null when none is registered now. */
    synchronized T get() {
        if (ref != null && ref.getBundle() == null) {
            service = null; // unregistered: look again
            ref = null;
        }
        if (service == null) {
            try {
                Collection<ServiceReference<T>> refs = context.getServiceReferences(type, filter);
                // The highest ranking first, as a static greedy reference would choose.
                ref = refs.stream().max(ServiceReference::compareTo).orElse(null);
            } catch (InvalidSyntaxException e) {
                throw new IllegalArgumentException(e);
            }
            service = ref == null ? null : context.getService(ref);
        }
        return service;
    }

    synchronized void release() {
        if (service != null && ref.getBundle() != null) {
            try {
                context.ungetService(ref);
            } catch (IllegalStateException stopping) {
                // this bundle's context is already invalid: nothing to give back
            }
        }
        service = null;
        ref = null;
    }
}
