package org.opentwag.radius.server.internal.osgi;

import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceException;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handler service taken from the service registry when Declarative Services did not bind it. Felix SCR binds a
 * dynamic reference once, when the service appears; if the service's own component is being re-activated at that
 * moment (a refresh of many bundles: seen as "Service factory returned null" in the log), the bind fails and is not
 * tried again while that registration lasts, so radius-server would run without a handler that is there (measured:
 * every Accounting-Request of a node dropped for 90 s after a refresh, until the next update). Looked up at most once a
 * second, only while the DS field is empty; released when the service goes away or the component stops.
 */
final class RegistryFallback<S> {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryFallback.class);
    private static final long LOOKUP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Class<S> type;
    private BundleContext context;
    private ServiceReference<S> reference;
    private S service;
    private long nextLookup = System.nanoTime();

    RegistryFallback(Class<S> type) {
        this.type = type;
    }

    synchronized void open(BundleContext context) {
        this.context = context;
    }

    /** The registered service, or null when there is none (or the last look was less than a second ago). */
    synchronized S get() {
        if (service != null && reference.getBundle() != null) {
            return service; // still registered
        }
        release();
        long now = System.nanoTime();
        if (context == null || now - nextLookup < 0) {
            return null;
        }
        nextLookup = now + LOOKUP_INTERVAL_NANOS;
        try {
            ServiceReference<S> found = context.getServiceReference(type);
            S got = found == null ? null : context.getService(found);
            if (got != null) {
                reference = found;
                service = got;
                LOG.warn("{} not bound by Declarative Services: using the registered one ({})", type.getSimpleName(),
                        got.getClass().getName());
            }
            return got;
        } catch (IllegalStateException | ServiceException e) {
            return null; // stopping, or the service's component is not ready yet: next time
        }
    }

    /** Lets go of the service (the component stops). */
    synchronized void close() {
        release();
        context = null;
    }

    private void release() {
        if (service != null) {
            try {
                context.ungetService(reference);
            } catch (IllegalStateException | IllegalArgumentException stopping) {
                // our bundle is stopping: the framework releases it
            }
            service = null;
            reference = null;
        }
    }
}
