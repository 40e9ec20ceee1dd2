package org.opentwag.metrics.exposition;

import java.util.ArrayList;
import java.util.List;

/**
 * One series key in Prometheus text form, {@code name} or {@code name{label="value",...}}, split into its parts.
 * Label values may contain escaped quotes and backslashes.
 */
public record Series(String name, List<String> labelNames, List<String> labelValues) {

    public static Series parse(String key) {
        int brace = key.indexOf('{');
        if (brace < 0) {
            return new Series(checkName(key), List.of(), List.of());
        }
        if (!key.endsWith("}")) {
            throw new IllegalArgumentException("series key without closing brace: " + key);
        }
        String name = checkName(key.substring(0, brace));
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        String body = key.substring(brace + 1, key.length() - 1);
        int i = 0;
        while (i < body.length()) {
            int eq = body.indexOf('=', i);
            if (eq < 0 || eq + 1 >= body.length() || body.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("malformed labels in " + key);
            }
            names.add(body.substring(i, eq).trim());
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            for (; j < body.length() && body.charAt(j) != '"'; j++) {
                char c = body.charAt(j);
                if (c == '\\' && j + 1 < body.length()) {
                    c = body.charAt(++j);
                    v.append(c == 'n' ? '\n' : c);
                } else {
                    v.append(c);
                }
            }
            if (j >= body.length()) {
                throw new IllegalArgumentException("unterminated label value in " + key);
            }
            values.add(v.toString());
            i = j + 1;
            if (i < body.length() && body.charAt(i) == ',') {
                i++;
            }
        }
        return new Series(name, List.copyOf(names), List.copyOf(values));
    }

    private static String checkName(String name) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("not a Prometheus metric name: " + name);
        }
        return name;
    }
}
