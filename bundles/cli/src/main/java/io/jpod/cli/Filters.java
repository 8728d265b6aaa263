package io.jpod.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;

/** --filter key=value flags as libpod's filters parameter: {"key":["value",...]}. */
final class Filters {
    private Filters() {
    }

    static Map<String, List<String>> parse(List<String> flags) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String f : flags) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("invalid filter \"" + f + "\", should be key=value");
            }
            m.computeIfAbsent(f.substring(0, eq), k -> new ArrayList<>()).add(f.substring(eq + 1));
        }
        return m;
    }

    /** The filters parameter of a list call for these flags; null (left out) for none. */
    static String query(List<String> flags) {
        return flags.isEmpty() ? null : toJson(parse(flags));
    }

    static String toJson(Map<String, List<String>> filters) {
        return Template.json(filters);
    }
}
