package org.opentwag.diameter.stack.internal.osgi;

import java.util.ArrayList;
import java.util.List;

/** Config Admin values arrive as arrays or as one comma-separated string, depending on the .cfg author. */
final class ConfigValues {
    private ConfigValues() {
    }

    static List<String> list(String[] values) {
        List<String> out = new ArrayList<>();
        if (values == null) {
            return out;
        }
        for (String v : values) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    static boolean flag(Object value, boolean otherwise) {
        return value == null ? otherwise : Boolean.parseBoolean(value.toString().trim());
    }
}
