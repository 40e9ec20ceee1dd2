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

    public void add(EapMethod method) {
        byType.put(method.type(), method);
    }

    public void remove(EapMethod method) {
        byType.remove(method.type(), method);
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
