package org.opentwag.eap.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.opentwag.api.eap.EapMethod;

/**
 * The EAP methods present right now (whiteboard: methods come and go as their bundles start and stop), and the
 * operator's order of preference among them.
 */
public final class EapMethodRegistry {

    private final ConcurrentHashMap<Integer, EapMethod> byType = new ConcurrentHashMap<>();
    private volatile List<Integer> preference = List.of();
    /** When a method last went away (System.nanoTime), 0 = never: a bundle:update takes it away for a moment. */
    private volatile long lastRemovalNanos;

    public void add(EapMethod method) {
        byType.put(method.type(), method);
    }

    public void remove(EapMethod method) {
        if (byType.remove(method.type(), method)) {
            lastRemovalNanos = System.nanoTime();
        }
    }

    /** Whether a method went away within the last {@code nanos}: one may be on its way back (bundle:update). */
    public boolean removedWithin(long nanos) {
        long t = lastRemovalNanos;
        return t != 0 && System.nanoTime() - t < nanos;
    }

    /** Types listed first are offered first; types not listed come after, lowest type first. */
    public void preference(List<Integer> types) {
        this.preference = List.copyOf(types);
    }

    public Optional<EapMethod> byType(int type) {
        return Optional.ofNullable(byType.get(type));
    }

    public List<EapMethod> inPreferenceOrder() {
        List<Integer> pref = preference;
        List<EapMethod> all = new ArrayList<>(byType.values());
        all.sort(Comparator.comparingInt((EapMethod m) -> {
            int i = pref.indexOf(m.type());
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparingInt(EapMethod::type));
        return all;
    }
}
