package org.opentwag.dashboard.rest;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Config Admin configuration as the read-only "Configuration" page shows it, with secrets masked.
 *
 * @param pid        the configuration's PID
 * @param factoryPid the factory PID, or null for a singleton configuration
 * @param properties the properties, sorted, values as strings (or lists of strings), secrets replaced by {@link #MASK}
 */
public record ConfigurationView(String pid, String factoryPid, Map<String, Object> properties) {

    public static final String MASK = "********";

    public static ConfigurationView of(String pid, String factoryPid, Map<String, ?> raw) {
        Map<String, Object> shown = new TreeMap<>();
        raw.forEach((key, value) -> shown.put(key, isSecret(key) ? MASK : display(value)));
        return new ConfigurationView(pid, factoryPid, shown);
    }

    /**
     * Keys whose values must never leave the server: anything naming a secret or password, and the
     * Config Admin convention for private properties (a leading dot).
     */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.startsWith(".") || k.contains("secret") || k.contains("password");
    }

    private static Object display(Object value) {
        if (value == null) {
            return null;
        }
        if (value.getClass().isArray()) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(String.valueOf(Array.get(value, i)));
            }
            return items;
        }
        if (value instanceof Iterable<?> it) {
            List<String> items = new ArrayList<>();
            it.forEach(v -> items.add(String.valueOf(v)));
            return items;
        }
        return String.valueOf(value);
    }
}
